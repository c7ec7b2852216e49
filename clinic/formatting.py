"""How Stride writes a moment of the schedule: the wall-clock time at the location, one way.

    local_datetime(moment, zone)                   Wed Dec 9, 2:00 PM
    local_date(moment, zone)                       Wed Dec 9
    local_time(moment, zone)                       2:00 PM
    local_datetime(moment, zone, with_zone=True)   Wed Dec 9, 2:00 PM CST
    long_date(day)                                 Wednesday, December 9
    calendar_date(day)                             Dec 9, 2026
    stamp(moment)                                  Dec 9, 2026, 2:00 PM


The zone's abbreviation goes into texts and emails, which are read away from the pages that
name the location. ``zone`` is the location's zone (``Location.zone``) or its IANA name.
``long_date`` writes a day already chosen on the location's calendar (the heading of the
admin's Free times page), so it takes a date and no zone. ``calendar_date`` writes a day that
is not on the schedule (a date of birth, the day a pain started, a plan's review date) and
``stamp`` when something was recorded (sent, reviewed, saved), in the practice's zone; Django's
own ``DATE_FORMAT`` and ``DATETIME_FORMAT`` (``clinic/formats/en/formats.py``) say the same, so a
date the admin shows by itself reads alike. Never "Dec. 9, 2026, 2 p.m." nor an ISO date.
Pages, the admin, texts and emails all use these; templates through ``{% load stride %}``.
Names of days and months are written out here rather than by ``strftime``, whose names
follow the process's locale.
"""

import datetime
import zoneinfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(moment: datetime.datetime, zone: datetime.tzinfo | str) -> datetime.datetime:
    """``moment`` on the wall clock of ``zone``. A naive moment is refused: its zone is a guess."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; give an aware datetime.")
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return moment.astimezone(zone)


def local_date(moment: datetime.datetime, zone: datetime.tzinfo | str) -> str:
    """The local day of ``moment``, e.g. Wed Dec 9."""
    local = _local(moment, zone)
    return f"{WEEKDAYS[local.weekday()]} {MONTHS[local.month - 1]} {local.day}"


def local_time(
    moment: datetime.datetime, zone: datetime.tzinfo | str, *, with_zone: bool = False
) -> str:
    """The local time of ``moment``, e.g. 2:00 PM, or 2:00 PM CST ``with_zone``."""
    local = _local(moment, zone)
    text = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    return f"{text} {local.tzname()}" if with_zone else text


def local_datetime(
    moment: datetime.datetime, zone: datetime.tzinfo | str, *, with_zone: bool = False
) -> str:
    """The local day and time of ``moment``, e.g. Wed Dec 9, 2:00 PM (…, 2:00 PM CST)."""
    return f"{local_date(moment, zone)}, {local_time(moment, zone, with_zone=with_zone)}"


def long_date(day: datetime.date) -> str:
    """A calendar day in full, e.g. Wednesday, December 9."""
    return f"{WEEKDAY_NAMES[day.weekday()]}, {MONTH_NAMES[day.month - 1]} {day.day}"


def calendar_date(day: datetime.date) -> str:
    """A day off the schedule, with its year, e.g. Dec 9, 2026."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def stamp(moment: datetime.datetime, zone: datetime.tzinfo | str | None = None) -> str:
    """When something was recorded, e.g. Dec 9, 2026, 2:00 PM, on the wall clock of ``zone``
    (default: the practice's ``TIME_ZONE``)."""
    if zone is None:
        from django.conf import settings

        zone = settings.TIME_ZONE
    local = _local(moment, zone)
    return f"{calendar_date(local.date())}, {local_time(local, local.tzinfo)}"
