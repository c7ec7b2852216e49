"""Writes of the audit trail and of break-glass access (``docs/access.md``).

- ``audit_record``: one append-only ``AuditEvent``; who (user and role), which patient, which
  object, what (view, create, change, delete, export, print, break_glass, sign-in), when, from
  where (IP, user agent). On writes, the changed field names; values only for the fields the
  caller names as non-clinical.
- ``audit_archive``: events older than ``AUDIT_RETENTION_YEARS`` are written to a file, then
  removed (``manage.py audit_archive``); never deleted without the file.
- ``break_glass_open``: a therapist opens a record outside a care relationship with a stated
  reason; the grant lasts ``BREAK_GLASS_HOURS``, is audited, and clinic admins are emailed a
  link (never clinical detail).
"""

import datetime
import ipaddress
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic.audit_context import current_request
from clinic.client_ip import client_ip
from clinic.models import AuditEvent, BreakGlassAccess, Patient, User

BREAK_GLASS_SUBJECT = "Break-glass access to a patient record"
BREAK_GLASS_BODY = (
    "{staff} opened the record of patient #{patient_id} without a care relationship, "
    "stating a reason. Access lasts until {until}.\n\nReview it in the audit trail: {link}\n"
)
REASON_REQUIRED = "State a reason to open the record."


class AccessError(Exception):
    """A refused access request, with a ``code`` the views branch on."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _address(request) -> str | None:
    """The client's address (``clinic.client_ip``, behind trusted proxies), if it is one."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip": _address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "path": request.get_full_path()[:300],
    }


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    patient_id: int | None = None,
    obj=None,
    changed_fields: Iterable[str] = (),
    changed_values: Mapping[str, object] | None = None,
    username: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> AuditEvent:
    """Append one event. ``obj`` names the record (its model and pk); ``request`` gives the
    IP, user agent and path, by default the request being answered
    (``clinic.audit_context``), whose user is the actor when ``user`` is not given. Runs in
    the caller's transaction when there is one: one INSERT."""
    if request is None:
        request = current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent.objects.create(
        at=now or timezone.now(),
        user=user,
        role=(user.role if user is not None else ""),
        username=username[:254],
        patient_id=patient_id,
        action=action,
        object_type=(obj._meta.label_lower if obj is not None else ""),
        object_id=(str(obj.pk) if obj is not None and obj.pk is not None else ""),
        changed_fields=sorted(changed_fields),
        changed_values={key: str(value) for key, value in (changed_values or {}).items()},
        reason=reason,
        **_client(request),
    )
    if request is not None and obj is not None and action in WRITE_ACTIONS:
        request.__dict__.setdefault(_WRITES_KEY, set()).add(_object_key(obj))
    return event


WRITE_ACTIONS = {AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE}
_WRITES_KEY = "_stride_audited_writes"


def _object_key(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def write_audited(request, obj) -> bool:
    """Whether a service already recorded a write of ``obj`` in this request (its event has the
    fields and values): the admin then writes no second event for the same write."""
    return _object_key(obj) in getattr(request, _WRITES_KEY, ())


def clinic_admin_emails() -> list[str]:
    admins = User.objects.filter(is_active=True).filter(
        Q(role=User.Role.ADMIN) | Q(is_superuser=True)
    )
    return sorted({email for email in admins.values_list("email", flat=True) if email})


@transaction.atomic
def break_glass_open(
    *, user, patient: Patient, reason: str, request=None, now: datetime.datetime | None = None
) -> BreakGlassAccess:
    """Grant ``user`` access to ``patient``'s record for ``BREAK_GLASS_HOURS``; audit it and
    email the clinic admins (on commit) that it happened."""
    reason = (reason or "").strip()
    if not reason:
        raise AccessError(REASON_REQUIRED, code="reason_required")
    now = now or timezone.now()
    grant = BreakGlassAccess.objects.create(
        user=user,
        patient=patient,
        reason=reason,
        opened_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit_record(
        action=AuditEvent.Action.BREAK_GLASS,
        user=user,
        request=request,
        patient_id=patient.pk,
        obj=patient,
        reason=reason,
        now=now,
    )
    staff = user.get_full_name() or user.email
    until = timezone.localtime(grant.expires_at).strftime("%b %-d, %-I:%M %p")
    link = (
        settings.SITE_URL.rstrip("/")
        + reverse("admin:clinic_auditevent_changelist")
        + f"?patient__id__exact={patient.pk}"
    )
    body = BREAK_GLASS_BODY.format(staff=staff, patient_id=patient.pk, until=until, link=link)
    recipients = clinic_admin_emails()
    if recipients:
        transaction.on_commit(
            lambda: send_mail(BREAK_GLASS_SUBJECT, body, None, recipients, fail_silently=False)
        )
    return grant


# --- Sign-in, from Django's auth signals (connected in ClinicConfig.ready) -------------------


def signed_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.SIGN_IN, user=user, request=request)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """What was typed as the user name is kept (never the password) to spot guessing."""
    typed = credentials.get("username") or credentials.get("email") or ""
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        user=None,
        request=request,
        username=str(typed),
    )


# --- Retention: archive, never silently delete -----------------------------------------------


def audit_archive_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Events before this are past ``AUDIT_RETENTION_YEARS`` and may be archived."""
    now = now or timezone.now()
    years = settings.AUDIT_RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def audit_archive(*, path: Path, now: datetime.datetime | None = None) -> int:
    """Write the events older than the retention period to ``path`` (JSON lines, a new file),
    then remove exactly those rows; returns how many. The file is complete and on disk before
    anything is removed, and on PostgreSQL only this transaction may delete
    (``stride.audit_archive``; the trigger refuses every other DELETE)."""
    cutoff = audit_archive_cutoff(now=now)
    old = AuditEvent.objects.filter(at__lt=cutoff).order_by("at", "pk")
    ids = []
    with path.open("x", encoding="utf-8") as archive:
        for row in old.values().iterator():
            archive.write(json.dumps(row, cls=DjangoJSONEncoder) + "\n")
            ids.append(row["id"])
        archive.flush()
        os.fsync(archive.fileno())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL stride.audit_archive = 'on'")
        for start in range(0, len(ids), 1000):
            AuditEvent.objects.filter(pk__in=ids[start : start + 1000]).delete()
    return len(ids)
