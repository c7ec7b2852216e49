"""Links that let a patient act without signing in, each backed by a stored ``PatientLink``.

A token is the signed id of one ``PatientLink`` row, under the salt of its purpose, so a manage
link cannot open an intake. The row decides whether the link still works: it is revoked when
the visit is cancelled or the front desk re-issues it, and it expires
``PATIENT_LINK_DAYS_AFTER_VISIT`` days after the visit ends (a re-assessment link
``PATIENT_LINK_REASSESSMENT_DAYS`` after it was sent). The same open row is reused, so a link
composed twice reads the same.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from clinic.models import Appointment, PatientLink

MANAGE_SALT = "stride.appointment.manage"
INTAKE_SALT = "stride.appointment.intake"
REASSESSMENT_SALT = "stride.reassessment"  # names a re-assessment request, not an appointment
WAITLIST_OFFER_SALT = "stride.waitlist.offer"  # names a waitlist offer

Purpose = PatientLink.Purpose
SALTS = {
    Purpose.MANAGE: MANAGE_SALT,
    Purpose.INTAKE: INTAKE_SALT,
    Purpose.REASSESSMENT: REASSESSMENT_SALT,
    Purpose.WAITLIST_OFFER: WAITLIST_OFFER_SALT,
}
PURPOSES = {salt: purpose for purpose, salt in SALTS.items()}

LINK_PLACEHOLDER = "[link]"  # what a stored text says where its link was


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt)


def token_for_link(link: PatientLink) -> str:
    return _signer(SALTS[link.purpose]).sign_object({"l": link.pk}, compress=True)


def link_from_token(token: str, *, salt: str) -> PatientLink | None:
    """The row a well-signed token names (open or not), else None."""
    try:
        link_id = int(_signer(salt).unsign_object(token)["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return PatientLink.objects.filter(pk=link_id, purpose=PURPOSES[salt]).first()


def link_use(link: PatientLink | None, *, now: datetime.datetime | None = None) -> bool:
    """Whether the link is open now; an open one records its use, and that the patient's email
    works (the link was sent there)."""
    now = now or timezone.now()
    if link is None or not link.is_open(now):
        return False
    PatientLink.objects.filter(pk=link.pk).update(last_used_at=now)
    link.patient.__class__.objects.filter(
        pk=link.patient_id, email_verified_at__isnull=True
    ).update(email_verified_at=now)
    return True


def appointment_link_expiry(appointment: Appointment) -> datetime.datetime:
    return appointment.end + datetime.timedelta(days=settings.PATIENT_LINK_DAYS_AFTER_VISIT)


def _open_rows(now: datetime.datetime):
    return PatientLink.objects.filter(revoked_at__isnull=True, expires_at__gt=now)


def appointment_links_load(appointments, *, purposes, now=None) -> None:
    """Read (and issue, where missing) the open links of many visits in two queries, for a
    page that lists them; ``appointment_link`` then finds them on each visit."""
    now = now or timezone.now()
    active = [a for a in appointments if a.is_active]
    found: dict[tuple[int, str], PatientLink] = {}
    rows = _open_rows(now).filter(appointment__in=active, purpose__in=purposes).order_by("-pk")
    for link in rows:
        found[link.appointment_id, link.purpose] = link
    missing = [
        PatientLink(
            purpose=purpose,
            patient_id=a.patient_id,
            appointment=a,
            created_at=now,
            expires_at=appointment_link_expiry(a),
        )
        for a in active
        for purpose in purposes
        if (a.pk, purpose) not in found
        and (purpose != Purpose.INTAKE or a.appointment_type.needs_intake)
    ]
    for link in PatientLink.objects.bulk_create(missing):
        found[link.appointment_id, link.purpose] = link
    for a in active:
        a.open_links = {p: found[a.pk, p] for p in purposes if (a.pk, p) in found}


def appointment_link(appointment: Appointment, *, purpose: str, now=None) -> PatientLink:
    """The open link of this purpose for the visit, issued now if it has none."""
    now = now or timezone.now()
    loaded = getattr(appointment, "open_links", {}).get(purpose)
    if loaded is not None and loaded.is_open(now):
        return loaded
    rows = PatientLink.objects.filter(
        appointment=appointment, purpose=purpose, revoked_at__isnull=True, expires_at__gt=now
    )
    link = rows.order_by("pk").first()
    if link is None:
        link = PatientLink.objects.create(
            purpose=purpose,
            patient_id=appointment.patient_id,
            appointment=appointment,
            created_at=now,
            expires_at=appointment_link_expiry(appointment),
        )
    return link


def appointment_token(appointment: Appointment, *, salt: str) -> str | None:
    """A token for the visit's link of this purpose; None for a cancelled visit (its links are
    revoked and no new ones are issued)."""
    if not appointment.is_active:
        return None
    return token_for_link(appointment_link(appointment, purpose=PURPOSES[salt]))


def appointment_links_revoke(*, appointment: Appointment, now=None, purposes=None) -> int:
    """Close the visit's open links (a cancellation, or the front desk re-issuing them)."""
    rows = PatientLink.objects.filter(appointment=appointment, revoked_at__isnull=True)
    if purposes:
        rows = rows.filter(purpose__in=purposes)
    return rows.update(revoked_at=now or timezone.now())


