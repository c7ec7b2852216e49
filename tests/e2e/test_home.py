import pytest
from django.core.management import call_command

from tests.helpers import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_on_a_phone_finds_the_booking_button(phone):
    call_command("seed_demo", verbosity=0)
    phone.goto("/")
    assert phone.title().endswith("Stride Physical Therapy")
    button = phone.get_by_role("link", name="Book a consultation").first
    assert button.is_visible()
    # Bootstrap is loaded from our own static files: the collapsed menu toggler shows.
    assert phone.locator(".navbar-toggler").is_visible()
    assert "2112 Broadway Street NE" in phone.locator("footer").inner_text()
    screenshot(phone, "home-phone")

    button.click()
    phone.wait_for_url("**/book/")
    assert phone.get_by_role("heading", name="Book a consultation").is_visible()


def test_the_front_desk_signs_in_to_the_admin(phone):
    call_command("seed_demo", verbosity=0)
    from clinic.demo import DEMO_PASSWORD, demo_logins

    phone.goto("/admin/")
    phone.get_by_label("Email address").fill(dict(demo_logins())["Front desk"])
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/admin/")
    assert phone.get_by_text("Patients").first.is_visible()
