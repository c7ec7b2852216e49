"""The schedule as staff read it."""

import datetime
from collections import OrderedDict

from django.db.models import F
from django.utils import timezone

from clinic.models import Appointment, Therapist


def therapist_schedule(
    *, therapist: Therapist, today: datetime.date | None = None
) -> "OrderedDict[datetime.date, list[Appointment]]":
    """Today and the rest of this week (to Sunday), active visits only, by local day.

    One query: appointments come with patient, type and location.
    """
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    start = datetime.datetime.combine(today, datetime.time.min, zone)
    end = datetime.datetime.combine(week_end + datetime.timedelta(days=1), datetime.time.min, zone)
    appointments = (
        Appointment.objects.filter(therapist=therapist, start__gte=start, start__lt=end)
        .filter(status__in=Appointment.ACTIVE_STATUSES)
        .select_related("patient", "appointment_type", "location")
        .annotate(intake_urgent=F("intake__is_urgent"), intake_status=F("intake__status"))
        .order_by("start")
    )
    days: OrderedDict[datetime.date, list[Appointment]] = OrderedDict(
        (today + datetime.timedelta(days=n), []) for n in range((week_end - today).days + 1)
    )
    for appointment in appointments:
        days[appointment.local_start.date()].append(appointment)
    return days
