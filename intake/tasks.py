"""Celery tasks of the intake: the red-flag alert, sent by a worker once the intake is saved.

The work is in intake/services/alerts.py; the task adds retries when the mail server fails.
"""

from celery import shared_task

from intake.services.alerts import intake_red_flag_alert_send


@shared_task(
    name="intake.tasks.intake_red_flag_alert",
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=8,
)
def intake_red_flag_alert(intake_id: int) -> None:
    """Tell the clinic at once that an intake has red flags."""
    intake_red_flag_alert_send(intake_id=intake_id)
