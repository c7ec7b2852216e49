"""Waitlist and series writes leave an audit event in the write's transaction, beside the
events of the bookings and cancellations they make through the booking service."""

import datetime

import pytest

from clinic.models import AuditEvent
from clinic.models_scheduling import AppointmentSeries, WaitlistEntry
from clinic.services.series import SeriesPlan, series_book, series_preview
from clinic.services.waitlist import offer_accept, waitlist_join, waitlist_remove
from tests.factories.clinic import PatientFactory
from tests.helpers import waitlist_offer

pytestmark = pytest.mark.django_db


def about(obj):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("pk")


def test_joining_and_leaving_the_waitlist_is_audited(clinic_setup):
    patient = PatientFactory()
    day = datetime.date.today() + datetime.timedelta(days=3)
    entry = waitlist_join(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=None,
        earliest_date=day,
        latest_date=day + datetime.timedelta(days=3),
        times_of_day=[],
        patient=patient,
    )
    assert waitlist_remove(entry=entry)
    joined, left = about(entry)
    assert (joined.action, joined.patient_id) == (AuditEvent.Action.CREATE, patient.pk)
    assert (left.action, left.changed_values) == (
        AuditEvent.Action.CHANGE,
        {"status": WaitlistEntry.Status.REMOVED},
    )


def test_taking_an_offer_is_audited_beside_the_booking(clinic_setup):
    patient = PatientFactory()
    offer = waitlist_offer(patient, clinic_setup)
    result, _ = offer_accept(offer_id=offer.pk)
    [taken] = about(offer)
    assert (taken.action, taken.patient_id) == (AuditEvent.Action.CHANGE, patient.pk)
    assert taken.changed_values == {"status": "accepted", "answered_by": "link"}
    assert about(result.appointment).filter(action=AuditEvent.Action.CREATE).exists()


def test_booking_a_series_is_audited_once_for_the_series(clinic_setup, next_monday):
    plan = SeriesPlan(
        patient=PatientFactory(),
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=clinic_setup["therapist"],
        frequency="twice_weekly",
        weekdays=(1, 3),
        time=datetime.time(14),
        first_date=next_monday,
        count=4,
    )
    series = series_book(plan=plan, starts=[row.start for row in series_preview(plan=plan)])
    [booked] = about(series)
    assert (booked.action, booked.patient_id) == (AuditEvent.Action.CREATE, plan.patient.pk)
    assert booked.changed_values == {"frequency": "twice_weekly", "visits": "4"}
    assert AppointmentSeries.objects.get().visits.count() == 4
