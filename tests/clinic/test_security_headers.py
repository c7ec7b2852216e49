"""Finding 4: a Content-Security-Policy with scripts and styles from our static files only,
no inline script, style block or handler in any template, no-store on pages, and a
Permissions-Policy."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from clinic import links
from tests.factories.clinic import PatientUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# Rendered to a PDF on the server by xhtml2pdf, never served as a page.
NOT_A_PAGE = {"careplans/handout_pdf.html", "clinic/records_pdf.html"}  # drawn to PDF


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_the_policy_allows_only_our_own_scripts_and_styles(client):
    policy = directives(client.get(reverse("home")))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in " ".join(
        " ".join(values) for name, values in policy.items() if name != "style-src-attr"
    )


def templates():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name not in NOT_A_PAGE:
            yield name, path.read_text()


def test_no_template_has_an_inline_script_style_block_or_handler():
    found = []
    for name, text in templates():
        for script in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in script:
                found.append((name, script))
        if re.search(r"<style\b", text):
            found.append((name, "<style>"))
        found += [(name, m) for m in re.findall(r"\son[a-z]+\s*=", text)]
        if "javascript:" in text:
            found.append((name, "javascript:"))
    assert found == []


def test_htmx_does_not_inject_its_indicator_style(client):
    html = client.get(reverse("home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_with_patient_data_are_not_stored(client, intake_appointment):
    appointment, intake_token = intake_appointment
    manage = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    for url in [
        reverse("appointment_manage", args=[manage]),
        reverse("appointment_ics", args=[manage]),
        reverse("intake:start", args=[intake_token]),
        reverse("book"),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert no_store(response), url
    patient = PatientUserFactory()
    client.force_login(patient.user)
    assert no_store(client.get(reverse("account:home")))
    client.force_login(StaffUserFactory())
    assert no_store(client.get(reverse("admin:clinic_patient_changelist")))


def test_every_response_has_a_permissions_policy(client):
    response = client.get(reverse("home"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    api = client.get(reverse("api:locations"))
    assert "Permissions-Policy" in api and no_store(api)


def test_api_docs_run_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert not [s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
