from celery import shared_task

from clinic import services
from clinic.services.notifications import appointment_email_send


@shared_task(name="clinic.tasks.heartbeat")
def heartbeat() -> None:
    """Beat sends this every minute; a worker that runs it proves the queue is flowing."""
    services.heartbeat_record(name="worker")


@shared_task(
    name="clinic.tasks.appointment_notify",
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def appointment_notify(self, appointment_id: int, kind: str) -> None:
    """Tell the patient about a booking, a new time or a cancellation."""
    appointment_email_send(appointment_id=appointment_id, kind=kind)
