"""The pages of plan-of-care scheduling: the therapist's series page, the desk's series page,
waitlist entries and offered times (with the report), closures."""

import datetime

import pytest
from django.utils import timezone

from clinic.models import Appointment
from clinic.models_scheduling import (
    AppointmentSeries,
    ClinicClosure,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistOpening,
)
from clinic.services.waitlist import waitlist_join
from tests.factories.clinic import AppointmentFactory, PatientFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_desk(client):
    client.force_login(StaffUserFactory())
    return client


def plan_data(setup, patient, next_monday, **extra):
    return {
        "patient": patient.pk,
        "appointment_type": setup["type"].pk,
        "location": setup["location"].pk,
        "therapist": setup["therapist"].pk,
        "count": 4,
        "frequency": "weekly",
        "weekdays": ["2"],
        "time": "10:00",
        "first_date": next_monday.isoformat(),
        **extra,
    }


def test_a_therapist_previews_then_books_a_series_for_their_patient(
    client, clinic_setup, next_monday
):
    patient = PatientFactory()
    AppointmentFactory(  # the evaluation: the therapist's care relationship with the patient
        patient=patient,
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=timezone.now() - datetime.timedelta(days=1),
    )
    wednesday = next_monday + datetime.timedelta(days=2)
    ClinicClosure.objects.create(start_date=wednesday, end_date=wednesday, name="Holiday")
    client.force_login(clinic_setup["therapist"].user)
    data = plan_data(clinic_setup, patient, next_monday)
    preview = client.post("/workspace/series/", {**data, "action": "preview"})
    assert preview.status_code == 200
    assert b"Clinic closed" in preview.content
    rows = preview.context["preview"]
    assert len(rows) == 4 and rows[0].alternative is not None
    choices = {
        f"visit-{r.number}": (r.start if r.is_free else r.alternative).isoformat() for r in rows
    }
    choices["visit-4"] = "skip"
    booked = client.post("/workspace/series/", {**data, **choices, "action": "book"})
    assert booked.status_code == 302
    series = AppointmentSeries.objects.get()
    starts = sorted(a.start for a in Appointment.objects.filter(series_visit__series=series))
    assert len(starts) == 3 and starts[0] == rows[0].alternative


def test_a_therapist_cannot_plan_for_a_patient_they_do_not_care_for(
    client, clinic_setup, next_monday
):
    client.force_login(clinic_setup["therapist"].user)
    data = plan_data(clinic_setup, PatientFactory(), next_monday)
    response = client.post("/workspace/series/", {**data, "action": "book"})
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_the_desk_books_a_series_in_the_admin(front_desk, clinic_setup, next_monday):
    patient = PatientFactory()
    url = "/admin/clinic/appointmentseries/add/"
    assert front_desk.get(url).status_code == 200
    data = plan_data(clinic_setup, patient, next_monday)
    preview = front_desk.post(url, {**data, "action": "preview"})
    rows = preview.context["preview"]
    choices = {f"visit-{r.number}": r.start.isoformat() for r in rows}
    response = front_desk.post(url, {**data, **choices, "action": "book"})
    assert response.status_code == 302
    assert Appointment.objects.filter(patient=patient).count() == 4
    assert front_desk.get(response["Location"]).status_code == 200


def test_the_desk_adds_a_caller_and_sees_the_waitlist(
    front_desk, clinic_setup, next_monday, django_assert_max_num_queries
):
    patient = PatientFactory()
    response = front_desk.post(
        "/admin/clinic/waitlistentry/add/",
        {
            "patient": patient.pk,
            "appointment_type": clinic_setup["type"].pk,
            "location": clinic_setup["location"].pk,
            "therapist": clinic_setup["therapist"].pk,
            "earliest_date": next_monday.isoformat(),
            "latest_date": (next_monday + datetime.timedelta(days=7)).isoformat(),
            "times_of_day": ["afternoon"],
            "offers-TOTAL_FORMS": "0",
            "offers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = WaitlistEntry.objects.get()
    assert entry.source == WaitlistEntry.Source.FRONT_DESK and entry.times_of_day == ["afternoon"]
    for _ in range(5):
        waitlist_join(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            therapist=None,
            earliest_date=next_monday,
            latest_date=next_monday,
            times_of_day=[],
            patient=PatientFactory(),
        )
    with django_assert_max_num_queries(15):
        listing = front_desk.get(
            f"/admin/clinic/waitlistentry/?therapist__id__exact={clinic_setup['therapist'].pk}"
        )
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert front_desk.get(f"/admin/clinic/waitlistentry/{entry.pk}/change/").status_code == 200


def test_the_offered_times_list_shows_the_report(
    front_desk, clinic_setup, next_monday, django_assert_max_num_queries
):
    start = datetime.datetime.combine(next_monday, datetime.time(9), clinic_setup["location"].zone)
    now = timezone.now()
    filled = WaitlistOpening.objects.create(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=start,
        end=start + datetime.timedelta(minutes=45),
        status=WaitlistOpening.Status.FILLED,
        created_at=now - datetime.timedelta(minutes=30),
        closed_at=now - datetime.timedelta(minutes=18),
    )
    entry = waitlist_join(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=None,
        earliest_date=next_monday,
        latest_date=next_monday,
        times_of_day=[],
        patient=PatientFactory(),
    )
    WaitlistOffer.objects.create(
        opening=filled,
        entry=entry,
        round=1,
        status=WaitlistOffer.Status.ACCEPTED,
        sent_at=now - datetime.timedelta(minutes=29),
        expires_at=now - datetime.timedelta(minutes=9),
    )
    with django_assert_max_num_queries(15):
        page = front_desk.get("/admin/clinic/waitlistopening/")
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.offers_sent, report.times_filled, report.median_minutes_to_fill) == (1, 1, 12.0)
    assert b"Median time to fill" in page.content
    assert front_desk.get(f"/admin/clinic/waitlistopening/{filled.pk}/change/").status_code == 200


def test_the_desk_keeps_closures(front_desk, clinic_setup, next_monday):
    response = front_desk.post(
        "/admin/clinic/clinicclosure/add/",
        {
            "location": "",
            "start_date": next_monday.isoformat(),
            "end_date": (next_monday - datetime.timedelta(days=1)).isoformat(),
            "name": "Backwards",
        },
    )
    assert response.status_code == 200 and b"cannot be before the first" in response.content
    response = front_desk.post(
        "/admin/clinic/clinicclosure/add/",
        {
            "location": "",
            "start_date": next_monday.isoformat(),
            "end_date": next_monday.isoformat(),
            "name": "Holiday",
        },
    )
    assert response.status_code == 302
    assert front_desk.get("/admin/clinic/clinicclosure/").status_code == 200


def test_the_desk_takes_entries_off_the_waitlist(front_desk, clinic_setup, next_monday):
    entry = waitlist_join(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=None,
        earliest_date=next_monday,
        latest_date=next_monday,
        times_of_day=[],
        patient=PatientFactory(),
    )
    response = front_desk.post(
        "/admin/clinic/waitlistentry/",
        {"action": "remove", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.REMOVED
