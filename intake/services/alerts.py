"""The urgent-intake emails: the alert that tells the clinic at once that an intake needs
attention, and (intake/services/escalation.py) the escalations while nobody acknowledges it.

Queued as ``UrgentAlert`` rows by intake/services/urgency.py the moment an intake becomes
urgent, and by the escalation sweep; sent by the Celery task ``intake.tasks.urgent_alert``.

An email is not a place for health information: subject and body say only that an intake at
the clinic needs attention, and link to the page each recipient may open (the therapist and
clinic admins: the intake's review; the front desk, who may not see answers: the intake list).
No patient name, no kind of red flag, no visit that would tell who the patient is. The words
are the constants below.

Safe to run twice: a worker claims the row with a conditional UPDATE before sending and marks
it sent after, so a task delivered twice sends once; a claim left by a worker that died is
taken over after ``CLAIM_STALE``.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic import links
from intake.models import UrgentAlert

logger = logging.getLogger(__name__)

# A worker that claimed an alert this long ago and did not send it has died; another may.
CLAIM_STALE = datetime.timedelta(minutes=5)

ALERT_SUBJECT = "URGENT: an intake needs attention today"
ALERT_BODY = (
    "An intake at {clinic} needs attention today.\n\n"
    "Please open it and contact the patient:\n{link}\n"
)
ESCALATION_SUBJECT = "URGENT, not yet acknowledged: an intake needs attention today"
ESCALATION_BODY = (
    "An intake at {clinic} has needed attention for {minutes} minutes of opening hours, and "
    "no clinician has acknowledged it yet.\n\n"
    "Please make sure someone contacts the patient today:\n{link}\n"
)


def urgent_alert_send(*, alert_id: int, now=None) -> int:
    """Send one ``UrgentAlert`` unless it is sent or being sent. Returns the recipients' count.

    The alert goes to the appointment's therapist and the front desk; an escalation to the
    clinic admins and the front desk, unless the intake was acknowledged since it was queued
    (then it is marked sent, to nobody).
    """
    now = now or timezone.now()
    claimed = (
        UrgentAlert.objects.filter(pk=alert_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_STALE))
        .update(claimed_at=now)
    )
    if not claimed:
        return 0
    alert = UrgentAlert.objects.select_related("intake__appointment__therapist__user").get(
        pk=alert_id
    )
    try:
        if not alert.is_escalation:
            count = _alert_email(alert)
        elif alert.is_current(alert.intake):
            count = _escalation_email(alert)
        else:
            count = 0
    except Exception:
        UrgentAlert.objects.filter(pk=alert_id, claimed_at=now).update(claimed_at=None)
        raise
    UrgentAlert.objects.filter(pk=alert_id).update(sent_at=timezone.now())
    logger.info("intake %s: alert %s sent to %d staff", alert.intake_id, alert_id, count)
    return count


def _active_emails(role) -> set[str]:
    User = get_user_model()
    return set(User.objects.filter(role=role, is_active=True).values_list("email", flat=True))


def _alert_email(alert: UrgentAlert) -> int:
    """The alert: the appointment's therapist (to the review) and the front desk (to the list)."""
    intake = alert.intake
    User = get_user_model()
    desk = _active_emails(User.Role.FRONT_DESK)
    therapist = {intake.appointment.therapist.user.email} if intake.appointment_id else set()
    for recipients, page in [
        (therapist, reverse("intake:review", args=[intake.pk])),
        (desk - therapist, reverse("intake:list")),
    ]:
        _send(ALERT_SUBJECT, ALERT_BODY, recipients, page)
    return len(therapist | desk)


def _escalation_email(alert: UrgentAlert) -> int:
    """An escalation: the clinic admins (to the review) and the front desk (to the list)."""
    from intake.services.escalation import escalation_after

    intake = alert.intake
    User = get_user_model()
    admins = _active_emails(User.Role.ADMIN)
    desk = _active_emails(User.Role.FRONT_DESK)
    waited = int(escalation_after(alert.step).total_seconds() // 60)
    for recipients, page in [
        (admins, reverse("intake:review", args=[intake.pk])),
        (desk - admins, reverse("intake:list")),
    ]:
        _send(ESCALATION_SUBJECT, ESCALATION_BODY, recipients, page, minutes=waited)
    return len(admins | desk)


def _send(subject: str, body: str, recipients: set[str], page: str, **words) -> None:
    if recipients:
        send_mail(
            subject=subject,
            message=body.format(clinic=settings.CLINIC_NAME, link=links.absolute(page), **words),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=sorted(recipients),
        )
