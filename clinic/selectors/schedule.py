"""The schedule as staff read it: a therapist's week (the workspace's schedule page)."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from clinic.models import Appointment, Therapist


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class ScheduleWeek:
    """One week (Monday to Sunday) of a therapist's visits, by local day."""

    monday: datetime.date
    today: datetime.date
    days: "OrderedDict[datetime.date, list[Appointment]]"

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def is_this_week(self) -> bool:
        return self.monday == week_start(self.today)


def therapist_week(
    *,
    therapist: Therapist,
    week_of: datetime.date | None = None,
    today: datetime.date | None = None,
) -> ScheduleWeek:
    """The week (Monday to Sunday) that holds ``week_of`` (default: today), active visits only.

    One query: appointments come with patient, type and location, the intake's id, status and
    urgency (read through the reverse relation, so clinic imports nothing of intake).
    """
    today = today or timezone.localdate()
    monday = week_start(week_of or today)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, zone)
    end = datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min, zone)
    appointments = (
        Appointment.objects.filter(therapist=therapist, start__gte=start, start__lt=end)
        .filter(status__in=Appointment.ACTIVE_STATUSES)
        .select_related("patient", "appointment_type", "location")
        .annotate(
            intake_id=F("intake__id"),
            intake_urgent=F("intake__is_urgent"),
            intake_status=F("intake__status"),
        )
        .order_by("start")
    )
    days: OrderedDict[datetime.date, list[Appointment]] = OrderedDict(
        (monday + datetime.timedelta(days=n), []) for n in range(7)
    )
    for appointment in appointments:
        days.setdefault(appointment.local_start.date(), []).append(appointment)
    return ScheduleWeek(monday=monday, today=today, days=days)


def therapist_schedule(
    *, therapist: Therapist, today: datetime.date | None = None
) -> "OrderedDict[datetime.date, list[Appointment]]":
    """The days of the week that holds ``today``, each with its active visits."""
    return therapist_week(therapist=therapist, today=today).days
