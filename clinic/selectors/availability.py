"""Free slots: the one place availability is computed (pages, API, admin and booking call it).

Weekly hours are read in the location's local time for each date, so a therapist who works
08:00–17:00 starts at 08:00 local on both sides of a DST change. Everything after that is
done on UTC instants. Loading a schedule is two queries whatever the range, number of
therapists or number of appointments: the hours of the location's active therapists there,
and their busy times in the window (time off and active appointments at any location, and the
location's closures, in one ``UNION ALL``). A closed day (``ClinicClosure``: a holiday) has no
free time whatever the weekly hours say.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import DateTimeField, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from clinic.models import Appointment, AppointmentType, Location, Therapist, TimeOff, WorkingHours
from clinic.models_scheduling import ClinicClosure

UTC = datetime.UTC
NEAREST_LIMIT = 5
# What a row of the busy-times UNION is.
TIME_OFF, VISIT, CLOSURE = 0, 1, 2


class Conflict:
    """Why a start is not free (``Schedule.conflict``), most telling first."""

    CLOSED = "closed"
    TIME_OFF = "time_off"
    TAKEN = "taken"
    OUTSIDE_HOURS = "outside_hours"
    PAST = "past"

    LABELS = {
        CLOSED: "Clinic closed",
        TIME_OFF: "Therapist's time off",
        TAKEN: "Already taken",
        OUTSIDE_HOURS: "Outside the therapist's hours",
        PAST: "Already passed",
    }


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime.datetime  # aware, UTC
    end: datetime.datetime
    therapist_id: int


def _slot_order(slot: Slot) -> tuple:
    return (slot.start, slot.end, slot.therapist_id)


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


class Schedule:
    """The hours and busy times of a location's therapists over local dates first..last.

    Built by :func:`schedule_load`; answers any number of questions about that window without
    another query: the free slots, who is free at one start, who is booked then.
    """

    def __init__(
        self,
        *,
        appointment_type: AppointmentType,
        location: Location,
        therapist: Therapist | None,
        first_day: datetime.date,
        last_day: datetime.date,
        now: datetime.datetime,
        enforce_window: bool,
        earliest: datetime.datetime | None,
        hours: dict,
        busy: dict,
        visits: dict,
        time_off: dict | None = None,
        closed_days: set | None = None,
    ):
        # What was asked: kept so that a caller can ask again around another time.
        self.appointment_type = appointment_type
        self.location = location
        self.therapist = therapist
        self.now = now
        self.enforce_window = enforce_window
        self.zone = location.zone
        self.first_day = first_day
        self.last_day = last_day
        self.earliest = earliest
        self.hours = hours  # therapist id -> weekday -> [(start time, end time)]
        self.visits = visits  # therapist id -> [(start, blocked_until)] of active appointments
        self.busy = {t_id: _Busy(busy.get(t_id, ())) for t_id in hours}
        self.time_off = {t_id: _Busy((time_off or {}).get(t_id, ())) for t_id in hours}
        self.closed_days = closed_days or set()  # local dates the location is closed
        self.duration = appointment_type.duration
        self.blocked = appointment_type.duration + appointment_type.buffer
        self.step = datetime.timedelta(minutes=settings.BOOKING_SLOT_STEP_MINUTES)

    def _starts(self, day: datetime.date, block_start, block_end, at: datetime.datetime | None):
        """Grid starts of one block of hours on one date (only ``at``, if it is one of them)."""
        # Wall-clock times on this date in the location's zone, then instants in UTC.
        first = datetime.datetime.combine(day, block_start, self.zone).astimezone(UTC)
        last = datetime.datetime.combine(day, block_end, self.zone).astimezone(UTC) - self.duration
        if at is not None:
            at = at.astimezone(UTC)
            if first <= at <= last and (at - first) % self.step == datetime.timedelta(0):
                yield at
            return
        cursor = first
        while cursor <= last:
            yield cursor
            cursor += self.step

    def slots(self, *, at: datetime.datetime | None = None) -> list[Slot]:
        """Free slots in the window, sorted; with ``at``, only those starting then."""
        if at is None:
            days = [
                self.first_day + datetime.timedelta(days=n)
                for n in range((self.last_day - self.first_day).days + 1)
            ]
        else:
            local = at.astimezone(self.zone).date()
            days = [local] if self.first_day <= local <= self.last_day else []
        days = [day for day in days if day not in self.closed_days]
        earliest = self.earliest
        slots: list[Slot] = []
        for t_id, weekly in self.hours.items():
            free = self.busy[t_id]
            for day in days:
                for block_start, block_end in weekly.get(day.weekday(), ()):
                    for start in self._starts(day, block_start, block_end, at):
                        if (earliest is None or start >= earliest) and free.is_free(
                            start, start + self.blocked
                        ):
                            slots.append(Slot(start, start + self.duration, t_id))
        slots.sort(key=_slot_order)  # a key is much cheaper than the dataclass's __lt__
        return slots

    def booked_at(self, start: datetime.datetime) -> bool:
        """Whether an appointment of one of these therapists overlaps a visit from ``start``."""
        end = start + self.blocked
        return any(s < end and start < e for visits in self.visits.values() for s, e in visits)

    def conflict(self, start: datetime.datetime, *, therapist_id: int) -> str:
        """Why one therapist is not free at ``start`` (a ``Conflict``), or "" when free."""
        if start <= self.now:
            return Conflict.PAST
        day = start.astimezone(self.zone).date()
        if day in self.closed_days:
            return Conflict.CLOSED
        if any(s.therapist_id == therapist_id for s in self.slots(at=start)):
            return ""
        end = start + self.blocked
        off = self.time_off.get(therapist_id)
        if off is not None and not off.is_free(start, end):
            return Conflict.TIME_OFF
        visits = self.visits.get(therapist_id, ())
        if any(s < end and start < e for s, e in visits):
            return Conflict.TAKEN
        return Conflict.OUTSIDE_HOURS

    def visits_on(self, therapist_id: int, day: datetime.date) -> int:
        """Active appointments of a therapist starting on a local date (any location)."""
        return sum(
            1 for s, _ in self.visits.get(therapist_id, ()) if s.astimezone(self.zone).date() == day
        )


def schedule_load(
    *,
    appointment_type: AppointmentType,
    location: Location,
    start_date: datetime.date,
    end_date: datetime.date,
    therapist: Therapist | None = None,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
    exclude_appointment_id: int | None = None,
) -> Schedule:
    """Two queries: hours of the active therapists at ``location``, then their busy times.

    With ``enforce_window`` the minimum notice and the booking horizon apply. Without a
    therapist, every active therapist at the location is included ("any therapist").
    """
    zone = location.zone
    now = now or timezone.now()
    if enforce_window:
        earliest, last_day = booking_window(now=now)
        end_date = min(end_date, last_day)
    else:
        earliest = None
    hours: dict = defaultdict(lambda: defaultdict(list))
    busy: dict = defaultdict(list)
    visits: dict = defaultdict(list)
    time_off_by: dict = defaultdict(list)
    closed_days: set[datetime.date] = set()
    schedule = {
        "appointment_type": appointment_type,
        "location": location,
        "therapist": therapist,
        "first_day": start_date,
        "last_day": end_date,
        "now": now,
        "enforce_window": enforce_window,
        "earliest": earliest,
    }
    if end_date < start_date:
        return Schedule(**schedule, hours={}, busy={}, visits={})

    rows = WorkingHours.objects.filter(
        location=location, therapist__is_active=True, therapist__locations=location
    )
    if therapist is not None:
        rows = rows.filter(therapist=therapist)
    for t_id, weekday, start_time, end_time in rows.values_list(
        "therapist_id", "weekday", "start_time", "end_time"
    ):
        hours[t_id][weekday].append((start_time, end_time))
    if not hours:
        return Schedule(**schedule, hours={}, busy={}, visits={})

    window_start = datetime.datetime.combine(start_date, datetime.time.min, zone)
    window_end = datetime.datetime.combine(
        end_date + datetime.timedelta(days=1), datetime.time.min, zone
    )
    therapist_ids = list(hours)
    time_off = (
        TimeOff.objects.filter(
            therapist_id__in=therapist_ids, start__lt=window_end, end__gt=window_start
        )
        .order_by()  # no ORDER BY inside a UNION
        .values_list("therapist_id", "start", "end", Value(TIME_OFF, output_field=IntegerField()))
    )
    appointments = Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        start__lt=window_end + datetime.timedelta(days=1),
        blocked_until__gt=window_start,
    ).filter(status__in=Appointment.ACTIVE_STATUSES)
    if exclude_appointment_id is not None:
        appointments = appointments.exclude(pk=exclude_appointment_id)
    appointments = appointments.order_by().values_list(
        "therapist_id", "start", "blocked_until", Value(VISIT, output_field=IntegerField())
    )
    # A closure's days come as midnights (UTC) of its first and last date: the dates are read
    # back from them, on the location's calendar.
    closures = (
        ClinicClosure.objects.filter(Q(location=location) | Q(location__isnull=True))
        .filter(start_date__lte=end_date, end_date__gte=start_date)
        .order_by()
        .values_list(
            Value(None, output_field=IntegerField()),
            Cast("start_date", DateTimeField()),
            Cast("end_date", DateTimeField()),
            Value(CLOSURE, output_field=IntegerField()),
        )
    )
    for t_id, start, end, kind in time_off.union(appointments, closures, all=True):
        if kind == CLOSURE:
            day = max(start.astimezone(UTC).date(), start_date)
            while day <= min(end.astimezone(UTC).date(), end_date):
                closed_days.add(day)
                day += datetime.timedelta(days=1)
            continue
        busy[t_id].append((start, end))
        (visits if kind == VISIT else time_off_by)[t_id].append((start, end))
    return Schedule(
        **schedule,
        hours=hours,
        busy=busy,
        visits=visits,
        time_off=time_off_by,
        closed_days=closed_days,
    )


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
    return schedule_load(
        appointment_type=appointment_type,
        location=location,
        start_date=start_date,
        end_date=end_date,
        therapist=therapist,
        now=now,
        enforce_window=enforce_window,
        exclude_appointment_id=exclude_appointment_id,
    ).slots()


def schedule_for_start(
    *,
    appointment_type: AppointmentType,
    location: Location,
    start: datetime.datetime,
    therapist: Therapist | None = None,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
    exclude_appointment_id: int | None = None,
) -> Schedule:
    """The schedule of the local day ``start`` falls on: enough to book it or say why not."""
    day = start.astimezone(location.zone).date()
    return schedule_load(
        appointment_type=appointment_type,
        location=location,
        start_date=day,
        end_date=day,
        therapist=therapist,
        now=now,
        enforce_window=enforce_window,
        exclude_appointment_id=exclude_appointment_id,
    )


def _nearest(
    slots: list[Slot], *, around: datetime.datetime, now: datetime.datetime, limit: int
) -> list[Slot]:
    by_start: dict[datetime.datetime, Slot] = {}
    for slot in slots:
        if slot.start > now:  # the front desk's window is open, but never the past
            by_start.setdefault(slot.start, slot)
    nearest = sorted(by_start.values(), key=lambda s: abs(s.start - around))
    return sorted(nearest[:limit], key=_slot_order)


def slot_nearest(
    *,
    appointment_type: AppointmentType,
    location: Location,
    around: datetime.datetime,
    therapist: Therapist | None = None,
    limit: int = NEAREST_LIMIT,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
    same_day: Schedule | None = None,
) -> list[Slot]:
    """Free start times closest to ``around`` (one per start), for "that time was just taken".

    Looks at the same day first (``same_day``, when the caller has loaded it already) and
    widens only when it finds too few, so a lost race (which comes in bursts) costs about one
    day's availability.
    """
    now = now or timezone.now()
    day = around.astimezone(location.zone).date()
    rounds = [(0, 0), (1, 2), (3, 7)]
    nearest: list[Slot] = []
    if same_day is not None:
        nearest = _nearest(same_day.slots(), around=around, now=now, limit=limit)
        rounds.pop(0)
    for before, after in rounds:
        if len(nearest) >= limit:
            break
        slots = slot_list(
            appointment_type=appointment_type,
            location=location,
            start_date=day - datetime.timedelta(days=before),
            end_date=day + datetime.timedelta(days=after),
            therapist=therapist,
            now=now,
            enforce_window=enforce_window,
        )
        nearest = _nearest(slots, around=around, now=now, limit=limit)
    return nearest
