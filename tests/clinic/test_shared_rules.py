"""Rules that more than one part of the clinic applies: each is held by one function or
constant, and these tests fail when one of its callers goes its own way."""

import datetime
import zoneinfo

import pytest

from clinic.account_views import upcoming_visits
from clinic.models import Appointment
from clinic.selectors import slot_list, therapist_schedule
from clinic.services import appointment_change_allowed, appointment_mark, messaging
from clinic.services import booking as rules
from tests.factories import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
EVERY_STATUS = list(Appointment.Status)


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


# --- Which appointments are active, and which upcoming -----------------------------------------


def test_active_is_every_status_but_cancelled_like_the_databases_constraint():
    # Migration 0003's exclusion constraint covers rows WHERE status <> 'cancelled'.
    assert set(Appointment.ACTIVE_STATUSES) == set(Appointment.Status) - {"cancelled"}
    assert set(Appointment.UPCOMING_STATUSES) == {"booked", "confirmed"}
    assert set(Appointment.UPCOMING_STATUSES) < set(Appointment.ACTIVE_STATUSES)


@pytest.fixture
def visit_with(clinic_setup, next_monday):
    """A 9:00 visit on next_monday in the given status, and the patient's account."""

    def _visit(status):
        return AppointmentFactory(
            patient=PatientFactory(),
            therapist=clinic_setup["therapist"],
            location=clinic_setup["location"],
            appointment_type=clinic_setup["type"],
            start=at(next_monday, 9),
            status=status,
        )

    return _visit


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_every_reader_of_active_visits_agrees(clinic_setup, next_monday, visit_with, status):
    appointment = visit_with(status)
    active = status in Appointment.ACTIVE_STATUSES
    assert appointment.is_active is active
    starts = {
        slot.start
        for slot in slot_list(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start_date=next_monday,
            end_date=next_monday,
            enforce_window=False,
        )
    }
    assert (at(next_monday, 9) not in starts) is active  # it holds the therapist's time
    schedule = therapist_schedule(therapist=clinic_setup["therapist"], today=next_monday)
    assert (appointment in schedule[next_monday]) is active
    visits = [v.appointment for v in upcoming_visits(appointment.patient)]
    assert (appointment in visits) is active


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_every_reader_of_upcoming_visits_agrees(visit_with, next_monday, status):
    appointment = visit_with(status)
    upcoming = status in Appointment.UPCOMING_STATUSES
    now = at(next_monday - datetime.timedelta(days=1), 10, 5)  # reminders are due
    assert (appointment in messaging.reminder_due_list(now=now)) is upcoming
    early = now - datetime.timedelta(days=3)  # before the late-change window
    assert appointment_change_allowed(appointment=appointment, now=early) is upcoming
    try:
        rules.appointment_reschedule(
            appointment=appointment, start=at(next_monday, 11), by_patient=False, now=now
        )
    except rules.BookingError as error:
        assert error.message in (rules.NOT_CHANGEABLE, rules.ALREADY_CANCELLED)
        moved = False
    else:
        moved = True
    assert moved is upcoming


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_only_upcoming_visits_are_confirmed_by_text(visit_with, next_monday, settings, status):
    appointment = visit_with(status)
    reply = messaging.inbound_handle(
        from_number=str(appointment.patient.phone), body="C", now=at(next_monday, 8)
    )
    nothing = messaging.REPLY_NOTHING_TO_CONFIRM.format(
        clinic=settings.CLINIC_SHORT_NAME, phone=appointment.location.phone.as_national
    )
    assert (reply != nothing) is (status in Appointment.UPCOMING_STATUSES)


@pytest.mark.parametrize("status", EVERY_STATUS)
@pytest.mark.parametrize("new_status", [Appointment.Status.ARRIVED, Appointment.Status.NO_SHOW])
def test_only_upcoming_visits_are_marked_arrived_or_no_show(visit_with, status, new_status):
    appointment = visit_with(status)
    try:
        appointment_mark(appointment=appointment, status=new_status)
    except rules.BookingError:
        marked = False
    else:
        marked = True
    assert marked is (status in Appointment.UPCOMING_STATUSES)
