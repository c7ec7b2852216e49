"""A therapist books a plan of care on a phone: the preview shows a closed day with another
time that week, and booking the chosen dates books them all."""

import datetime

import pytest
from django.utils import timezone

from clinic.models import Appointment
from clinic.models_scheduling import AppointmentSeries, ClinicClosure
from tests.e2e.browser import shot
from tests.factories.clinic import PASSWORD, AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_therapist_previews_and_books_a_plan_of_care(phone, clinic_setup, next_monday):
    therapist = clinic_setup["therapist"]
    patient = PatientFactory(first_name="Morgan", last_name="Reyes")
    AppointmentFactory(  # the evaluation just done
        patient=patient,
        therapist=therapist,
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=timezone.now() - datetime.timedelta(hours=2),
    )
    closed = next_monday + datetime.timedelta(days=7)
    ClinicClosure.objects.create(start_date=closed, end_date=closed, name="Holiday")
    page = phone
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(therapist.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto("/workspace/schedule/")
    page.get_by_role("link", name="Book a plan of care").click()

    page.wait_for_url("**/workspace/series/")
    page.get_by_label("Patient").select_option(str(patient.pk))
    page.get_by_label("Visit type").select_option(str(clinic_setup["type"].pk))
    page.get_by_label("Location").select_option(str(clinic_setup["location"].pk))
    page.get_by_label("Number of visits").fill("4")
    page.get_by_label("Frequency").select_option("weekly")
    page.get_by_label("Monday").check()
    page.get_by_label("Time").fill("09:00")
    page.get_by_label("From").fill(next_monday.isoformat())
    page.get_by_role("button", name="Preview the dates").click()

    assert page.get_by_text("Clinic closed").is_visible()
    assert page.get_by_text("Instead:").is_visible()
    shot(page, "series-1-preview")
    page.get_by_role("button", name="Book the chosen visits").click()
    page.wait_for_url("**/workspace/schedule/")
    assert page.get_by_text("4 visits booked for Morgan Reyes").is_visible()
    series = AppointmentSeries.objects.get()
    days = sorted(
        a.start.astimezone(clinic_setup["location"].zone).date()
        for a in Appointment.objects.filter(series_visit__series=series)
    )
    assert len(days) == 4 and closed not in days
