"""Celery tasks: each takes ids, loads rows and calls one service; each is safe to run twice."""

import datetime

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from clinic import services
from clinic.celery import EMAIL_RETRIES
from clinic.services import login_links, messaging, patient_links, series, waitlist
from clinic.services import waitlist_sweep as waitlist_sweep_service
from clinic.services.notifications import (
    appointment_email_send,
    series_email_send,
    waitlist_offer_email_send,
)


@shared_task(name="clinic.tasks.heartbeat")
def heartbeat() -> None:
    """Beat sends this every minute; a worker that runs it proves the queue is flowing."""
    services.heartbeat_record(name="worker")


@shared_task(name="clinic.tasks.appointment_email", **EMAIL_RETRIES)
def appointment_email(appointment_id: int, kind: str) -> None:
    """Email the patient about a booking, a new time or a cancellation."""
    appointment_email_send(appointment_id=appointment_id, kind=kind)


@shared_task(name="clinic.tasks.login_link_email", **EMAIL_RETRIES)
def login_link_email(email: str, next_path: str = "") -> None:
    """Email a sign-in link, if the address is a patient's (see ``login_link_send``)."""
    login_links.login_link_send(email=email, next_path=next_path)


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


@shared_task(name="clinic.tasks.appointment_text")
def appointment_text(appointment_id: int, kind: str, dedupe_key: str) -> None:
    """Queue one text about a visit (once per key) and send it: the front desk's resends."""
    message_id = patient_links.appointment_text_queue(
        appointment_id=appointment_id, kind=kind, dedupe_key=dedupe_key
    )
    if message_id is not None:
        message_send.delay(message_id)


SEND_BATCH = 50  # texts per sending task: one task's overhead shared by fifty sends


def _backoff(retries: int) -> int:
    """Seconds before the next try of a text after a transient error: 15, 30, … up to 900."""
    return min(15 * 2**retries, 900)


@shared_task(name="clinic.tasks.message_send", bind=True, max_retries=None)
def message_send(self, message_id: int) -> str:
    """Send one queued text; transient provider errors retry with capped exponential backoff."""
    outcome = messaging.message_send(message_id=message_id)
    if outcome.retry:
        raise self.retry(countdown=_backoff(self.request.retries))
    return outcome.status


@shared_task(name="clinic.tasks.message_send_many", soft_time_limit=120, time_limit=150)
def message_send_many(message_ids: list[int]) -> int:
    """Send a batch of queued texts, each exactly as ``message_send`` would.

    A text that hits a transient error is retried on its own, as a ``message_send`` task on
    its first retry. A batch that runs out of time hands the texts it has not finished on to
    a new batch; the one it was sending may be claimed already, and is then left for a sweep
    to take over, as after a worker was killed.
    """
    done = 0
    try:
        for message_id, outcome in messaging.message_send_many(message_ids=message_ids):
            if outcome.retry:
                message_send.apply_async((message_id,), countdown=_backoff(0), retries=1)
            done += 1
    except SoftTimeLimitExceeded:
        message_send_many.delay(message_ids[done:])
    return done


@shared_task(name="clinic.tasks.reminder_sweep", soft_time_limit=240, time_limit=300)
def reminder_sweep() -> int:
    """Beat runs this every few minutes: queue due reminders, (re)dispatch queued texts.

    The texts go to the senders in batches as the sweep queues them.
    """
    dispatched = 0
    for ids in messaging.reminder_sweep_batches():
        for start in range(0, len(ids), SEND_BATCH):
            message_send_many.delay(ids[start : start + SEND_BATCH])
        dispatched += len(ids)
    return dispatched


@shared_task(name="clinic.tasks.series_email", **EMAIL_RETRIES)
def series_email(series_id: int, kind: str, appointment_ids: list[int]) -> None:
    """One email for a series booked or cancelled, with one calendar file."""
    series_email_send(series_id=series_id, kind=kind, appointment_ids=appointment_ids)


@shared_task(name="clinic.tasks.series_changed")
def series_changed(series_id: int, kind: str, appointment_ids: list[int]) -> None:
    """A series was booked (or the rest of it cancelled): one email and one text in all."""
    series_email.delay(series_id, kind, appointment_ids)
    for message_id in series.series_texts_queue(
        series_id=series_id, kind=kind, appointment_ids=appointment_ids
    ):
        message_send.delay(message_id)


@shared_task(name="clinic.tasks.waitlist_time_freed")
def waitlist_time_freed(therapist_id: int, location_id: int, start: str) -> None:
    """A visit left this time: offer it to the waitlist (a round per visit type wanted)."""
    opened = waitlist.waitlist_time_freed(
        therapist_id=therapist_id,
        location_id=location_id,
        start=datetime.datetime.fromisoformat(start),
    )
    for opening_id in opened:
        waitlist_round(opening_id)


@shared_task(name="clinic.tasks.waitlist_round")
def waitlist_round(opening_id: int) -> None:
    """Send an opening's next round of offers if one is due (safe to run twice)."""
    sent = waitlist.opening_round(opening_id=opening_id)
    for message_id in sent.message_ids:
        message_send.delay(message_id)
    for offer_id in sent.offer_ids:
        waitlist_offer_email.delay(offer_id)


@shared_task(name="clinic.tasks.waitlist_offer_email", **EMAIL_RETRIES)
def waitlist_offer_email(offer_id: int) -> None:
    """Email one offer (at most once)."""
    waitlist_offer_email_send(offer_id=offer_id)


@shared_task(name="clinic.tasks.waitlist_sweep", soft_time_limit=50, time_limit=60)
def waitlist_sweep() -> int:
    """Beat: the next round of every lapsed offer, and offers of times that came free."""
    due = waitlist_sweep_service.waitlist_sweep()
    for opening_id in due:
        waitlist_round.delay(opening_id)
    return len(due)


@shared_task(name="clinic.tasks.texts_send")
def texts_send(message_ids: list[int]) -> None:
    """Hand queued texts to the senders (the waitlist's "just taken" texts)."""
    for message_id in message_ids:
        message_send.delay(message_id)
