from celery import shared_task

from careplans import reminders, services, services_flares
from clinic.celery import EMAIL_RETRIES


@shared_task(name="careplans.tasks.careplan_published_notify", **EMAIL_RETRIES)
def careplan_published_notify(plan_id: int) -> None:
    """Tell the patient a plan was published, by email and by text.

    Both steps are safe to run twice (the email service checks ``patient_notified_at``; the
    text is one ``Message`` per plan version).
    """
    from clinic.tasks import message_send

    services.careplan_published_email_send(plan_id=plan_id)
    message_id = services.careplan_published_text(plan_id)
    if message_id is not None:
        message_send.delay(message_id)


@shared_task(name="careplans.tasks.pain_flare_notify", **EMAIL_RETRIES)
def pain_flare_notify(flare_id: int) -> None:
    """Tell the patient's therapist that a home-exercise log needs attention.

    Safe to run twice: the email service checks ``therapist_notified_at``.
    """
    services_flares.pain_flare_alert_send(flare_id=flare_id)


@shared_task(name="careplans.tasks.exercise_reminder_sweep", soft_time_limit=240, time_limit=300)
def exercise_reminder_sweep() -> int:
    """Beat runs this every few minutes: "Today's exercises" for every reminder due, once per
    plan and day (``careplans.reminders``); texts go to the senders in batches."""
    from clinic.tasks import SEND_BATCH, message_send_many

    result = reminders.reminder_sweep()
    ids = result.message_ids
    for start in range(0, len(ids), SEND_BATCH):
        message_send_many.delay(ids[start : start + SEND_BATCH])
    for day_id in result.email_day_ids:
        exercise_reminder_email.delay(day_id)
    return len(ids) + len(result.email_day_ids)


@shared_task(name="careplans.tasks.exercise_reminder_email", **EMAIL_RETRIES)
def exercise_reminder_email(day_id: int) -> None:
    """Email one day's exercise reminder; safe to run twice (the row is claimed first)."""
    reminders.reminder_email_send(day_id=day_id)
