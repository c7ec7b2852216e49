import pytest

from tests.e2e.browser import shot
from tests.helpers import csp_refusals

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_with_nothing_refused_by_the_csp(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = csp_refusals(page)
    try:
        response = page.goto("/api/docs/")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # Swagger UI ran (its script is a URL of ours) and read the schema: the operations show.
        page.locator(".opblock-summary-path", has_text="/api/v1/availability").first.wait_for()
        assert page.get_by_role("heading", name="Stride booking API").first.is_visible()
        # The page's own rules came from the static style sheet: the body is Swagger's grey.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(250, 250, 250)"
        shot(page, "api-docs")
    finally:
        context.close()
    assert not refused, refused
