import datetime
import json
import zoneinfo

import pytest
from django.urls import reverse
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from clinic.formatting import local_datetime
from clinic.models import Appointment, InboundMessage, Message
from clinic.services import appointment_book, appointment_cancel, appointment_reschedule, messaging
from clinic.sms.backends.base import SmsPermanentError, SmsTransientError
from clinic.sms.backends.twilio import SmsBackend as TwilioBackend
from tests.clinic import sms_fakes
from tests.factories.clinic import AppointmentTypeFactory, PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


@pytest.fixture
def book(clinic_setup, django_capture_on_commit_callbacks):
    def _book(start, patient=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return appointment_book(
                appointment_type=kwargs.pop("appointment_type", clinic_setup["type"]),
                location=clinic_setup["location"],
                start=start,
                patient=patient or PatientFactory(),
                **kwargs,
            )

    return _book


def test_booking_texts_a_confirmation_once(book, next_monday, sms_outbox, settings):
    appointment = book(at(next_monday, 9))
    [sms] = sms_outbox
    assert sms["to"] == str(appointment.patient.phone)
    assert sms["body"].startswith(f"{settings.CLINIC_SHORT_NAME}: you're booked")
    assert local_datetime(at(next_monday, 9), CHICAGO, with_zone=True) in sms["body"]
    assert "2112 Broadway St NE" in sms["body"]
    message = Message.objects.get(kind="confirmation")
    assert message.status == "sent" and message.provider_id == sms["id"]
    # Running the task again changes nothing.
    from clinic import tasks

    tasks.appointment_texts(appointment.pk, "confirmation")
    assert len(sms_outbox) == 1
    assert Message.objects.count() == 1


def test_a_type_that_needs_intake_also_texts_the_intake_link(book, next_monday, sms_outbox):
    evaluation = AppointmentTypeFactory(needs_intake=True, name="Initial evaluation")
    book(at(next_monday, 9), appointment_type=evaluation)
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert kinds == {"confirmation", "intake_request"}
    assert any("/intake/" in sms["body"] for sms in sms_outbox)


@pytest.mark.parametrize(
    ("patient_kwargs", "reason"),
    [
        ({"sms_consent": False}, "no_consent"),
        ({"sms_opted_out_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}, "opted_out"),
        ({"phone": ""}, "no_phone"),
    ],
)
def test_no_text_without_consent_after_opt_out_or_without_phone(
    book, next_monday, sms_outbox, patient_kwargs, reason
):
    book(at(next_monday, 9), patient=PatientFactory(**patient_kwargs))
    message = Message.objects.get()
    assert (message.status, message.skip_reason) == ("skipped", reason)
    assert sms_outbox == []


@pytest.mark.parametrize("phone", ["", None, "+16125550142", "12345"])
def test_the_quick_phone_check_agrees_with_the_numbers_own_truth_value(phone):
    patient = PatientFactory.build(phone=phone)
    assert messaging._has_phone(patient) is bool(patient.phone)


def test_reschedule_and_cancel_send_their_texts(
    book, next_monday, sms_outbox, django_capture_on_commit_callbacks
):
    appointment = book(at(next_monday, 9))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(appointment=appointment, start=at(next_monday, 14))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment)
    bodies = [sms["body"] for sms in sms_outbox]
    assert "is now" in bodies[1]
    assert local_datetime(at(next_monday, 14), CHICAGO, with_zone=True) in bodies[1]
    assert "is cancelled" in bodies[2]


def test_a_cancelled_visit_gets_no_pending_text(clinic_setup, next_monday, sms_outbox):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
    )
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
    assert messaging.message_send(message_id=message_id).status == "skipped"
    assert Message.objects.get().skip_reason == "cancelled"
    assert sms_outbox == []


@pytest.fixture
def queued(clinic_setup, next_monday):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
    )
    [message_id] = messaging.appointment_texts_queue(
        appointment_id=appointment.pk, kind="confirmation"
    )
    return message_id


def test_transient_errors_retry_then_fail(queued, scripted, settings):
    settings.SMS_MAX_ATTEMPTS = 3
    scripted.script.extend([sms_fakes.TRANSIENT] * 3)
    outcomes = [messaging.message_send(message_id=queued) for _ in range(3)]
    assert [o.retry for o in outcomes] == [True, True, False]
    message = Message.objects.get(pk=queued)
    assert (message.status, message.attempts, message.error_code) == ("failed", 3, "503")