def appointment_links_move(*, appointment: Appointment) -> int:
    """A rescheduled visit's open links expire after its new end."""
    rows = PatientLink.objects.filter(appointment=appointment, revoked_at__isnull=True)
    return rows.update(expires_at=appointment_link_expiry(appointment))


def reassessment_token(request, *, now=None) -> str:
    """The open link for a re-assessment request (its id and patient), issued if needed."""
    now = now or timezone.now()
    rows = PatientLink.objects.filter(
        purpose=Purpose.REASSESSMENT,
        object_id=request.pk,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    link = rows.order_by("pk").first()
    if link is None:
        link = PatientLink.objects.create(
            purpose=Purpose.REASSESSMENT,
            patient_id=request.patient_id,
            object_id=request.pk,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.PATIENT_LINK_REASSESSMENT_DAYS),
        )
    return token_for_link(link)


def waitlist_offer_url(offer) -> str:
    """The link in a waitlist offer: open a day past the offer's hold, so a late tap is told
    the offer lapsed rather than shown a closed link."""
    rows = PatientLink.objects.filter(
        purpose=Purpose.WAITLIST_OFFER, object_id=offer.pk, revoked_at__isnull=True
    )
    link = rows.order_by("pk").first()
    if link is None:
        link = PatientLink.objects.create(
            purpose=Purpose.WAITLIST_OFFER,
            patient_id=offer.entry.patient_id,
            object_id=offer.pk,
            expires_at=offer.expires_at + datetime.timedelta(days=1),
        )
    return absolute(reverse("waitlist_offer", args=[token_for_link(link)]))


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def manage_url(appointment) -> str | None:
    token = appointment_token(appointment, salt=MANAGE_SALT)
    return absolute(reverse("appointment_manage", args=[token])) if token else None


def intake_url(appointment) -> str | None:
    if not appointment.appointment_type.needs_intake:
        return None
    token = appointment_token(appointment, salt=INTAKE_SALT)
    return absolute(reverse("intake:start", args=[token])) if token else None


LINK_CLOSED_TEMPLATE = "clinic/link_closed.html"


def closed_response(request):
    """The page for a link that is not (or no longer) valid: the site's page, status 410, with
    the clinic's phone and a way to have a fresh link emailed."""
    from django.shortcuts import render  # rendering is the views' business; only this page
    from phonenumber_field.phonenumber import to_python

    phone = to_python(settings.CLINIC_PHONE, region=settings.PHONENUMBER_DEFAULT_REGION)
    context = {"clinic_phone": settings.CLINIC_PHONE, "clinic_phone_national": phone.as_national}
    return render(request, LINK_CLOSED_TEMPLATE, context, status=410)
