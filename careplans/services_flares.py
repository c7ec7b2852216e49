"""Writes for pain flare-ups between visits: opening one, alerting the therapist, handling it.

- ``pain_flare_record`` runs inside ``services.session_log_create``'s transaction: it applies
  the rule (``careplans.flare.flare_check``) to the new session against the patient's previous
  three, marks a flaring session on its log and, unless the patient already has an open flare,
  opens a ``PainFlare`` and queues the alert after the commit.
- ``pain_flare_alert_send`` emails the patient's therapist that a patient's home-exercise log
  needs attention, with the link to the patient's page: no name, no score, no symptom. Once per
  flare, however often the task runs.
- ``pain_flare_handle``: the therapist marks the flare handled with a note; the patient leaves
  the "Needs attention" list.

Opening and handling a flare are audited in their transaction (field names, no values).
Logs carry ids only: never names, pain scores or notes.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from careplans import flare
from careplans.models import CarePlan, PainFlare, SessionLog
from careplans.services import CarePlanError
from clinic import links
from clinic.models import Appointment, AuditEvent, Patient
from clinic.services.audit import audit_record

logger = logging.getLogger(__name__)

FLARE_EMAIL_SUBJECT = "{clinic}: a patient's home-exercise log needs attention"
FLARE_EMAIL_BODY = (
    "A patient's home-exercise log needs your attention.\n\n"
    "Open their page in the workspace (sign in first if asked):\n"
    "{url}\n\n"
    "Once you have followed up, mark it handled there with a short note.\n\n"
    "{clinic}\n"
)
FLARE_NOTE_REQUIRED = "Write a short note of what you did about it."
FLARE_ALREADY_HANDLED = "This flare-up was already marked handled."


def previous_pain(*, log: SessionLog) -> list[int]:
    """The pain after the patient's sessions before ``log``, most recent first (at most three).

    "Before" is in the order of the sessions: those done on an earlier day, and those logged
    earlier for the same day, whatever plan they were logged against.
    """
    return list(
        SessionLog.objects.filter(patient_id=log.patient_id, performed_on__lte=log.performed_on)
        .exclude(pk=log.pk)
        .order_by("-performed_on", "-created_at", "-pk")
        .values_list("pain_after", flat=True)[: flare.PREVIOUS_LOGS]
    )


@transaction.atomic
def pain_flare_record(*, log: SessionLog, now: datetime.datetime | None = None) -> PainFlare | None:
    """Apply the flare rule to a session just logged; returns the flare it opened, if any.

    Called inside the session's transaction, with the patient's row locked, so two sessions
    of one patient are checked one after the other. A flaring session gets its
    ``flare_reason``; a new ``PainFlare`` is opened (and the therapist alerted after the commit)
    only when the patient has no open one.
    """
    check = flare.flare_check(
        log.pain_after,
        previous_pain(log=log),
        threshold=settings.PAIN_FLARE_THRESHOLD,
        rise=settings.PAIN_FLARE_RISE,
    )
    if not check.is_flare:
        return None
    log.flare_reason = check.reason
    log.save(update_fields=["flare_reason"])
    if PainFlare.objects.filter(patient_id=log.patient_id, handled_at__isnull=True).exists():
        logger.info("session log %s: flare joins the open one", log.pk)
        return None
    opened = PainFlare.objects.create(
        patient_id=log.patient_id,
        session_log=log,
        reason=check.reason,
        previous_mean=check.previous_mean,
        created_at=now or timezone.now(),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=log.created_by,
        patient_id=log.patient_id,
        obj=opened,
        changed_fields=["session_log", "reason", "previous_mean"],
        now=now,
    )
    from careplans import tasks  # tasks import this module

    transaction.on_commit(lambda: tasks.pain_flare_notify.delay(opened.pk))
    logger.info("pain flare %s: opened", opened.pk)
    return opened


def flare_alert_recipients(*, patient: Patient, now: datetime.datetime | None = None) -> list[str]:
    """Who is told of a patient's flare: the author of their active plan; without one (or an
    inactive account), the therapist of their latest visit that has begun, or else of their
    next one. Cancelled visits do not count."""
    plan = (
        CarePlan.objects.filter(patient=patient, status=CarePlan.Status.ACTIVE)
        .select_related("author__user")
        .first()
    )
    if plan is not None and plan.author is not None and plan.author.user.is_active:
        return [plan.author.user.email]
    visits = Appointment.objects.filter(
        patient=patient,
        therapist__user__is_active=True,
        status__in=Appointment.ACTIVE_STATUSES,
    ).select_related("therapist__user")
    now = now or timezone.now()
    visit = visits.filter(start__lte=now).order_by("-start").first()
    visit = visit or visits.filter(start__gt=now).order_by("start").first()
    return [visit.therapist.user.email] if visit else []


def pain_flare_url(patient_id: int) -> str:
    """The patient's page in the therapist's workspace, where the flare is handled."""
    return links.absolute(reverse("careplans:patient", args=[patient_id]))


def pain_flare_alert_send(*, flare_id: int, now: datetime.datetime | None = None) -> int:
    """Email the patient's therapist that a home-exercise log needs attention; returns the
    number of recipients.

    The email names no patient and carries no score: it links to the patient's page, which
    only staff who may see the patient can open. Sent once per flare: the flare's row is locked
    and ``therapist_notified_at`` checked and set in one transaction. A flare handled before
    the email went out, or one with no therapist to tell, sends nothing (it stays on the
    "Needs attention" list of everyone who may see the patient).
    """
    with transaction.atomic():
        opened = (
            PainFlare.objects.select_for_update(of=("self",))
            .select_related("patient")
            .get(pk=flare_id)
        )
        if opened.therapist_notified_at is not None or opened.handled_at is not None:
            return 0
        recipients = flare_alert_recipients(patient=opened.patient, now=now)
        if not recipients:
            logger.warning("pain flare %s: no therapist to alert", flare_id)
            return 0
        send_mail(
            subject=FLARE_EMAIL_SUBJECT.format(clinic=settings.CLINIC_SHORT_NAME),
            message=FLARE_EMAIL_BODY.format(
                url=pain_flare_url(opened.patient_id), clinic=settings.CLINIC_NAME
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        opened.therapist_notified_at = now or timezone.now()
        opened.save(update_fields=["therapist_notified_at"])
    logger.info("pain flare %s: therapist alerted", flare_id)
    return len(recipients)


@transaction.atomic
def pain_flare_handle(
    *, flare: PainFlare, user, note: str, now: datetime.datetime | None = None
) -> PainFlare:
    """Mark an open flare handled by ``user``, with a note of what they did (required)."""
    note = note.strip()
    if not note:
        raise CarePlanError(FLARE_NOTE_REQUIRED, "flare_note_required")
    locked = PainFlare.objects.select_for_update().get(pk=flare.pk)
    if locked.handled_at is not None:
        raise CarePlanError(FLARE_ALREADY_HANDLED, "flare_handled")
    locked.handled_at = now or timezone.now()
    locked.handled_by = user
    locked.handled_note = note
    locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        patient_id=locked.patient_id,
        obj=locked,
        changed_fields=["handled_at", "handled_by", "handled_note"],  # the note is clinical
        now=locked.handled_at,
    )
    logger.info("pain flare %s: handled", locked.pk)
    return locked
