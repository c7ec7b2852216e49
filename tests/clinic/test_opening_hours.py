"""A location is open when any active therapist's weekly hours there cover the moment, on the
location's wall clock: daylight-saving days included."""

import datetime
import zoneinfo

import pytest

from clinic.selectors import (
    location_is_open,
    location_keeps_hours,
    location_open_intervals,
    location_open_time,
)
from tests.factories.clinic import LocationFactory, TherapistFactory, therapist_with_hours

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = datetime.UTC
MONDAY = datetime.date(2026, 3, 2)  # a Monday in standard time
SPRING_FORWARD = datetime.date(2026, 3, 8)  # a Sunday: 2:00 CST becomes 3:00 CDT
FALL_BACK = datetime.date(2026, 11, 1)  # a Sunday: 2:00 CDT becomes 1:00 CST


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), CHICAGO)


def minutes(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 60


@pytest.fixture
def location(db):
    """Open Monday to Friday 8:00–17:00 (one therapist)."""
    location = LocationFactory(time_zone="America/Chicago")
    therapist_with_hours(location=location)
    return location


def test_open_in_a_block_and_closed_outside_it(location):
    assert location_is_open(location=location, moment=local(MONDAY, 8))
    assert location_is_open(location=location, moment=local(MONDAY, 16, 59))
    assert not location_is_open(location=location, moment=local(MONDAY, 17))
    assert not location_is_open(location=location, moment=local(MONDAY, 7, 59))
    saturday = MONDAY + datetime.timedelta(days=5)
    assert not location_is_open(location=location, moment=local(saturday, 12))


def test_any_therapists_hours_open_the_location_and_overlaps_count_once(location):
    therapist_with_hours(location=location, weekdays=[0], start="16:00", end="20:00")
    assert location_is_open(location=location, moment=local(MONDAY, 19))
    day = (local(MONDAY, 0), local(MONDAY + datetime.timedelta(days=1), 0))
    assert location_open_intervals(location=location, start=day[0], end=day[1]) == [
        (local(MONDAY, 8).astimezone(UTC), local(MONDAY, 20).astimezone(UTC))
    ]
    assert minutes(location_open_time(location=location, start=day[0], end=day[1])) == 12 * 60


def test_an_inactive_therapist_or_another_location_does_not_open_it(location):
    gone = therapist_with_hours(location=location, weekdays=[5], start="09:00", end="12:00")
    gone.is_active = False
    gone.save()
    therapist_with_hours(location=LocationFactory(), weekdays=[6])
    saturday = MONDAY + datetime.timedelta(days=5)
    assert not location_is_open(location=location, moment=local(saturday, 10))
    assert not location_is_open(
        location=location, moment=local(saturday + datetime.timedelta(days=1), 10)
    )


def test_a_location_without_hours(db):
    empty = LocationFactory()
    TherapistFactory(locations=[empty])
    assert not location_keeps_hours(location=empty)
    assert (
        location_open_intervals(location=empty, start=local(MONDAY, 0), end=local(MONDAY, 23)) == []
    )


def test_time_is_clipped_to_the_range_asked(location):
    start, end = local(MONDAY, 10, 15), local(MONDAY, 11)
    assert minutes(location_open_time(location=location, start=start, end=end)) == 45
    assert location_open_time(location=location, start=end, end=start) == datetime.timedelta()


def test_an_urgent_intake_arriving_at_night_waits_for_the_opening(location):
    """10 PM Monday: nothing counts until 8 AM Tuesday; 30 minutes are reached at 8:30."""
    since = local(MONDAY, 22)
    tuesday = MONDAY + datetime.timedelta(days=1)
    assert location_open_time(location=location, start=since, end=local(tuesday, 7, 59)) == (
        datetime.timedelta()
    )
    assert (
        minutes(location_open_time(location=location, start=since, end=local(tuesday, 8, 29))) == 29
    )
    assert (
        minutes(location_open_time(location=location, start=since, end=local(tuesday, 8, 30))) == 30
    )


def test_friday_evening_counts_from_monday_morning(location):
    friday = MONDAY + datetime.timedelta(days=4)
    next_monday = MONDAY + datetime.timedelta(days=7)
    waited = location_open_time(
        location=location, start=local(friday, 16, 50), end=local(next_monday, 8, 20)
    )
    assert minutes(waited) == 10 + 20


def test_on_the_spring_forward_day_the_hours_follow_the_clock(location):
    """A block 0:00–6:00 on the Sunday clocks go forward lasts five hours; 8:00 that morning
    is 13:00 UTC (CDT), not 14:00 (CST)."""
    therapist_with_hours(location=location, weekdays=[6], start="00:00", end="06:00")
    therapist_with_hours(location=location, weekdays=[6], start="08:00", end="09:00")
    stretches = location_open_intervals(
        location=location,
        start=local(SPRING_FORWARD, 0),
        end=local(SPRING_FORWARD + datetime.timedelta(days=1), 0),
    )
    assert stretches == [
        (
            datetime.datetime(2026, 3, 8, 6, tzinfo=UTC),
            datetime.datetime(2026, 3, 8, 11, tzinfo=UTC),
        ),
        (
            datetime.datetime(2026, 3, 8, 13, tzinfo=UTC),
            datetime.datetime(2026, 3, 8, 14, tzinfo=UTC),
        ),
    ]
    assert minutes(stretches[0][1] - stretches[0][0]) == 5 * 60
    # From 1:30 AM to 3:30 AM by the clock that night is one hour open, not two.
    since = local(SPRING_FORWARD, 1, 30)
    until = datetime.datetime.combine(SPRING_FORWARD, datetime.time(3, 30), CHICAGO)
    assert minutes(location_open_time(location=location, start=since, end=until)) == 60
    # …and 5 hours after 0:00 (not 6) the night block is over.
    assert location_is_open(
        location=location, moment=datetime.datetime(2026, 3, 8, 10, 59, tzinfo=UTC)
    )
    assert not location_is_open(
        location=location, moment=datetime.datetime(2026, 3, 8, 11, tzinfo=UTC)
    )


def test_on_the_fall_back_day_a_block_across_the_change_lasts_an_hour_longer(location):
    therapist_with_hours(location=location, weekdays=[6], start="00:00", end="06:00")
    waited = location_open_time(
        location=location,
        start=local(FALL_BACK, 0),
        end=local(FALL_BACK + datetime.timedelta(days=1), 0),
    )
    assert minutes(waited) == 7 * 60


def test_a_naive_moment_is_refused(location):
    with pytest.raises(ValueError):
        location_is_open(location=location, moment=datetime.datetime(2026, 3, 2, 9))
