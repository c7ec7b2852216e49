"""Texts sent in batches: each exactly once, a failing one retried on its own."""

import datetime
import zoneinfo

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from clinic import tasks
from clinic.models import Message
from clinic.services import appointment_book, messaging
from tests.clinic import sms_fakes
from tests.factories import PatientFactory

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


@pytest.fixture
def scripted(settings):
    settings.SMS_BACKEND = "tests.clinic.sms_fakes.ScriptedBackend"
    sms_fakes.calls.clear()
    sms_fakes.script.clear()
    return sms_fakes


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
