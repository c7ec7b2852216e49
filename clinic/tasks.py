from celery import shared_task

from clinic import services


@shared_task(name="clinic.tasks.heartbeat")
def heartbeat() -> None:
    """Beat sends this every minute; a worker that runs it proves the queue is flowing."""
    services.heartbeat_record(name="worker")
