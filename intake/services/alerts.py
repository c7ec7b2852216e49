"""The red-flag alert: the email that tells the clinic at once that an intake is urgent.

Queued as an ``UrgentAlert`` row by intake/services/urgency.py the moment an intake becomes
urgent, and sent by the Celery task ``intake.tasks.urgent_alert``. Which groups of red flag
were found is ``intake.scoring``'s to say; this module only words them for staff. The email
carries no answers, only links to the pages each recipient may open.

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
from clinic.formatting import local_datetime
from intake import scoring
from intake.models import UrgentAlert

logger = logging.getLogger(__name__)

# A worker that claimed an alert this long ago and did not send it has died; another may.
CLAIM_STALE = datetime.timedelta(minutes=5)

RED_FLAG_GROUP_TEXT = {
    scoring.CAUDA_EQUINA: "possible cauda equina syndrome (patient told to go to an emergency "
    "department today)",
    scoring.SERIOUS: "possible serious cause (patient told the clinic will call before the visit)",
}


def urgent_alert_send(*, alert_id: int, now=None) -> int:
    """Send one ``UrgentAlert`` unless it is sent or being sent. Returns the recipients' count.

    The alert goes to the appointment's therapist and the front desk.
    """
    now = now or timezone.now()
    claimed = (
        UrgentAlert.objects.filter(pk=alert_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_STALE))
        .update(claimed_at=now)
    )
    if not claimed:
        return 0
    alert = UrgentAlert.objects.select_related(
        "intake__patient", "intake__appointment__therapist__user", "intake__appointment__location"
    ).get(pk=alert_id)
    try:
        count = _alert_email(alert)
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
    intake = alert.intake
    User = get_user_model()
    desk = _active_emails(User.Role.FRONT_DESK)
    therapist = {intake.appointment.therapist.user.email} if intake.appointment_id else set()
    groups = scoring.red_flag_groups(scoring.red_flag_hits(intake.red_flags))
    kinds = "; ".join(RED_FLAG_GROUP_TEXT[group] for group in groups)
    when = ""
    if intake.appointment_id:
        appointment = intake.appointment
        start = local_datetime(appointment.start, appointment.location.zone, with_zone=True)
        when = f" before their visit on {start}"
    subject = f"URGENT intake: red flag for {intake.patient.full_name}"
    said = f"{intake.patient.full_name} reported a red flag on their intake{when}: {kinds}."
    # The therapist opens the clinical review; the front desk, who may not see answers,
    # opens the list of intakes to call the patient.
    for recipients, page in [
        (therapist, reverse("intake:review", args=[intake.pk])),
        (desk - therapist, reverse("intake:list")),
    ]:
        if recipients:
            send_mail(
                subject=subject,
                message=f"{said}\n\nPlease contact the patient today:\n{links.absolute(page)}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=sorted(recipients),
            )
    return len(therapist | desk)
