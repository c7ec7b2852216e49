"""Free slots: the one place availability is computed (pages, API and admin call it).

Weekly hours are read in the location's local time for each date, so a therapist who works
08:00–17:00 starts at 08:00 local on both sides of a DST change. Everything after that is
done on UTC instants. The work is four queries whatever the range, number of therapists or
number of appointments: therapists, their hours at the location, their time off, and their
active appointments (at any location) in the window.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from clinic.models import Appointment, AppointmentType, Location, Therapist, TimeOff, WorkingHours

UTC = datetime.UTC


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime.datetime  # aware, UTC
    end: datetime.datetime
    therapist_id: int


def booking_window(
    *, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.date]:
    """The earliest start patients may book (minimum notice) and the last bookable local date."""
    now = now or timezone.now()
    earliest = now + datetime.timedelta(hours=settings.BOOKING_MIN_NOTICE_HOURS)
    last_day = (now + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS)).date()
    return earliest, last_day


class _Busy:
    """A therapist's busy intervals as sorted, merged [start, end) pairs, for bisect lookups."""

    def __init__(self, intervals):
        merged: list[list[datetime.datetime]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def is_free(self, start: datetime.datetime, end: datetime.datetime) -> bool:
        # The last busy interval starting before `end` must finish by `start`.
        i = bisect.bisect_left(self.starts, end) - 1
        return i < 0 or self.ends[i] <= start


def slot_list(
    *,
    appointment_type: AppointmentType,
    location: Location,
    start_date: datetime.date,
    end_date: datetime.date,
    therapist: Therapist | None = None,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """Free slots for ``appointment_type`` at ``location`` on local dates start..end inclusive.

    A slot fits inside one weekly block of the therapist's hours at this location, starts on
    the block's 15-minute grid (``BOOKING_SLOT_STEP_MINUTES``), and its visit plus the type's
    buffer overlaps no time off and no active appointment (with that appointment's buffer).
    With ``enforce_window`` the minimum notice and the booking horizon apply too. Without a
    therapist, every active therapist at the location is merged ("any therapist").
    """
    zone = location.zone
    if enforce_window:
        earliest, last_day = booking_window(now=now)
        end_date = min(end_date, last_day)
    else:
        earliest = None
    if end_date < start_date:
        return []

    therapists = Therapist.objects.filter(locations=location, is_active=True)
    if therapist is not None:
        therapists = therapists.filter(pk=therapist.pk)
    therapist_ids = list(therapists.values_list("pk", flat=True))
    if not therapist_ids:
        return []

    hours_by_therapist = defaultdict(lambda: defaultdict(list))
    for t_id, weekday, start_time, end_time in WorkingHours.objects.filter(
        therapist_id__in=therapist_ids, location=location
    ).values_list("therapist_id", "weekday", "start_time", "end_time"):
        hours_by_therapist[t_id][weekday].append((start_time, end_time))

    window_start = datetime.datetime.combine(start_date, datetime.time.min, zone)
    window_end = datetime.datetime.combine(
        end_date + datetime.timedelta(days=1), datetime.time.min, zone
    )
    busy = defaultdict(list)
    for t_id, start, end in TimeOff.objects.filter(
        therapist_id__in=therapist_ids, start__lt=window_end, end__gt=window_start
    ).values_list("therapist_id", "start", "end"):
        busy[t_id].append((start, end))
    appointments = Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        start__lt=window_end + datetime.timedelta(days=1),
        blocked_until__gt=window_start,
    ).exclude(status__in=Appointment.INACTIVE_STATUSES)
    if exclude_appointment_id is not None:
        appointments = appointments.exclude(pk=exclude_appointment_id)
    for t_id, start, end in appointments.values_list("therapist_id", "start", "blocked_until"):
        busy[t_id].append((start, end))

    duration = appointment_type.duration
    blocked = duration + appointment_type.buffer
    step = datetime.timedelta(minutes=settings.BOOKING_SLOT_STEP_MINUTES)
    days = [
        start_date + datetime.timedelta(days=n) for n in range((end_date - start_date).days + 1)
    ]

    slots: list[Slot] = []
    for t_id in therapist_ids:
        weekly = hours_by_therapist.get(t_id)
        if not weekly:
            continue
        free = _Busy(busy.get(t_id, ()))
        for day in days:
            for block_start, block_end in weekly.get(day.weekday(), ()):
                # Wall-clock times on this date in the location's zone, then instants in UTC.
                cursor = datetime.datetime.combine(day, block_start, zone).astimezone(UTC)
                last = datetime.datetime.combine(day, block_end, zone).astimezone(UTC) - duration
                while cursor <= last:
                    if (earliest is None or cursor >= earliest) and free.is_free(
                        cursor, cursor + blocked
                    ):
                        slots.append(Slot(cursor, cursor + duration, t_id))
                    cursor += step
    slots.sort()
    return slots


def slot_find(
    *,
    appointment_type: AppointmentType,
    location: Location,
    start: datetime.datetime,
    therapist: Therapist | None = None,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """The free slots that begin exactly at ``start`` (one per free therapist)."""
    day = start.astimezone(location.zone).date()
    return [
        slot
        for slot in slot_list(
            appointment_type=appointment_type,
            location=location,
            start_date=day,
            end_date=day,
            therapist=therapist,
            now=now,
            enforce_window=enforce_window,
            exclude_appointment_id=exclude_appointment_id,
        )
        if slot.start == start
    ]


def slot_nearest(
    *,
    appointment_type: AppointmentType,
    location: Location,
    around: datetime.datetime,
    therapist: Therapist | None = None,
    limit: int = 5,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
) -> list[Slot]:
    """Free start times closest to ``around`` (one per start), for "that time was just taken".

    Looks at the same day first and widens only when it finds too few, so a lost race (which
    comes in bursts) costs about one day's availability.
    """
    now = now or timezone.now()
    day = around.astimezone(location.zone).date()
    by_start: dict[datetime.datetime, Slot] = {}
    for before, after in ((0, 0), (1, 2), (3, 7)):
        slots = slot_list(
            appointment_type=appointment_type,
            location=location,
            start_date=day - datetime.timedelta(days=before),
            end_date=day + datetime.timedelta(days=after),
            therapist=therapist,
            now=now,
            enforce_window=enforce_window,
        )
        by_start = {}
        for slot in slots:
            if slot.start > now:  # the front desk's window is open, but never the past
                by_start.setdefault(slot.start, slot)
        if len(by_start) >= limit:
            break
    nearest = sorted(by_start.values(), key=lambda s: abs((s.start - around).total_seconds()))
    return sorted(nearest[:limit])
