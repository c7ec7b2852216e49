"""What several pages of the front desk's admin share; used by the modules of ``clinic.admin``.

- Search: ``PhoneSearchMixin`` finds a phone however it was typed (patients, appointments, texts):
  a whole number is matched exactly in E.164 (an index lookup), a few digits anywhere in it;
  ``phone_national`` shows a stored number as people write it.
- Big lists: ``LargeListMixin`` keeps the lists of texts, appointments and patients quick on a
  chain's millions of rows: no full count, a capped count (``clinic.pagination``).
- Therapists: ``TherapistListFilter`` and ``TherapistChoicesMixin`` load their names in one
  query, for the list filters and the drop-downs.
- Booking: ``booking_error_text`` words the booking service's refusal, with the nearest free
  times when the slot was taken; ``wall_clock`` is a moment as the location's clock shows it,
  which is what the admin's date and time inputs hold.
"""

import datetime
import re
import zoneinfo

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from phonenumber_field.phonenumber import to_python
from phonenumbers import (
    NumberParseException,
    PhoneNumberFormat,
    format_number,
    is_possible_number,
    parse,
)

from clinic.formatting import local_datetime
from clinic.models import Therapist
from clinic.pagination import CappedPaginator
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


def phone_search_number(search_term: str) -> str | None:
    """The E.164 number a search term spells, if it is a whole phone number, else None.

    "(612) 555-0123", "612.555.0123" and "+1 612 555 0123" all give "+16125550123"; a name,
    an email or a few digits give None.
    """
    term = search_term.strip()
    if not _PHONE_TERM.match(term) or len(re.sub(r"\D", "", term)) < 7:
        return None
    try:
        number = parse(term, settings.PHONENUMBER_DEFAULT_REGION)
    except NumberParseException:
        return None
    if not is_possible_number(number):
        return None
    return format_number(number, PhoneNumberFormat.E164)


def phone_search_q(search_term: str, field: str) -> Q | None:
    """Match a phone however it was typed: a whole number exactly ("(612) 555-0123" finds
    +16125550123), four or more digits anywhere in the number; None for other terms."""
    number = phone_search_number(search_term)
    if number is not None:
        return Q(**{field: number})
    term = search_term.strip()
    digits = re.sub(r"\D", "", term)
    if len(digits) < 4 or not _PHONE_TERM.match(term):
        return None
    return Q(**{f"{field}__contains": digits})


class PhoneSearchMixin:
    """Adds phone matching, ignoring punctuation, to the admin's ordinary search.

    A term that is a whole phone number is looked up exactly (stored numbers are E.164) instead
    of the ordinary search: no name, email or text holds a phone number, and the exact match
    uses the index where the ordinary search would read every row.
    """

    phone_search_field = "phone"

    def get_search_results(self, request, queryset, search_term):
        number = phone_search_number(search_term)
        if number is not None:
            return queryset.filter(**{self.phone_search_field: number}), False
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone_q = phone_search_q(search_term, self.phone_search_field)
        if phone_q is not None:
            results = results | queryset.filter(phone_q)
        return results, may_have_duplicates


class LargeListMixin:
    """For the admin lists of tables that grow with every visit (appointments, patients, texts):
    no count of the whole table, a capped count of the filtered list and no date hierarchy
    (each of those reads every row)."""

    show_full_result_count = False
    paginator = CappedPaginator
    date_hierarchy = None


class TherapistListFilter(admin.RelatedFieldListFilter):
    """The therapist filter, with names loaded in one query rather than one per therapist.

    A chain's hundreds of therapists are not listed on every page: past ``LIMIT`` the filter
    offers those of the location chosen in the location filter. One query either way.
    """

    LIMIT = 30

    def field_choices(self, field, request, model_admin):
        therapists = Therapist.objects.select_related("user")
        location = request.GET.get("location__id__exact", "")
        if location.isdigit():
            return [(t.pk, t.name) for t in therapists.filter(locations__id=location)]
        therapists = list(therapists[: self.LIMIT + 1])
        if len(therapists) > self.LIMIT:
            chosen = request.GET.get(self.lookup_kwarg, "")
            therapists = [t for t in therapists if str(t.pk) == chosen]
        return [(t.pk, t.name) for t in therapists]


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
