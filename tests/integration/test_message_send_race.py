"""Several senders given the same texts at the same moment, on real PostgreSQL: each text goes
out once, whoever claims it."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection

from clinic.models import Message
from clinic.services import messaging
from tests.factories.clinic import PatientFactory

SENDERS = 4
TEXTS = 60


@pytest.fixture
def queued_texts(real_services):
    ids = []
    for n in range(TEXTS):
        patient = PatientFactory(phone=f"+1612556{n:04d}")
        message, _ = messaging.message_queue(
            kind=Message.Kind.CAREPLAN_PUBLISHED,
            patient=patient,
            dedupe_key=f"race:{n}",
            body=f"Text {n}",
        )
        ids.append(message.pk)
    return ids


def race(ids_per_sender):
    start = threading.Barrier(len(ids_per_sender))
    errors = []

    def sender(ids):
        try:
            start.wait()
            for _ in messaging.message_send_many(message_ids=ids):
                pass
        except Exception as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(ids,)) for ids in ids_per_sender]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_senders_racing_for_the_same_texts_send_each_once(queued_texts, sms_outbox):
    # Each sender gets every text, in its own order, so the claims collide all along.
    race([queued_texts[n:] + queued_texts[:n] for n in range(0, TEXTS, TEXTS // SENDERS)])
    counts = Counter(sms["to"] for sms in sms_outbox)
    assert len(counts) == TEXTS and set(counts.values()) == {1}
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_senders_racing_to_take_over_stuck_texts_send_each_once(queued_texts, sms_outbox):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    Message.objects.update(status="sending", attempts=1, claimed_at=long_ago)
    race([list(reversed(queued_texts)), queued_texts, queued_texts[::2] + queued_texts[1::2]])
    counts = Counter(sms["to"] for sms in sms_outbox)
    assert len(counts) == TEXTS and set(counts.values()) == {1}
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 1)}
