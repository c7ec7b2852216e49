"""When a location is open: one rule, read from the therapists' weekly hours.

There is no table of opening hours. A location is open at a moment when the weekly
``WorkingHours`` block of any active therapist at that location covers the moment, read on
the location's wall clock: a block of Monday 08:00–17:00 is 08:00–17:00 local time every
Monday, whatever the offset from UTC that day, so on a daylight-saving day the hours move
with the clock and a block that spans the change is an hour shorter or longer. Time off and
holidays are not counted: a location with hours that day is taken to be open.

``location_open_intervals`` is the rule; the other functions are read from it. Used by the
intake's escalation of urgent intakes (intake/services/escalation.py), which counts the time
an intake has waited in opening hours.
"""

import datetime

from clinic.models import Location, WorkingHours


def _blocks(location: Location) -> list[tuple[int, datetime.time, datetime.time]]:
    return list(
        WorkingHours.objects.filter(location=location, therapist__is_active=True).values_list(
            "weekday", "start_time", "end_time"
        )
    )


def location_keeps_hours(*, location: Location) -> bool:
    """Whether any active therapist has weekly hours at ``location`` at all."""
    return bool(_blocks(location))


def location_open_intervals(
    *, location: Location, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The stretches of [``start``, ``end``) in which ``location`` is open, in order, merged
    where blocks overlap or touch, as aware datetimes in UTC. One query."""
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("Give aware datetimes: a naive one's zone is a guess.")
    # Everything in UTC: two datetimes of one zone subtract as wall-clock times, so an hour
    # that a daylight-saving change skips or repeats would be counted wrongly.
    start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    if end <= start:
        return []
    blocks = _blocks(location)
    zone = location.zone
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    stretches = []
    while day <= last:
        for weekday, opens, closes in blocks:
            if weekday != day.weekday():
                continue
            # Wall-clock times of that day in the location's zone, as UTC moments.
            begin = datetime.datetime.combine(day, opens, zone).astimezone(datetime.UTC)
            finish = datetime.datetime.combine(day, closes, zone).astimezone(datetime.UTC)
            begin, finish = max(begin, start), min(finish, end)
            if begin < finish:
                stretches.append((begin, finish))
        day += datetime.timedelta(days=1)
    merged: list[tuple[datetime.datetime, datetime.datetime]] = []
    for begin, finish in sorted(stretches):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def location_open_time(
    *, location: Location, start: datetime.datetime, end: datetime.datetime
) -> datetime.timedelta:
    """How long ``location`` is open between ``start`` and ``end``."""
    stretches = location_open_intervals(location=location, start=start, end=end)
    return sum((finish - begin for begin, finish in stretches), datetime.timedelta())


def location_is_open(*, location: Location, moment: datetime.datetime) -> bool:
    """Whether ``location`` is open at ``moment`` (a block's start is open, its end is not)."""
    after = moment + datetime.timedelta(microseconds=1)
    return bool(location_open_intervals(location=location, start=moment, end=after))
