"""Celery tasks: each takes ids, loads rows and calls one service; each is safe to run twice."""

from celery import shared_task

from clinic import services
from clinic.services import messaging
from clinic.services.notifications import appointment_email_send


@shared_task(name="clinic.tasks.heartbeat")
def heartbeat() -> None:
    """Beat sends this every minute; a worker that runs it proves the queue is flowing."""
    services.heartbeat_record(name="worker")


@shared_task(
    name="clinic.tasks.appointment_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def appointment_email(appointment_id: int, kind: str) -> None:
    """Email the patient about a booking, a new time or a cancellation."""
    appointment_email_send(appointment_id=appointment_id, kind=kind)


@shared_task(name="clinic.tasks.appointment_texts")
def appointment_texts(appointment_id: int, kind: str) -> None:
    """Queue the texts for a booking event (once each) and hand them to the senders."""
    for message_id in messaging.appointment_texts_queue(appointment_id=appointment_id, kind=kind):
        message_send.delay(message_id)


@shared_task(name="clinic.tasks.appointment_changed")
def appointment_changed(appointment_id: int, kind: str) -> None:
    """A visit was booked, moved or cancelled: email the patient and queue their texts.

    The web request publishes this one task; the email gets a task of its own here, so that
    it retries without touching the texts.
    """
    appointment_email.delay(appointment_id, kind)
    appointment_texts(appointment_id, kind)


@shared_task(name="clinic.tasks.message_send", bind=True, max_retries=None)
def message_send(self, message_id: int) -> str:
    """Send one queued text; transient provider errors retry with capped exponential backoff."""
    outcome = messaging.message_send(message_id=message_id)
    if outcome.retry:
        countdown = min(15 * 2**self.request.retries, 900)
        raise self.retry(countdown=countdown)
    return outcome.status


@shared_task(name="clinic.tasks.reminder_sweep", soft_time_limit=240, time_limit=300)
def reminder_sweep() -> int:
    """Beat runs this every few minutes: queue due reminders, (re)dispatch queued texts."""
    ids = messaging.reminder_sweep()
    for message_id in ids:
        message_send.delay(message_id)
    return len(ids)
