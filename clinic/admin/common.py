"""What several pages of the front desk's admin share; used by the modules of ``clinic.admin``.

- Search: ``PhoneSearchMixin`` finds a phone however it was typed (patients, appointments, texts);
  ``phone_national`` shows a stored number as people write it.
- Therapists: ``TherapistListFilter`` and ``TherapistChoicesMixin`` load their names in one
  query, for the list filters and the drop-downs.
- Booking: ``booking_error_text`` words the booking service's refusal, with the nearest free
  times when the slot was taken; ``wall_clock`` is a moment as the location's clock shows it,
  which is what the admin's date and time inputs hold.
"""

import datetime
import re
import zoneinfo

from django.contrib import admin
from django.db.models import Q
from phonenumber_field.phonenumber import to_python

from clinic.formatting import local_datetime
from clinic.models import Therapist
from clinic.selectors import therapist_names
from clinic.services import BookingError
from clinic.services.booking import SLOT_TAKEN


def booking_error_text(error: BookingError, *, zone: zoneinfo.ZoneInfo) -> str:
    """The service's message, followed by the nearest free times when the slot was taken."""
    if error.message != SLOT_TAKEN or not error.alternatives:
        return error.message
    names = therapist_names(slots=error.alternatives)
    times = "; ".join(
        f"{local_datetime(slot.start, zone)} with {names.get(slot.therapist_id, 'a therapist')}"
        for slot in error.alternatives
    )
    return f"{error.message} {times}."


_PHONE_TERM = re.compile(r"^[\d\s().+-]+$")


def phone_search_q(search_term: str, field: str) -> Q | None:
    """Match a phone however it was typed: "(612) 555-0123" finds +16125550123."""
    term = search_term.strip()
    digits = re.sub(r"\D", "", term)
    if len(digits) < 4 or not _PHONE_TERM.match(term):
        return None
    return Q(**{f"{field}__contains": digits})


class PhoneSearchMixin:
    """Adds phone matching, ignoring punctuation, to the admin's ordinary search."""

    phone_search_field = "phone"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone_q = phone_search_q(search_term, self.phone_search_field)
        if phone_q is not None:
            results = results | queryset.filter(phone_q)
        return results, may_have_duplicates


class TherapistListFilter(admin.RelatedFieldListFilter):
    """The therapist filter, with names loaded in one query rather than one per therapist."""

    def field_choices(self, field, request, model_admin):
        return [(t.pk, t.name) for t in Therapist.objects.select_related("user")]


class TherapistChoicesMixin:
    """Therapist drop-downs label each choice with the user's name: load users with them."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "therapist":
            kwargs.setdefault("queryset", Therapist.objects.select_related("user"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def wall_clock(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """``moment`` on the location's clock, without a zone: what a date-time input holds."""
    return moment.astimezone(zone).replace(tzinfo=None)


def phone_national(number: str) -> str:
    """A stored E.164 number as people write it, (612) 555-0123; anything else as stored."""
    parsed = to_python(number) if number else None
    return parsed.as_national if parsed is not None and parsed.is_valid() else number
