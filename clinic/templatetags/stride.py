"""Template filters for Stride's pages and emails: ``{% load stride %}``.

Times of the schedule, in the house format of ``clinic.formatting``:

    {{ appointment.start|local_datetime:appointment.location.zone }}   Wed Dec 9, 2:00 PM
    {{ appointment.start|local_datetime_zoned:zone }}                  Wed Dec 9, 2:00 PM CST
    {{ slot.start|local_date:zone }}                                   Wed Dec 9
    {{ slot.start|local_time:zone }}                                   2:00 PM

The argument is the location's zone or its IANA name. An empty value gives an empty string.
Days off the schedule and the moments things were recorded:

    {{ patient.date_of_birth|calendar_date }}                         Mar 2, 1985
    {{ intake.submitted_at|stamp }}                                    Dec 9, 2026, 2:00 PM
"""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from clinic import formatting

register = template.Library()


@register.filter
def local_datetime(moment, zone):
    return formatting.local_datetime(moment, zone) if moment else ""


@register.filter
def local_datetime_zoned(moment, zone):
    return formatting.local_datetime(moment, zone, with_zone=True) if moment else ""


@register.filter
def local_date(moment, zone):
    return formatting.local_date(moment, zone) if moment else ""


@register.filter
def local_time(moment, zone):
    return formatting.local_time(moment, zone) if moment else ""


@register.filter
def calendar_date(day):
    return formatting.calendar_date(day) if day else ""


@register.filter
def stamp(moment):
    return formatting.stamp(moment) if moment else ""


@register.simple_tag(takes_context=True)
def aria_current(context, url_name, *deeper):
    """`` aria-current="page"`` on a menu link whose section the page is in: the request's path
    starts with the link's URL and with none of the ``deeper`` links' URLs (their own sections,
    below it), e.g. ``{% aria_current 'careplans:patients' 'careplans:library' %}``."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    url = reverse(url_name)
    if url == "/" and path != "/":
        return ""
    if not path.startswith(url) or any(path.startswith(reverse(name)) for name in deeper):
        return ""
    return mark_safe(' aria-current="page"')
