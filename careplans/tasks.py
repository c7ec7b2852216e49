from celery import shared_task

from careplans import services, services_flares
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
