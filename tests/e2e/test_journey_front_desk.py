"""Journey 6: the front desk signs in to "Today", books a visit for a caller, marks a past
visit no-show and resends a confirmation text that failed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Appointment, Message
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.docs_images import docs_image
from tests.e2e.journeys import staff_signs_in
from tests.factories.clinic import (
    AppointmentFactory,
    PatientFactory,
    StaffUserFactory,
    TherapistFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def desk_day(clinic_setup):
    """The location's clock reads about noon: a visit an hour ago the patient missed, one in
    an hour whose confirmation text failed."""
    now = timezone.now()
    location = clinic_setup["location"]
    location.time_zone = f"Etc/GMT{now.hour - 12:+d}"
    location.save(update_fields=["time_zone"])
    visit = {
        "location": location,
        "appointment_type": clinic_setup["type"],
    }
    missed = AppointmentFactory(therapist=clinic_setup["therapist"], start=now - HOUR, **visit)
    coming = AppointmentFactory(
        therapist=TherapistFactory(locations=[location]),
        start=now + HOUR,
        patient=PatientFactory(phone="+16125550177", sms_consent=True, sms_consent_at=now),
        **visit,
    )
    failed = Message.objects.create(
        patient=coming.patient,
        appointment=coming,
        kind=Message.Kind.CONFIRMATION,
        dedupe_key=f"confirmation:{coming.pk}",
        to="+16125550177",
        body="Stride: you're booked. Details: [link]",
        status=Message.Status.FAILED,
        error_text="Carrier rejected",
    )
    return {"missed": missed, "coming": coming, "failed": failed}


def test_front_desk_day(page, clinic_setup, next_monday, desk_day, sms_outbox):
    desk = StaffUserFactory()
    missed, failed = desk_day["missed"], desk_day["failed"]

    # Signing in lands on Today.
    staff_signs_in(page, desk)
    page.wait_for_url("**/admin/clinic/appointment/today/")
    assert page.get_by_role("heading", name="Today", level=1).is_visible()
    place = page.get_by_role("region", name=re.compile(clinic_setup["location"].name))
    assert place.get_by_role("link", name=missed.patient.full_name).is_visible()
    assert page.get_by_text("Carrier rejected").is_visible()
    assert_accessible(page)
    shot(page, "desk-1-today")
    docs_image(page, "desk-today")

    # Book for a caller: what they say on the phone, and the time they want.
    page.locator(".desk-actions").get_by_role("link", name="Book for a caller").click()
    page.wait_for_url("**/book-caller/")
    page.get_by_label(re.compile(r"^\s*First name")).fill("Robin")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Okafor")
    page.get_by_label("Mobile phone").fill("(612) 555-0188")
    page.get_by_label("Email").fill("robin.okafor@example.com")
    page.get_by_label(re.compile(r"^\s*Date of birth")).fill("1979-04-12")
    page.get_by_label("Type").select_option(label=str(clinic_setup["type"]))
    page.get_by_label("Location").select_option(label=str(clinic_setup["location"]))
    page.get_by_label("Therapist").select_option(label="Any therapist")
    page.get_by_label("Day").fill(next_monday.isoformat())
    page.get_by_label("Time").fill("10:00")
    assert_accessible(page)
    shot(page, "desk-2-book-caller")
    docs_image(page, "desk-book-caller")
    page.get_by_role("button", name="Book").click()
    page.wait_for_url(re.compile(r".*/admin/clinic/appointment/\d+/change/$"))
    assert page.get_by_text("Booked Robin Okafor for").is_visible()
    booked = Appointment.objects.get(patient__email="robin.okafor@example.com")
    assert booked.source == Appointment.Source.FRONT_DESK
    assert booked.start.astimezone(booked.location.zone).time() == datetime.time(10)
    shot(page, "desk-3-booked")

    # Back to Today: the visit an hour ago is a no-show.
    page.get_by_role("navigation", name="Front desk").get_by_role("link", name="Today").click()
    page.wait_for_url("**/today/")
    row = page.locator("tr").filter(has_text=missed.patient.full_name)
    row.get_by_role("button", name=re.compile("^No-show")).click()
    page.wait_for_url("**/today/")
    assert page.get_by_text(f"{missed.patient}").first.is_visible()
    row = page.locator("tr").filter(has_text=missed.patient.full_name)
    expect(row.locator(".desk-status")).to_have_text("No-show")
    missed.refresh_from_db()
    assert missed.status == Appointment.Status.NO_SHOW
    # The visit still to come offers "Arrived" but no "No-show" yet.
    coming_row = page.locator("tr").filter(has_text=desk_day["coming"].patient.full_name)
    assert coming_row.get_by_role("button", name=re.compile("^Arrived")).is_visible()
    assert coming_row.get_by_role("button", name=re.compile("^No-show")).count() == 0
    assert_accessible(page)
    shot(page, "desk-4-no-show")

    # The failed confirmation text, sent again.
    page.get_by_role("button", name="Resend the ticked texts").click()
    page.wait_for_url("**/admin/clinic/message/**")
    assert page.get_by_text("1 text(s) queued again.").is_visible()
    failed.refresh_from_db()
    assert failed.status == Message.Status.SENT
    assert [m["to"] for m in sms_outbox] == ["+16125550177"]
    # A text's page reads like a receipt: no Save, no internals.
    page.goto(f"/admin/clinic/message/{failed.pk}/change/")
    assert page.get_by_role("button", name=re.compile("Save")).count() == 0
    assert page.get_by_text(failed.dedupe_key).count() == 0
    assert_accessible(page)
    shot(page, "desk-5-text")
    docs_image(page, "desk-text")
