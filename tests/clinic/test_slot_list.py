import datetime
import zoneinfo

import pytest

from clinic.selectors import schedule_for_start, slot_list, therapist_names
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    TimeOffFactory,
    WorkingHoursFactory,
    therapist_with_hours,
)

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def local(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


def starts(slots):
    return [s.start.astimezone(CHICAGO).strftime("%H:%M") for s in slots]


def test_slots_fill_the_working_day_on_a_15_minute_grid(clinic_setup, next_monday):
    slots = slot_list(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start_date=next_monday,
        end_date=next_monday,
    )
    times = starts(slots)
    assert times[0] == "08:00"
    assert times[1] == "08:15"
    assert times[-1] == "16:15"  # a 45-minute visit must end by 17:00
    assert len(times) == 34
    assert all(s.end - s.start == datetime.timedelta(minutes=45) for s in slots)
    assert all(s.start.tzinfo == datetime.UTC for s in slots)


def test_an_appointment_and_its_buffer_block_the_time(clinic_setup, next_monday):
    AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=local(next_monday, 10),
    )  # busy 10:00-11:00 (45 min + 15 buffer)
    times = starts(
        slot_list(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start_date=next_monday,
            end_date=next_monday,
        )
    )
    # A new visit needs 45 min + its own 15 min buffer before the next one starts.
    assert "09:00" in times
    assert "09:15" not in times
    assert "10:45" not in times
    assert "11:00" in times


def test_cancelled_appointments_free_the_time(clinic_setup, next_monday):
    AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=local(next_monday, 10),
        status="cancelled",
    )
    times = starts(
        slot_list(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start_date=next_monday,
            end_date=next_monday,
        )
    )
    assert "10:00" in times


def test_time_off_removes_slots(clinic_setup, next_monday):
    TimeOffFactory(
        therapist=clinic_setup["therapist"],
        start=local(next_monday, 12),
        end=local(next_monday + datetime.timedelta(days=1), 12),
    )
    slots = slot_list(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start_date=next_monday,
        end_date=next_monday + datetime.timedelta(days=1),
    )
    monday = [s for s in slots if s.start.astimezone(CHICAGO).date() == next_monday]
    tuesday = [s for s in slots if s.start.astimezone(CHICAGO).date() != next_monday]
    assert starts(monday)[-1] == "11:00"  # its 15-minute buffer must end by 12:00 too
    assert starts(tuesday)[0] == "12:00"


def test_a_visit_at_another_location_blocks_the_therapist(clinic_setup, next_monday):
    elsewhere = LocationFactory(slug="coon-rapids")
    clinic_setup["therapist"].locations.add(elsewhere)
    AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=elsewhere,
        appointment_type=clinic_setup["type"],
        start=local(next_monday, 8),
    )
    times = starts(
        slot_list(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start_date=next_monday,
            end_date=next_monday,
        )
    )
    assert times[0] == "09:00"


def test_any_therapist_merges_and_a_chosen_one_filters(clinic_setup, next_monday):
    other = therapist_with_hours(location=clinic_setup["location"], start="12:00", end="18:00")
    kwargs = {
        "appointment_type": clinic_setup["type"],
        "location": clinic_setup["location"],
        "start_date": next_monday,
        "end_date": next_monday,
    }
    merged = slot_list(**kwargs)
    assert {s.therapist_id for s in merged} == {clinic_setup["therapist"].pk, other.pk}
    only_other = slot_list(therapist=other, **kwargs)
    assert starts(only_other)[0] == "12:00"
    assert starts(only_other)[-1] == "17:15"


