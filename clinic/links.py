"""Signed, expiring links that let a patient act without signing in.

A token carries the appointment id and a purpose (its salt), so a manage link cannot open an
intake and a token for one appointment cannot open another.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

MANAGE_SALT = "stride.appointment.manage"
INTAKE_SALT = "stride.appointment.intake"
REASSESSMENT_SALT = "stride.reassessment"  # names a re-assessment request, not an appointment


def _max_age() -> int:
    return settings.BOOKING_LINK_MAX_AGE_DAYS * 24 * 3600


def token_for(appointment_id: int, *, salt: str) -> str:
    return signing.dumps({"a": appointment_id}, salt=salt, compress=True)


def appointment_id_from(token: str, *, salt: str) -> int | None:
    """The appointment id in a valid, unexpired token, else None."""
    try:
        return int(signing.loads(token, salt=salt, max_age=_max_age())["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def manage_url(appointment) -> str:
    token = token_for(appointment.pk, salt=MANAGE_SALT)
    return absolute(reverse("appointment_manage", args=[token]))


def intake_url(appointment) -> str | None:
    if not appointment.appointment_type.needs_intake:
        return None
    token = token_for(appointment.pk, salt=INTAKE_SALT)
    return absolute(reverse("intake:start", args=[token]))
