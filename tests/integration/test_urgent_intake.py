"""An urgent intake through a real worker on Redis and PostgreSQL: a red flag saved and never
sent reaches the clinic within a minute, with no health information in the email; and the
escalation sweep escalates once, and only once, when sweeps race."""

import datetime
import threading
import time

from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from clinic.models import User
from intake.models import IntakeAssessment, UrgentAlert
from intake.services import alerts, escalation
from intake.services import questionnaire as services
from tests.factories.clinic import StaffUserFactory, UserFactory
from tests.helpers import health_information_in

SWEEPS = 8


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_a_red_flag_saved_and_never_sent_alerts_the_clinic_within_a_minute(
    celery_worker, client, intake_appointment
):
    appointment, token = intake_appointment
    patient = appointment.patient
    patient.first_name, patient.last_name = "Marguerite", "Okonkwo-Lindqvist"
    patient.save()
    desk = StaffUserFactory(email="desk@stride.example")
    started = time.monotonic()

    # The patient taps Yes on a cauda equina question; htmx autosaves the half-done step. They
    # then close the page: nothing is ever sent.
    response = client.post(
        reverse("intake:autosave", args=[token, "red_flags"]),
        {"bladder": "no", "saddle_numbness": "yes"},
    )
    assert response.status_code == 200

    assert wait_for(lambda: len(mail.outbox) >= 2, timeout=60), "no alert within a minute"
    assert time.monotonic() - started < 60
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [desk.email, appointment.therapist.user.email]
    )
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.status == IntakeAssessment.Status.IN_PROGRESS
    assert intake.is_urgent and intake.urgent_since is not None
    assert UrgentAlert.objects.get(intake=intake).sent_at is not None

    for message in mail.outbox:
        assert message.subject == alerts.ALERT_SUBJECT
        text = f"{message.subject}\n{message.body}"
        assert "Marguerite" not in text and "Okonkwo" not in text
        assert health_information_in(text, patient) == []

    # Saving the same Yes again (the next tap) does not alert again.
    client.post(
        reverse("intake:autosave", args=[token, "red_flags"]),
        {"bladder": "no", "saddle_numbness": "yes", "bowel": "no"},
    )
    time.sleep(3)
    assert len(mail.outbox) == 2


def run_at_once(n: int, work) -> list:
    """``work()`` in ``n`` threads released together, each on its own database connection."""
    barrier = threading.Barrier(n)
    results, lock = [], threading.Lock()

    def run():
        try:
            barrier.wait()
            outcome = work()
        except Exception as error:  # anything else is a bug the test must show
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_racing_sweeps_escalate_once_and_only_once(celery_worker, intake_appointment):
    assert connection.vendor == "postgresql"
    appointment, _ = intake_appointment
    admin = UserFactory(email="admin@stride.example", role=User.Role.ADMIN, is_staff=True)
    desk = StaffUserFactory(email="desk@stride.example")
    zone = appointment.location.zone  # open Monday to Friday, 8:00–17:00
    today = datetime.datetime.now(zone).date()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    urgent_at = datetime.datetime.combine(monday, datetime.time(10), zone)

    intake = services.intake_for_appointment(appointment=appointment)
    services.intake_draft_save(intake=intake, step="red_flags", raw={"bowel": "yes"}, now=urgent_at)
    assert wait_for(lambda: len(mail.outbox) >= 2, timeout=30), "the alert did not go"
    mail.outbox.clear()

    # 45 minutes of opening hours later, many sweeps at once.
    results = run_at_once(
        SWEEPS,
        lambda: escalation.urgent_sweep(now=urgent_at + datetime.timedelta(minutes=45)),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    made = [ids for ids in results if ids]
    assert len(made) == 1 and len(made[0]) == 1, results
    [step_one] = UrgentAlert.objects.filter(intake=intake, step=1)
    assert made[0] == [step_one.pk]
    assert UrgentAlert.objects.filter(intake=intake).count() == 2  # the alert and step 1

    assert wait_for(lambda: len(mail.outbox) >= 2, timeout=30), "no escalation email"
    time.sleep(3)  # any duplicate would have arrived by now
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [admin.email, desk.email]
    )
    for message in mail.outbox:
        assert message.subject == alerts.ESCALATION_SUBJECT
        assert health_information_in(f"{message.subject}\n{message.body}", intake.patient) == []
    step_one.refresh_from_db()
    assert step_one.sent_at is not None
