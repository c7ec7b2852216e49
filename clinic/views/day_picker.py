"""The day view of free times that booking (``booking.BookTimesView``) and rescheduling
(``manage.RescheduleView``) share: free times grouped by local day, the day the page shows,
and the start time a patient chose."""

import datetime
from collections import OrderedDict

from django.utils import timezone
from django.utils.dateparse import parse_datetime

DAYS_SHOWN = 14


def days_with_times(slots, zone) -> "OrderedDict[datetime.date, list]":
    """Free start times grouped by local day; "any therapist" shows each time once."""
    days: OrderedDict[datetime.date, OrderedDict] = OrderedDict()
    for slot in slots:
        local = slot.start.astimezone(zone)
        days.setdefault(local.date(), OrderedDict()).setdefault(local, slot)
    return OrderedDict((day, list(times.values())) for day, times in days.items())


def selected_day(request, days) -> datetime.date | None:
    """The day the page asks for (``?day=``) when it has free times, else the first that has."""
    try:
        selected = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        selected = None
    return selected if selected in days else next(iter(days), None)


def slot_from_request(request) -> datetime.datetime | None:
    """The chosen start (``start=`` in the query or the form), if it is an aware time."""
    start = parse_datetime(request.GET.get("start", "") or request.POST.get("start", ""))
    if start is None or timezone.is_naive(start):
        return None
    return start
