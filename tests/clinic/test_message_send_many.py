"""Texts sent in batches: each exactly once, a failing one retried on its own."""

import datetime
import zoneinfo

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from clinic import tasks
from clinic.models import Message
from clinic.services import appointment_book, messaging
from tests.clinic import sms_fakes
from tests.factories.clinic import PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


@pytest.fixture
def queued(clinic_setup, next_monday):
    """Four booking confirmations queued and not yet sent, for four patients."""
    ids = []
    for hour in (9, 10, 11, 12):
        appointment = appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=datetime.datetime.combine(next_monday, datetime.time(hour), CHICAGO),
            patient=PatientFactory(),
        )
        ids += messaging.appointment_texts_queue(appointment_id=appointment.pk, kind="confirmation")
    return ids


def test_a_batch_sends_each_text_once_even_when_run_again(queued, sms_outbox):
    assert tasks.message_send_many(queued) == 4
    tasks.message_send_many(queued + queued)
    numbers = [sms["to"] for sms in sms_outbox]
    assert sorted(numbers) == sorted(Message.objects.values_list("to", flat=True))
    assert len(set(numbers)) == 4
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_text_with_a_transient_error_is_retried_on_its_own(queued, scripted, monkeypatch):
    retried = []
    monkeypatch.setattr(
        tasks.message_send, "apply_async", lambda *args, **kwargs: retried.append((args, kwargs))
    )
    scripted.script.extend([None, sms_fakes.TRANSIENT, None, None])
    tasks.message_send_many(queued)
    # The same first retry as message_send's own: in 15 s, counted as its first.
    assert retried == [(((queued[1],),), {"countdown": 15, "retries": 1})]
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in queued] == ["sent", "queued", "sent", "sent"]
    assert len(scripted.calls) == 4


def test_the_retried_text_is_sent_by_its_own_task(queued, scripted, sms_outbox):
    scripted.script.extend([None, sms_fakes.TRANSIENT])
    tasks.message_send_many(queued)  # eager: the retry runs at once
    assert len(scripted.calls) == 5
    message = Message.objects.get(pk=queued[1])
    assert (message.status, message.attempts) == ("sent", 2)
    assert Message.objects.filter(status="sent").count() == 4


def test_a_batch_out_of_time_hands_the_rest_on(queued, scripted, monkeypatch):
    handed_on = []
    monkeypatch.setattr(tasks.message_send_many, "delay", handed_on.append)
    scripted.script.extend([None, SoftTimeLimitExceeded()])
    assert tasks.message_send_many(queued) == 1
    assert handed_on == [queued[1:]]
    # The one interrupted mid-send stays claimed, for a sweep to take over and reconcile.
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in queued] == ["sent", "sending", "queued", "queued"]


# --- The batch service: one read for the batch, one claim per text ---------------------------


def test_a_text_sent_meanwhile_by_another_worker_is_not_sent_again(queued, scripted):
    """The batch read its rows first: its copy of the second text is old when it gets there."""

    def other_worker_sends_the_second():
        Message.objects.filter(pk=queued[1]).update(status="sent", attempts=1, provider_id="SMx")

    scripted.before_send.append(other_worker_sends_the_second)
    outcomes = dict(messaging.message_send_many(message_ids=queued))
    assert [outcomes[pk].status for pk in queued] == ["sent"] * 4
    assert len(scripted.calls) == 3
    second = Message.objects.get(pk=queued[1])
    assert (second.provider_id, second.attempts) == ("SMx", 1)


def test_a_stuck_text_taken_over_meanwhile_by_another_worker_is_left_to_it(queued, scripted):
    """Both found it stuck in ``sending``; only the first to claim it may reconcile and send."""
    stuck = queued[1]
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
    Message.objects.filter(pk=stuck).update(status="sending", attempts=1, claimed_at=long_ago)

    def other_worker_takes_it_over():
        Message.objects.filter(pk=stuck).update(claimed_at=datetime.datetime.now(datetime.UTC))

    scripted.before_send.append(other_worker_takes_it_over)
    outcomes = dict(messaging.message_send_many(message_ids=queued))
    assert outcomes[stuck].status == "sending"
    assert [call["to"] for call in scripted.calls] == list(
        Message.objects.filter(pk__in=[queued[0], *queued[2:]])
        .order_by("pk")
        .values_list("to", flat=True)
    )


def test_a_batch_reads_its_rows_again_once_its_copy_is_old(queued, scripted, monkeypatch):
    monkeypatch.setattr(messaging, "SEND_READ_FRESH_SECONDS", 0.0)  # every copy is old

    def second_patient_opts_out():
        patient = Message.objects.get(pk=queued[1]).patient
        patient.sms_opted_out_at = datetime.datetime.now(datetime.UTC)
        patient.save(update_fields=["sms_opted_out_at"])

    scripted.before_send.append(second_patient_opts_out)
    outcomes = dict(messaging.message_send_many(message_ids=queued))
    assert [outcomes[pk].status for pk in queued] == ["sent", "skipped", "sent", "sent"]
    assert Message.objects.get(pk=queued[1]).skip_reason == "opted_out"
    assert len(scripted.calls) == 3


def test_a_batch_uses_one_backend_and_reports_missing_ids(queued, monkeypatch):
    made = []
    get_backend = messaging.get_backend
    monkeypatch.setattr(messaging, "get_backend", lambda: made.append(get_backend()) or made[-1])
    outcomes = list(messaging.message_send_many(message_ids=[*queued, 999_999]))
    assert [(pk, outcome.status) for pk, outcome in outcomes] == [
        *((pk, "sent") for pk in queued),
        (999_999, "missing"),
    ]
    assert len(made) == 1
