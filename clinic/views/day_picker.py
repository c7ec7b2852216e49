"""The day view of free times that booking (``booking.BookTimesView``) and rescheduling
(``manage.RescheduleView``) share: free times grouped by local day, the day the page shows,
and the start time a patient chose."""

import datetime
from collections import OrderedDict

from django.utils import timezone
from django.utils.dateparse import parse_datetime

DAYS_SHOWN = 14
# A start further than this from now is no time anyone books: refused before any arithmetic
# on it can overflow (9999-12-31T23:59-12:00 is past the last representable instant in UTC).
FARTHEST_START = datetime.timedelta(days=3660)
DATE_UNREADABLE = (
    "We couldn't use that date: it isn't a real date or it's outside the dates we book online. "
    "Here are the first free times."
)
TIME_UNREADABLE = "We couldn't read that time. Please choose one of the free times."


def date_from_query(value: str) -> datetime.date | None:
    """A ``YYYY-MM-DD`` date, or None when it is not a real date."""
    try:
        return datetime.date.fromisoformat(value)
    except (ValueError, TypeError):
        return None


def days_with_times(slots, zone) -> "OrderedDict[datetime.date, list]":
    """Free start times grouped by local day; "any therapist" shows each time once."""
    days: OrderedDict[datetime.date, OrderedDict] = OrderedDict()
    for slot in slots:
        local = slot.start.astimezone(zone)
        days.setdefault(local.date(), OrderedDict()).setdefault(local, slot)
    return OrderedDict((day, list(times.values())) for day, times in days.items())


def selected_day(request, days) -> datetime.date | None:
    """The day the page asks for (``?day=``) when it has free times, else the first that has."""
    selected = date_from_query(request.GET.get("day", ""))
    return selected if selected in days else next(iter(days), None)


def start_given(request) -> bool:
    return bool(request.GET.get("start") or request.POST.get("start"))


def slot_from_request(request) -> datetime.datetime | None:
    """The chosen start (``start=`` in the query or the form), if it is an aware, real time
    within a few years of now; None for anything else (Feb 30, year 9999, no offset)."""
    try:
        start = parse_datetime(request.GET.get("start", "") or request.POST.get("start", ""))
        if start is None or timezone.is_naive(start):
            return None
        start = start.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
    if abs(start - timezone.now()) > FARTHEST_START:
        return None
    return start
