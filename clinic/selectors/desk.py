"""The front desk's day: what the admin's "Today" page (``clinic.admin.desk``) shows.

Today's visits at each open location (each location's own calendar day), the urgent intakes
nobody has acknowledged yet (status only: the desk never sees answers, ``docs/access.md``) and
the texts that failed lately. A fixed number of queries, however busy the day.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from clinic import access
from clinic.models import Appointment, Location, Message
from clinic.selectors.catalog import location_list_active

FAILED_TEXT_DAYS = 7
LIST_LIMIT = 25


@dataclass
class LocationDay:
    location: Location
    day: datetime.date
    visits: list[Appointment] = field(default_factory=list)


@dataclass(frozen=True)
class DeskDay:
    now: datetime.datetime
    locations: list[LocationDay]
    urgent_intakes: list  # intake rows, with patient and appointment
    failed_texts: list[Message]


def desk_today(*, user, now: datetime.datetime | None = None) -> DeskDay:
    """Today at every open location, the unacknowledged urgent intakes ``user`` may see the
    status of, and the texts that failed in the last ``FAILED_TEXT_DAYS`` days."""
    now = now or timezone.now()
    days = [
        LocationDay(location=location, day=now.astimezone(location.zone).date())
        for location in location_list_active()
    ]
    by_location = {d.location.pk: d for d in days}
    # Any location's today lies within a day and a half of now, whatever its zone.
    around = datetime.timedelta(hours=36)
    visits = (
        Appointment.objects.filter(
            location__in=by_location.keys(),
            start__gte=now - around,
            start__lt=now + around,
            status__in=Appointment.ACTIVE_STATUSES,
        )
        .select_related("patient", "therapist__user", "location", "appointment_type")
        .annotate(intake_urgent=F("intake__is_urgent"), intake_status=F("intake__status"))
        .order_by("start")
    )
    for visit in visits:
        day = by_location[visit.location_id]
        if visit.start.astimezone(day.location.zone).date() == day.day:
            day.visits.append(visit)
    urgent = (
        access.intakes_status(user=user)
        .filter(is_urgent=True, urgent_acknowledged_at__isnull=True)
        .select_related("patient", "appointment__location", "appointment__therapist__user")
        .order_by("urgent_since")[:LIST_LIMIT]
    )
    failed = (
        Message.objects.filter(
            status__in=(Message.Status.FAILED, Message.Status.UNDELIVERED),
            created_at__gte=now - datetime.timedelta(days=FAILED_TEXT_DAYS),
        )
        .select_related("patient")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    return DeskDay(now=now, locations=days, urgent_intakes=list(urgent), failed_texts=list(failed))
