import pytest
from django.core.management import call_command

from tests.e2e.browser import assert_accessible, shot, size_name

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_finds_the_booking_button(page):
    call_command("seed_demo", verbosity=0)
    page.goto("/")
    assert page.title().endswith("Stride Physical Therapy")
    button = page.get_by_role("link", name="Book a consultation").first
    assert button.is_visible()
    # Bootstrap is loaded from our own static files: on a phone the collapsed menu toggler shows.
    assert page.locator(".navbar-toggler").is_visible() == (size_name(page) == "phone")
    assert "2112 Broadway Street NE" in page.locator("footer").inner_text()
    shot(page, "home")
    assert_accessible(page)

    button.click()
    page.wait_for_url("**/book/")
    assert page.get_by_role("heading", name="Book a consultation").is_visible()
    assert_accessible(page)


def test_the_front_desk_signs_in_to_the_admin(phone):
    call_command("seed_demo", verbosity=0)
    from clinic.demo import DEMO_PASSWORD, demo_logins

    phone.goto("/admin/")
    phone.get_by_label("Email address").fill(dict(demo_logins())["Front desk"])
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    # The desk's admin home is "Today".
    phone.wait_for_url("**/admin/clinic/appointment/today/")
    assert phone.get_by_role("heading", name="Today", level=1).is_visible()
    assert phone.get_by_role("link", name="Book for a caller").first.is_visible()