def test_minimum_notice_and_horizon(clinic_setup, settings):
    settings.BOOKING_MIN_NOTICE_HOURS = 12
    settings.BOOKING_HORIZON_DAYS = 10
    monday = datetime.date(2030, 1, 7)
    now = local(monday, 6)  # 06:00 local: notice pushes the first slot to 18:00, after hours
    slots = slot_list(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start_date=monday,
        end_date=monday + datetime.timedelta(days=30),
        now=now,
    )
    days = sorted({s.start.astimezone(CHICAGO).date() for s in slots})
    assert days[0] == monday + datetime.timedelta(days=1)
    assert days[-1] <= monday + datetime.timedelta(days=10)


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (datetime.date(2027, 3, 14), "-05:00"),  # DST starts at 02:00 that Sunday
        (datetime.date(2027, 11, 7), "-06:00"),  # DST ends at 02:00 that Sunday
    ],
)
def test_dst_days_keep_local_working_hours(settings, day, offset):
    settings.BOOKING_HORIZON_DAYS = 5000
    location = LocationFactory()
    therapist_with_hours(location=location, weekdays=[6])
    slots = slot_list(
        appointment_type=AppointmentTypeFactory(duration_minutes=60),
        location=location,
        start_date=day - datetime.timedelta(days=7),
        end_date=day,
    )
    on_day = [s for s in slots if s.start.astimezone(CHICAGO).date() == day]
    first = on_day[0].start.astimezone(CHICAGO)
    assert first.isoformat() == f"{day.isoformat()}T08:00:00{offset}"
    assert on_day[-1].start.astimezone(CHICAGO).strftime("%H:%M") == "16:00"
    assert len(on_day) == 33
    # The week before sits on the other side of the change.
    before = slots[0].start.astimezone(CHICAGO)
    assert before.strftime("%H:%M") == "08:00"
    assert before.utcoffset() != first.utcoffset()


@pytest.mark.parametrize("appointments_per_therapist", [2, 20])
def test_query_count_does_not_grow(
    next_monday, django_assert_num_queries, appointments_per_therapist
):
    location = LocationFactory()
    appointment_type = AppointmentTypeFactory(duration_minutes=45)
    for _ in range(5):
        therapist = therapist_with_hours(location=location)
        for n in range(appointments_per_therapist):
            day = next_monday + datetime.timedelta(days=(n % 4) * 7 + n % 5)
            AppointmentFactory(
                therapist=therapist,
                location=location,
                appointment_type=appointment_type,
                start=local(day, 8 + n % 8),
            )
    with django_assert_num_queries(2):  # the hours, then time off and visits in one UNION
        slots = slot_list(
            appointment_type=appointment_type,
            location=location,
            start_date=next_monday,
            end_date=next_monday + datetime.timedelta(days=27),
        )
    assert len(slots) > 1000


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2027, 3, 8),  # a Monday
        datetime.date(2027, 3, 14),  # DST starts that Sunday
        datetime.date(2027, 11, 7),  # DST ends that Sunday
    ],
)
def test_finding_one_start_agrees_with_the_whole_day(settings, day):
    """Booking checks one start; it must see exactly what the day's list shows for it."""
    settings.BOOKING_HORIZON_DAYS = 5000
    location = LocationFactory()
    visit = AppointmentTypeFactory(duration_minutes=45, buffer_after_minutes=15)
    weekdays = [day.weekday()]
    early = therapist_with_hours(location=location, weekdays=weekdays, start="07:30", end="12:00")
    late = therapist_with_hours(location=location, weekdays=weekdays, start="10:10", end="18:00")
    split = therapist_with_hours(location=location, weekdays=weekdays, start="08:00", end="11:00")
    WorkingHoursFactory(
        therapist=split,
        location=location,
        weekday=day.weekday(),
        start_time=datetime.time(13),
        end_time=datetime.time(16, 30),
    )
    AppointmentFactory(
        therapist=early, location=location, appointment_type=visit, start=local(day, 9)
    )
    AppointmentFactory(
        therapist=late, location=LocationFactory(), appointment_type=visit, start=local(day, 12, 40)
    )
    TimeOffFactory(therapist=split, start=local(day, 14), end=local(day, 15))
    whole_day = slot_list(appointment_type=visit, location=location, start_date=day, end_date=day)
    assert whole_day
    moment = local(day, 6)
    while moment < local(day, 19):
        for therapist in (None, early, late, split):
            expected = [
                s
                for s in whole_day
                if s.start == moment and (therapist is None or s.therapist_id == therapist.pk)
            ]
            found = schedule_for_start(
                appointment_type=visit, location=location, start=moment, therapist=therapist
            ).slots(at=moment)
            assert found == expected, (moment.isoformat(), therapist)
            assert all(s.start.tzinfo == datetime.UTC for s in found)
        moment += datetime.timedelta(minutes=5)


def test_therapist_names_names_the_therapists_of_the_slots_in_one_query(
    clinic_setup, next_monday, django_assert_num_queries
):
    other = therapist_with_hours(location=clinic_setup["location"])
    slots = slot_list(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start_date=next_monday,
        end_date=next_monday,
    )
    with django_assert_num_queries(1):
        names = therapist_names(slots=slots)
    assert names == {t.pk: t.name for t in [clinic_setup["therapist"], other]}
