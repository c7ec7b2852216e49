"""The do-not-text list: numbers that replied STOP, kept by number until they reply START.

A STOP is remembered whoever the number belongs to (a patient, or nobody yet), so a patient
who later books with that number gets no text. ``messaging._skip_reason``, the one place a
send decides to skip, reads the list through :func:`opted_out_numbers`.
"""

import datetime

import phonenumbers
from django.conf import settings

from clinic.models import SmsOptOut


def phone_e164(number: str) -> str:
    """A number as the provider writes it (E.164), or as given when it is not one."""
    try:
        parsed = phonenumbers.parse(number, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return number.strip()[:20]
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)[:20]


def opted_out_numbers(numbers) -> set[str]:
    """Which of these E.164 numbers are on the do-not-text list (one query)."""
    wanted = {str(number) for number in numbers if number}
    if not wanted:
        return set()
    return set(SmsOptOut.objects.filter(phone__in=wanted).values_list("phone", flat=True))


def number_opt_out(
    *, number: str, now: datetime.datetime, source: str = SmsOptOut.Source.SMS
) -> SmsOptOut:
    """Put the number on the list (a repeat keeps the first date)."""
    opt_out, _ = SmsOptOut.objects.get_or_create(
        phone=phone_e164(number), defaults={"opted_out_at": now, "source": source}
    )
    return opt_out


def number_opt_in(*, number: str) -> None:
    """Take the number off the list: it said START."""
    SmsOptOut.objects.filter(phone=phone_e164(number)).delete()
