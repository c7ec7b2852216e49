"""Celery tasks of the intake: the urgent-intake emails, and the sweep that escalates them.

The work is in intake/services/alerts.py and escalation.py; the email task adds retries when
the mail server fails. Beat runs ``urgent_sweep`` every minute (``CELERY_BEAT_SCHEDULE``).
"""

from celery import shared_task

from intake.models import IntakeAssessment, UrgentAlert
from intake.services import escalation
from intake.services.alerts import urgent_alert_send

MAIL_RETRIES = {
    "autoretry_for": (OSError,),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


@shared_task(name="intake.tasks.urgent_alert", **MAIL_RETRIES)
def urgent_alert(alert_id: int) -> int:
    """Send one urgent-intake email (``UrgentAlert``); a second run sends nothing."""
    return urgent_alert_send(alert_id=alert_id)


@shared_task(name="intake.tasks.intake_red_flag_alert", **MAIL_RETRIES)
def intake_red_flag_alert(intake_id: int) -> int:
    """The alert as queued before alerts were rows (tasks still in the queue at an upgrade):
    sends the intake's alert row, made if missing, once."""
    intake = IntakeAssessment.objects.filter(pk=intake_id, urgent_since__isnull=False).first()
    if intake is None:
        return 0
    alert, _ = UrgentAlert.objects.get_or_create(
        intake=intake, urgent_since=intake.urgent_since, step=UrgentAlert.ALERT
    )
    return urgent_alert_send(alert_id=alert.pk)


@shared_task(name="intake.tasks.urgent_sweep", soft_time_limit=50, time_limit=60)
def urgent_sweep() -> int:
    """Escalate urgent intakes nobody acknowledged in time; queue lost alerts again."""
    return len(escalation.urgent_sweep())
