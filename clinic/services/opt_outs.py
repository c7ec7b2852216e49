"""The do-not-text list: numbers that replied STOP, kept by number until they reply START.

A STOP is remembered whoever the number belongs to (a patient, or nobody yet), so a patient
who later books with that number gets no text. ``messaging._skip_reason``, the one place a
send decides to skip, reads the list through :func:`opted_out_numbers`.
"""

import datetime

import phonenumbers
from django.conf import settings
from django.db import transaction

from clinic.models import AuditEvent, SmsOptOut
from clinic.services.audit import audit_record


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


# --- The front desk's changes (the admin's do-not-text list) ----------------------------------

NOTE_REQUIRED = "Say why the number comes off the list (who asked, and how)."
ALREADY_LISTED = "This number is already on the do-not-text list."
NOT_A_NUMBER = "Enter a phone number that can receive texts, e.g. (612) 555-0123."


def phone_for_list(number: str) -> str:
    """A typed number as the list keeps it (E.164); ``ValueError`` with ``NOT_A_NUMBER`` when it
    is not a valid number."""
    try:
        parsed = phonenumbers.parse(number, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(NOT_A_NUMBER) from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(NOT_A_NUMBER)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def staff_opt_out(*, number: str, note: str, request, now: datetime.datetime) -> SmsOptOut:
    """A caller asked for no more texts: put the number on the list and audit who did it, with
    the note. ``ValueError`` for a number that is not one or is already listed."""
    phone = phone_for_list(number)
    with transaction.atomic():
        if SmsOptOut.objects.filter(phone=phone).exists():
            raise ValueError(ALREADY_LISTED)
        opt_out = SmsOptOut.objects.create(
            phone=phone, opted_out_at=now, source=SmsOptOut.Source.STAFF
        )
        audit_record(
            action=AuditEvent.Action.CREATE,
            request=request,
            obj=opt_out,
            changed_fields=["phone"],
            changed_values={"phone": phone},
            reason=note.strip(),
            now=now,
        )
    return opt_out


def staff_opt_out_remove(*, opt_out: SmsOptOut, note: str, request) -> None:
    """Take a number off the list on someone's request; the note is required and kept in the
    audit trail with the number. ``ValueError`` with ``NOTE_REQUIRED`` without one."""
    if not note.strip():
        raise ValueError(NOTE_REQUIRED)
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.DELETE,
            request=request,
            obj=opt_out,
            changed_fields=["phone"],
            changed_values={"phone": opt_out.phone, "source": opt_out.source},
            reason=note.strip(),
        )
        opt_out.delete()
