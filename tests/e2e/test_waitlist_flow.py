"""A patient joins the waitlist from the times page on a phone, a time frees up, and they take
it by tapping the link in the offer."""

import datetime
import re

import pytest

from clinic.models import Appointment
from clinic.models_scheduling import WaitlistEntry
from clinic.services import appointment_cancel
from tests.e2e.browser import shot
from tests.factories.clinic import AppointmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_join_the_waitlist_then_take_an_offer_by_link(
    phone, clinic_setup, next_monday, sms_outbox, settings
):
    settings.SMS_QUIET_START_HOUR, settings.SMS_QUIET_END_HOUR = 24, 0  # any hour the test runs
    page = phone
    query = f"type={clinic_setup['type'].slug}&location={clinic_setup['location'].slug}"
    page.goto(f"/book/times/?{query}&therapist=any")
    page.get_by_role("link", name="Tell me if something opens up").click()

    page.wait_for_url("**/book/waitlist/**")
    page.get_by_label("Afternoon (noon to 5 PM)").check()
    page.get_by_role("button", name="Join the waitlist").click()  # empty: errors, nothing lost
    assert page.locator(".invalid-feedback, .is-invalid").first.is_visible()
    assert page.get_by_label("Afternoon (noon to 5 PM)").is_checked()
    page.get_by_label(re.compile(r"^\s*First name")).fill("Riley")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Park")
    page.get_by_label("Email").fill("riley.park@example.com")
    page.get_by_label("Mobile phone").fill("612-555-0144")
    shot(page, "waitlist-1-join")
    page.get_by_role("button", name="Join the waitlist").click()
    assert page.get_by_role("heading", name="You're on the waitlist, Riley.").is_visible()
    entry = WaitlistEntry.objects.get()
    assert entry.times_of_day == ["afternoon"]

    # Someone cancels a Tuesday 2 PM visit: the worker offers it to Riley.
    start = datetime.datetime.combine(
        next_monday + datetime.timedelta(days=1), datetime.time(14), clinic_setup["location"].zone
    )
    visit = AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=start,
    )
    appointment_cancel(appointment=visit, by_patient=False)
    [offer_text] = [s["body"] for s in sms_outbox if "opened up" in s["body"]]
    assert "Reply Y to take Tue" in offer_text and "2:00 PM" in offer_text
    link = re.search(r"https?://\S+/waitlist/offers/\S+/", offer_text).group(0)

    page.goto("/waitlist/offers/" + link.split("/waitlist/offers/", 1)[1])
    assert page.get_by_text("2:00 PM").first.is_visible()
    shot(page, "waitlist-2-offer")
    page.get_by_role("button", name="Take this time").click()
    assert page.get_by_role("heading", name="It's yours, Riley.").is_visible()
    shot(page, "waitlist-3-taken")
    booked = Appointment.objects.get(status="booked")
    assert booked.start == start and booked.patient == entry.patient
    assert booked.source == Appointment.Source.WAITLIST
