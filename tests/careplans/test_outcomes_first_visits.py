"""New patients on the outcomes dashboard when the history and the scope matter: a first visit
is the patient's first not cancelled ever (not only in the period, not only with this therapist
or at this location); and the covering index that finds them names exactly the active statuses."""

import datetime
import importlib
import zoneinfo

import pytest

from careplans import outcomes
from clinic.models import Appointment
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientUserFactory,
    TherapistFactory,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
TODAY = datetime.date(2026, 11, 30)
S = Appointment.Status


def at(day: int, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, tzinfo=CHICAGO)


def test_first_visits_by_history_and_scope(settings):
    settings.TIME_ZONE = "America/Chicago"
    first, second = LocationFactory(), LocationFactory()
    one, two = TherapistFactory(locations=[first]), TherapistFactory(locations=[second])
    kind = AppointmentTypeFactory(duration_minutes=60, buffer_after_minutes=0)

    def visit(patient, start, status, therapist):
        location = first if therapist == one else second
        AppointmentFactory(
            patient=patient,
            therapist=therapist,
            location=location,
            appointment_type=kind,
            start=start,
            status=status,
        )

    cancelled_before, seen_before, moved_on, same_moment = (PatientUserFactory() for _ in "abcd")
    # Only a cancelled visit before November: new in November, with Dr. Two.
    visit(cancelled_before, at(20, 9), S.CANCELLED, one)
    visit(cancelled_before, at(3), S.COMPLETED, two)
    # Seen by Dr. One in September: not new in November with Dr. Two.
    visit(seen_before, at(21, 9), S.NO_SHOW, one)
    visit(seen_before, at(4), S.COMPLETED, two)
    # New with Dr. One on Nov 2; a later visit with Dr. Two is not a first.
    visit(moved_on, at(2), S.COMPLETED, one)
    visit(moved_on, at(9), S.BOOKED, two)
    # Two visits at the same first moment both count, as each has no earlier one.
    visit(same_moment, at(5), S.COMPLETED, one)
    visit(same_moment, at(5), S.ARRIVED, two)

    def new(**scope):
        return outcomes.dashboard(months=1, today=TODAY, **scope).total.new_patients

    assert new() == 4
    assert new(therapist_id=one.pk) == 2
    assert new(therapist_id=two.pk) == 2
    assert new(location_id=second.pk) == 2


def test_the_first_visit_index_names_the_active_statuses():
    migration = importlib.import_module("clinic.migrations.0017_appointment_active_patient_index")
    listed = migration.DEFINITION.split("IN (")[1].rstrip(")")
    assert [s.strip(" '") for s in listed.split(",")] == list(Appointment.ACTIVE_STATUSES)
