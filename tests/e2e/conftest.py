import os
import shutil

import pytest

from tests.e2e.browser import PHONE, VIEWPORTS
from tests.helpers import csp_refusals, missing_service

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        missing_service("browser tests need Debian's chromium (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Opens pages on the live server, each in its own browser context (its own cookies, as a
    second device would be): ``new_page(viewport)``. Anything the Content-Security-Policy
    refused on any of them fails the test (the browser reports each refusal on the console)."""
    opened = []

    def open_page(viewport=PHONE, **options):
        context = chromium.new_context(viewport=viewport, base_url=live_server.url, **options)
        page = context.new_page()
        page.set_default_timeout(10_000)
        opened.append((context, csp_refusals(page)))
        return page

    yield open_page
    for context, _ in opened:
        context.close()
    refused = [line for _, lines in opened for line in lines]
    assert not refused, refused


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, new_page):
    """The journey's page, once at phone size (390×844) and once at desktop size (1366×900)."""
    return new_page(VIEWPORTS[request.param])


@pytest.fixture
def phone(new_page):
    """A phone-sized page, for the parts of a journey that happen only on a phone."""
    return new_page(PHONE)
