"""Clinic closures (holidays): no free time on a closed day, whoever asks (pages, API, the
front desk, booking), and the reason a series date cannot be had."""

import datetime

import pytest

from clinic.models_scheduling import ClinicClosure
from clinic.selectors import slot_list
from clinic.selectors.availability import Conflict, schedule_load
from clinic.services import BookingError, appointment_book
from clinic.services import booking as rules
from tests.factories.clinic import LocationFactory, PatientFactory, TimeOffFactory

pytestmark = pytest.mark.django_db


def days_with_slots(setup, first, last, *, enforce_window=True):
    slots = slot_list(
        appointment_type=setup["type"],
        location=setup["location"],
        start_date=first,
        end_date=last,
        enforce_window=enforce_window,
    )
    return sorted({s.start.astimezone(setup["location"].zone).date() for s in slots})


def test_a_closure_at_the_location_removes_its_days(clinic_setup, next_monday):
    tuesday = next_monday + datetime.timedelta(days=1)
    wednesday = tuesday + datetime.timedelta(days=1)
    ClinicClosure.objects.create(
        location=clinic_setup["location"], start_date=tuesday, end_date=wednesday, name="Holiday"
    )
    friday = next_monday + datetime.timedelta(days=4)
    days = days_with_slots(clinic_setup, next_monday, friday)
    assert days == [next_monday, next_monday + datetime.timedelta(days=3), friday]


def test_a_closure_of_every_location_counts_and_another_locations_does_not(
    clinic_setup, next_monday
):
    ClinicClosure.objects.create(start_date=next_monday, end_date=next_monday, name="New Year")
    ClinicClosure.objects.create(
        location=LocationFactory(),
        start_date=next_monday + datetime.timedelta(days=1),
        end_date=next_monday + datetime.timedelta(days=1),
        name="Elsewhere",
    )
    days = days_with_slots(
        clinic_setup, next_monday, next_monday + datetime.timedelta(days=1), enforce_window=False
    )
    assert days == [next_monday + datetime.timedelta(days=1)]


def test_a_closure_spanning_the_window_edges_is_cut_to_the_window(clinic_setup, next_monday):
    ClinicClosure.objects.create(
        start_date=next_monday - datetime.timedelta(days=10),
        end_date=next_monday,
        name="Long",
    )
    ClinicClosure.objects.create(
        start_date=next_monday + datetime.timedelta(days=4),
        end_date=next_monday + datetime.timedelta(days=40),
        name="Longer",
    )
    days = days_with_slots(clinic_setup, next_monday, next_monday + datetime.timedelta(days=4))
    assert days == [next_monday + datetime.timedelta(days=n) for n in (1, 2, 3)]


def test_booking_on_a_closed_day_is_refused(clinic_setup, next_monday):
    ClinicClosure.objects.create(start_date=next_monday, end_date=next_monday, name="Closed")
    with pytest.raises(BookingError) as refused:
        appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            therapist=clinic_setup["therapist"],
            start=datetime.datetime.combine(
                next_monday, datetime.time(9), clinic_setup["location"].zone
            ),
            patient=PatientFactory(),
        )
    assert refused.value.message == rules.SLOT_UNAVAILABLE


def test_the_schedule_says_why_a_time_is_not_free(clinic_setup, next_monday):
    zone = clinic_setup["location"].zone
    therapist = clinic_setup["therapist"]
    tuesday = next_monday + datetime.timedelta(days=1)
    ClinicClosure.objects.create(start_date=tuesday, end_date=tuesday, name="Closed")
    TimeOffFactory(
        therapist=therapist,
        start=datetime.datetime.combine(next_monday, datetime.time(13), zone),
        end=datetime.datetime.combine(next_monday, datetime.time(15), zone),
    )
    schedule = schedule_load(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start_date=next_monday,
        end_date=tuesday,
        therapist=therapist,
        enforce_window=False,
    )

    def at(day, hour):
        start = datetime.datetime.combine(day, datetime.time(hour), zone)
        return schedule.conflict(start, therapist_id=therapist.pk)

    assert at(next_monday, 9) == ""
    assert at(next_monday, 14) == Conflict.TIME_OFF
    assert at(next_monday, 19) == Conflict.OUTSIDE_HOURS
    assert at(tuesday, 9) == Conflict.CLOSED


def test_loading_a_schedule_is_still_two_queries_with_closures(
    clinic_setup, next_monday, django_assert_num_queries
):
    ClinicClosure.objects.create(start_date=next_monday, end_date=next_monday, name="Closed")
    with django_assert_num_queries(2):
        days_with_slots(clinic_setup, next_monday, next_monday + datetime.timedelta(days=13))
