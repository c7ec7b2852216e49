"""Finding 8: the do-not-text list is kept by number, and provider ids are unique."""

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from twilio.request_validator import RequestValidator

from clinic.models import InboundMessage, Message, SmsOptOut
from clinic.services import appointment_book, messaging, replies
from tests.factories.clinic import PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
STRANGER = "+16125550177"


def signed_post(client, settings, name, data):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    url = "http://testserver" + reverse(name)
    signature = RequestValidator("test-auth-token").compute_signature(url, data)
    return client.post(reverse(name), data, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def book_for(clinic_setup, next_monday):
    def _book(patient, hour=9):
        return appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=datetime.datetime.combine(next_monday, datetime.time(hour), CHICAGO),
            patient=patient,
        )

    return _book


def test_a_stop_from_a_stranger_holds_for_a_later_patient_with_that_number(
    client, settings, book_for, sms_outbox
):
    signed_post(client, settings, "sms_inbound", {"From": STRANGER, "Body": "STOP"})
    assert SmsOptOut.objects.get().phone == STRANGER
    appointment = book_for(PatientFactory(phone=STRANGER))
    assert (
        messaging.appointment_texts_queue(appointment_id=appointment.pk, kind="confirmation") == []
    )
    message = Message.objects.get(appointment=appointment, kind="confirmation")
    assert (message.status, message.skip_reason) == ("skipped", "opted_out")
    assert sms_outbox == []


def test_start_from_that_number_lifts_it(client, settings, book_for, sms_outbox):
    signed_post(client, settings, "sms_inbound", {"From": STRANGER, "Body": "stop"})
    signed_post(client, settings, "sms_inbound", {"From": STRANGER, "Body": "START"})
    assert not SmsOptOut.objects.exists()
    appointment = book_for(PatientFactory(phone=STRANGER))
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    assert messaging.message_send(message_id=message_id).status == "sent"


def test_a_queued_text_is_skipped_at_send_time_once_the_number_says_stop(
    client, settings, book_for, sms_outbox
):
    appointment = book_for(PatientFactory(phone=STRANGER))
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    # Said STOP from the same number written another way, before the worker sent it.
    replies.inbound_handle(from_number="(612) 555-0177", body="STOP")
    assert messaging.message_send(message_id=message_id).status == "skipped"
    assert sms_outbox == []


def test_a_replayed_inbound_text_is_handled_once(client, settings, book_for):
    appointment = book_for(PatientFactory())
    data = {"From": str(appointment.patient.phone), "Body": "R", "MessageSid": "SM-replayed"}
    first = signed_post(client, settings, "sms_inbound", data)
    assert "/appointments/" in first.content.decode()
    for _ in range(2):
        again = signed_post(client, settings, "sms_inbound", data)
        assert again.status_code == 200
        assert "/appointments/" not in again.content.decode()
    assert InboundMessage.objects.filter(provider_id="SM-replayed").count() == 1
    assert Message.objects.filter(kind="reply").count() == 1


def test_a_replayed_status_callback_changes_nothing(client, settings, book_for, sms_outbox):
    appointment = book_for(PatientFactory())
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    messaging.message_send(message_id=message_id)
    message = Message.objects.get(pk=message_id)
    data = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert signed_post(client, settings, "sms_status", data).status_code == 204
    delivered = Message.objects.get(pk=message_id)
    for status in ["delivered", "delivered", "sent"]:
        response = signed_post(client, settings, "sms_status", {**data, "MessageStatus": status})
        assert response.status_code == 204
    replayed = Message.objects.get(pk=message_id)
    assert (replayed.status, replayed.delivered_at, replayed.updated_at) == (
        "delivered",
        delivered.delivered_at,
        delivered.updated_at,
    )
    assert Message.objects.filter(provider_id=message.provider_id).count() == 1


def test_the_database_refuses_a_second_row_with_one_provider_id(book_for, sms_outbox):
    appointment = book_for(PatientFactory())
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    messaging.message_send(message_id=message_id)
    message = Message.objects.get(pk=message_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            patient=message.patient,
            kind="reply",
            dedupe_key="x",
            body="x",
            provider_id=message.provider_id,
        )
    # Empty ids (texts not sent yet) are not constrained.
    Message.objects.create(patient=message.patient, kind="reply", dedupe_key="y", body="y")
    Message.objects.create(patient=message.patient, kind="reply", dedupe_key="z", body="z")