def test_a_transient_error_then_success_sends_once(queued, scripted):
    scripted.script.extend([sms_fakes.TRANSIENT, None])
    assert messaging.message_send(message_id=queued).retry
    assert messaging.message_send(message_id=queued).status == "sent"
    assert messaging.message_send(message_id=queued).status == "sent"  # no third call
    assert len(scripted.calls) == 2
    message = Message.objects.get(pk=queued)
    assert (message.attempts, message.error_code) == (2, "")


def test_permanent_errors_fail_at_once(queued, scripted):
    scripted.script.append(sms_fakes.OPTED_OUT)
    outcome = messaging.message_send(message_id=queued)
    assert (outcome.status, outcome.retry) == ("failed", False)
    assert Message.objects.get(pk=queued).error_code == "21610"


def test_the_task_retries_transient_errors_with_backoff(queued, scripted, settings):
    from celery.exceptions import Retry

    from clinic import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = True
    scripted.script.append(sms_fakes.TRANSIENT)
    with pytest.raises(Retry):
        tasks.message_send.apply(args=[queued], throw=True)


# --- Reminders ---------------------------------------------------------------------------


@pytest.fixture
def tomorrow_visit(clinic_setup, next_monday):
    """A 09:00 visit on next_monday, booked well before its reminder was due."""
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
        now=at(next_monday, 9) - datetime.timedelta(days=5),
    )
    return appointment


@pytest.mark.parametrize(
    ("local_time", "due"),
    [
        ((9, 59), False),  # before the reminder hour
        ((10, 0), True),
        ((18, 30), True),
        ((21, 0), False),  # quiet hours
        ((23, 30), False),
    ],
)
def test_reminders_go_the_day_before_at_a_decent_hour(tomorrow_visit, next_monday, local_time, due):
    now = at(next_monday - datetime.timedelta(days=1), *local_time)
    assert (tomorrow_visit in messaging.reminder_due_list(now=now)) is due


def test_the_sweep_reminds_once_and_names_the_clinic(tomorrow_visit, next_monday, sms_outbox):
    now = at(next_monday - datetime.timedelta(days=1), 10, 5)
    ids = messaging.reminder_sweep(now=now)
    # A second sweep queues nothing new (it may re-dispatch the same still-queued message).
    assert set(messaging.reminder_sweep(now=now)) <= set(ids)
    assert Message.objects.filter(kind="reminder").count() == 1
    for message_id in ids * 2:
        messaging.message_send(message_id=message_id)
    [sms] = sms_outbox
    assert sms["body"].startswith("Stride PT: reminder of your Follow-up visit")
    assert "tomorrow" in sms["body"] and "Reply C to confirm, R to reschedule" in sms["body"]
    assert "STOP to opt out" in sms["body"]


def test_a_visit_booked_after_the_reminder_time_is_covered_by_its_confirmation(
    clinic_setup, next_monday
):
    late = at(next_monday - datetime.timedelta(days=1), 15)
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
        now=late,
        source="front_desk",
    )
    assert messaging.reminder_sweep(now=late + datetime.timedelta(minutes=5)) == []
    message = Message.objects.get(appointment=appointment, kind="reminder")
    assert (message.status, message.skip_reason) == ("skipped", "covered")


def test_the_sweep_redispatches_texts_whose_task_was_lost(queued, next_monday):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=10)
    assert queued in messaging.reminder_sweep(now=later)


# --- Twilio --------------------------------------------------------------------------------


class FakeTwilioHttp(HttpClient):
    """Answers Twilio's Messages API with a canned response instead of the network."""

    def __init__(self, status, body):
        super().__init__(logger=None, is_async=False)
        self.status, self.body, self.requests = status, body, []

    def request(self, method, url, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append({"method": method, "url": url, "data": data})
        return Response(self.status, json.dumps(self.body))


def twilio_backend(status, body, settings):
    settings.TWILIO_FROM_NUMBER = "+16125550100"
    http = FakeTwilioHttp(status, body)
    return TwilioBackend(client=Client("ACxxxxxxxx", "token", http_client=http)), http


def test_twilio_backend_sends_and_returns_the_sid(settings):
    backend, http = twilio_backend(201, {"sid": "SM123", "status": "queued"}, settings)
    assert backend.send(to="+16125550123", body="Hello") == "SM123"
    assert http.requests[0]["data"]["To"] == "+16125550123"
    assert http.requests[0]["data"]["From"] == "+16125550100"


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, 21610, SmsPermanentError),
        (400, 21211, SmsPermanentError),
        (429, 20429, SmsTransientError),
        (503, 20503, SmsTransientError),
    ],
)
def test_twilio_errors_are_classified(settings, status, code, error):
    backend, _ = twilio_backend(
        status, {"code": code, "message": "nope", "status": status}, settings
    )
    with pytest.raises(error) as caught:
        backend.send(to="+16125550123", body="Hello")
    assert caught.value.code == str(code)


