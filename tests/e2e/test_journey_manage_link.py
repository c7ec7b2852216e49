"""Journey 3: from the manage link, a patient moves their visit (with the confirm step), then
cancels it; a visit inside the late-change window shows the clinic's phone instead."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clinic import links
from clinic.formatting import local_datetime
from clinic.models import Appointment
from clinic.services import appointment_book
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.docs_images import docs_image
from tests.factories.clinic import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at(location, day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), location.zone)


def manage_path(appointment) -> str:
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    return reverse("appointment_manage", args=[token])


def test_patient_moves_with_a_confirm_then_cancels(page, clinic_setup, next_monday):
    location = clinic_setup["location"]
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=location,
        start=at(location, next_monday, 9),
        patient=PatientFactory(),
    )
    tuesday = next_monday + datetime.timedelta(days=1)
    new_start = at(location, tuesday, 14)
    question = f"Move to {local_datetime(new_start, location.zone)}?"

    page.goto(manage_path(appointment))
    assert page.get_by_role("heading", name="Your appointment").is_visible()
    assert_accessible(page)
    shot(page, "manage-1-appointment")
    page.get_by_role("link", name="Choose another time").click()
    page.wait_for_url("**/reschedule/")
    assert_accessible(page)
    # The day picker's link for Tuesday, then the 2:00 PM time: it only asks.
    page.locator(f'a.day-chip[href*="day={tuesday.isoformat()}"]').click()
    page.wait_for_url(f"**day={tuesday.isoformat()}*")
    page.get_by_role("button", name="2:00 PM", exact=True).click()
    assert page.get_by_role("heading", name=question).is_visible()
    assert_accessible(page)
    shot(page, "manage-2-confirm")
    docs_image(page, "reschedule-confirm", size="phone")
    appointment.refresh_from_db()
    assert appointment.start == at(location, next_monday, 9)  # nothing moved yet

    # Back to the same day's times; the visit is where it was.
    page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_url(f"**day={tuesday.isoformat()}*")
    assert page.get_by_role("button", name="2:00 PM", exact=True).is_visible()
    page.get_by_role("button", name="2:00 PM", exact=True).click()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r".*/appointments/[^/]+/$"))
    assert page.get_by_text("Your appointment has been moved").is_visible()
    appointment.refresh_from_db()
    assert appointment.start == new_start
    shot(page, "manage-3-moved")

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_label("Reason (optional)").fill("Feeling better")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel it").click()
    assert page.get_by_text("Your appointment is cancelled").is_visible()
    assert_accessible(page)
    shot(page, "manage-4-cancelled")
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED


def test_inside_the_late_change_window_the_link_shows_the_phone(page, clinic_setup):
    location = clinic_setup["location"]
    soon = AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=location,
        appointment_type=clinic_setup["type"],
        start=timezone.now()
        + datetime.timedelta(hours=max(settings.BOOKING_LATE_CHANGE_HOURS - 2, 1)),
    )
    page.goto(manage_path(soon))
    late = page.locator("#late-change")
    assert late.is_visible()
    assert late.get_by_role("link", name=location.phone.as_national).is_visible()
    assert page.get_by_role("link", name="Choose another time").count() == 0
    assert page.get_by_role("link", name="Cancel appointment").count() == 0
    assert_accessible(page)
    shot(page, "manage-5-late")
    # The reschedule page, opened directly, says the same and offers no time.
    token = links.appointment_token(soon, salt=links.MANAGE_SALT)
    page.goto(reverse("appointment_reschedule", args=[token]))
    assert page.get_by_role("link", name=location.phone.as_national).first.is_visible()
    assert page.locator(".time-btn").count() == 0
