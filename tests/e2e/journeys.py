"""Steps more than one journey takes, written as a person would take them."""

import re
from urllib.parse import urlsplit

from tests.factories.clinic import PASSWORD


def fill_fields(page, data: dict) -> None:
    """Type or tick each value of ``data`` (form field name → value or list of values)."""
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        field = page.locator(f"[name={name}]").first
        kind = field.get_attribute("type")
        if kind in ("radio", "checkbox"):
            for v in values:
                page.locator(f"[name={name}][value='{v}']").check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(values[0])
        else:
            field.fill(values[0])


def path_of_link_in(message) -> str:
    """The path and query of the first link in an email (its host is SITE_URL, not the test
    server's)."""
    url = urlsplit(re.search(r"https?://\S+", message.body).group(0))
    return f"{url.path}?{url.query}" if url.query else url.path


def staff_signs_in(page, user, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def focused(page) -> dict:
    """What has the keyboard focus: its tag, classes, text and data attributes."""
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName, cls: e.className, text: e.innerText,
            summary: e.hasAttribute('data-error-summary') }; }"""
    )