# --- Webhooks ------------------------------------------------------------------------------


def signed_post(client, settings, name, data):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    url = "http://testserver" + reverse(name)
    signature = RequestValidator("test-auth-token").compute_signature(url, data)
    return client.post(reverse(name), data, HTTP_X_TWILIO_SIGNATURE=signature)


def test_a_bad_signature_is_403_and_changes_nothing(client, settings, tomorrow_visit):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    data = {"From": str(tomorrow_visit.patient.phone), "Body": "STOP"}
    response = client.post(reverse("sms_inbound"), data, HTTP_X_TWILIO_SIGNATURE="forged")
    assert response.status_code == 403
    tomorrow_visit.patient.refresh_from_db()
    assert tomorrow_visit.patient.sms_opted_out_at is None
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("word", ["STOP", "stop", "Unsubscribe", "QUIT"])
def test_stop_opts_out_and_start_opts_back_in(client, settings, tomorrow_visit, word):
    patient = tomorrow_visit.patient
    signed_post(client, settings, "sms_inbound", {"From": str(patient.phone), "Body": word})
    patient.refresh_from_db()
    assert patient.sms_opted_out_at is not None
    assert (
        messaging.appointment_texts_queue(appointment_id=tomorrow_visit.pk, kind="confirmation")
        == []
    )
    signed_post(client, settings, "sms_inbound", {"From": str(patient.phone), "Body": "START"})
    patient.refresh_from_db()
    assert patient.sms_opted_out_at is None


def test_help_replies_with_the_clinics_phone(client, settings, tomorrow_visit):
    response = signed_post(
        client, settings, "sms_inbound", {"From": str(tomorrow_visit.patient.phone), "Body": "HELP"}
    )
    assert "(612) 555-0142" in response.content.decode()


def test_c_confirms_the_next_visit(client, settings, tomorrow_visit):
    response = signed_post(
        client, settings, "sms_inbound", {"From": str(tomorrow_visit.patient.phone), "Body": "c"}
    )
    tomorrow_visit.refresh_from_db()
    assert tomorrow_visit.status == "confirmed"
    assert "is confirmed" in response.content.decode()
    inbound = InboundMessage.objects.get()
    assert inbound.patient == tomorrow_visit.patient
    assert inbound.action == f"confirmed:{tomorrow_visit.pk}"
    assert Message.objects.get(kind="reply").body.endswith("See you then!")


def test_r_replies_with_the_manage_link(client, settings, tomorrow_visit):
    response = signed_post(
        client, settings, "sms_inbound", {"From": str(tomorrow_visit.patient.phone), "Body": "R"}
    )
    assert "/appointments/" in response.content.decode()


def test_delivery_callbacks_update_the_message(client, settings, queued):
    messaging.message_send(message_id=queued)
    sid = Message.objects.get(pk=queued).provider_id
    response = signed_post(
        client, settings, "sms_status", {"MessageSid": sid, "MessageStatus": "delivered"}
    )
    assert response.status_code == 204
    message = Message.objects.get(pk=queued)
    assert message.status == "delivered" and message.delivered_at is not None


def _stuck_sending(message_id, *, minutes_ago=10):
    Message.objects.filter(pk=message_id).update(
        status="sending",
        attempts=1,
        claimed_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes_ago),
    )


def test_a_send_whose_worker_died_after_the_provider_call_is_not_repeated(queued, sms_outbox):
    message = Message.objects.get(pk=queued)
    sms_outbox.append({"to": message.to, "body": message.body, "id": "local-earlier"})
    _stuck_sending(queued)
    assert messaging.message_send(message_id=queued).status == "sent"
    assert len(sms_outbox) == 1
    assert Message.objects.get(pk=queued).provider_id == "local-earlier"


def test_a_send_whose_worker_died_before_the_provider_call_is_sent_once(queued, sms_outbox):
    _stuck_sending(queued)
    assert messaging.message_send(message_id=queued).status == "sent"
    assert messaging.message_send(message_id=queued).status == "sent"
    assert len(sms_outbox) == 1


def test_a_recent_claim_belongs_to_the_worker_still_sending_it(queued, sms_outbox):
    _stuck_sending(queued, minutes_ago=0)
    assert messaging.message_send(message_id=queued).status == "sending"
    assert sms_outbox == []
