"""A red-flag answer makes the intake urgent, and alerts the clinic once, the moment it is saved:
by Next, by Back or by the autosave as the patient taps, whether or not the intake is sent."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intake import tasks
from intake.models import IntakeAssessment, UrgentAlert
from intake.services import alerts
from intake.services import questionnaire as services
from tests.factories.clinic import StaffUserFactory
from tests.helpers import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    return StaffUserFactory(email="desk@stride.example")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what a request queues on commit (the alert task, inline in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def step_url(token, step):
    return reverse("intake:step", args=[token, step])


def autosave_url(token, step):
    return reverse("intake:autosave", args=[token, step])


def the_intake(appointment) -> IntakeAssessment:
    return IntakeAssessment.objects.get(appointment=appointment)


def alerted(appointment) -> list[str]:
    """Who was emailed, one address per email."""
    return sorted(address for message in mail.outbox for address in message.to)


def red_flag_step(**yes) -> dict:
    """The red-flag step as posted: every question No except the codes given as yes."""
    return {**answers()["red_flags"], **{code: "yes" for code in yes}}


def test_next_on_a_yes_marks_the_intake_urgent_and_alerts_at_once(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    client.post(step_url(token, "pain"), {**answers()["pain"], "action": "next"})
    with on_commit():
        client.post(step_url(token, "red_flags"), {**red_flag_step(bladder=1), "action": "next"})

    intake = the_intake(appointment)
    assert intake.status == IntakeAssessment.Status.IN_PROGRESS  # never sent
    assert intake.is_urgent and intake.urgent_since is not None
    assert intake.red_flags == ["bladder"]
    assert alerted(appointment) == sorted([desk.email, appointment.therapist.user.email])
    alert = UrgentAlert.objects.get(intake=intake)
    assert (alert.step, alert.urgent_since, alert.sent_at is not None) == (
        UrgentAlert.ALERT,
        intake.urgent_since,
        True,
    )


def test_the_autosave_of_one_tapped_yes_marks_the_intake_urgent(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    with on_commit():
        # The patient has tapped one answer; the step is far from valid.
        response = client.post(autosave_url(token, "red_flags"), {"saddle_numbness": "yes"})
    assert response.status_code in (200, 204)
    intake = the_intake(appointment)
    assert intake.is_urgent and intake.red_flags == ["saddle_numbness"]
    assert "red_flags" not in intake.answers  # only a draft
    assert len(alerted(appointment)) == 2


def test_back_with_a_half_answered_step_marks_the_intake_urgent(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    with on_commit():
        client.post(step_url(token, "red_flags"), {"both_legs": "yes", "action": "back"})
    intake = the_intake(appointment)
    assert intake.is_urgent and intake.red_flags == ["both_legs"]
    assert len(alerted(appointment)) == 2


def test_back_with_a_valid_step_marks_the_intake_urgent(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    with on_commit():
        client.post(step_url(token, "red_flags"), {**red_flag_step(trauma=1), "action": "back"})
    intake = the_intake(appointment)
    assert intake.answers["red_flags"]["trauma"] is True
    assert intake.is_urgent and intake.red_flags == ["trauma"]
    assert len(alerted(appointment)) == 2


def test_saving_the_same_yes_again_and_sending_alerts_once(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    with on_commit():
        client.post(autosave_url(token, "red_flags"), {"bladder": "yes"})
        client.post(autosave_url(token, "red_flags"), {"bladder": "yes", "bowel": "no"})
        for step, data in answers(red_flags=["bladder"]).items():
            client.post(step_url(token, step), {**data, "action": "next"})
        client.post(reverse("intake:review_answers", args=[token]))

    intake = the_intake(appointment)
    assert intake.is_submitted and intake.is_urgent
    assert UrgentAlert.objects.filter(intake=intake).count() == 1
    assert len(mail.outbox) == 2  # one alert: the therapist's email and the desk's


def test_no_red_flag_no_urgency_and_no_alert(client, intake_appointment, desk, on_commit):
    appointment, token = intake_appointment
    with on_commit():
        client.post(autosave_url(token, "red_flags"), {"bladder": "no"})
        for step, data in answers().items():
            client.post(step_url(token, step), {**data, "action": "next"})
        client.post(reverse("intake:review_answers", args=[token]))
    intake = the_intake(appointment)
    assert not intake.is_urgent and intake.urgent_since is None
    assert not UrgentAlert.objects.exists()
    assert mail.outbox == []


def test_the_computed_age_flag_counts_when_the_pain_step_is_saved(
    client, intake_appointment, desk, on_commit
):
    appointment, token = intake_appointment
    appointment.patient.date_of_birth = datetime.date(1960, 1, 1)
    appointment.patient.save()
    with on_commit():
        client.post(step_url(token, "pain"), {**answers()["pain"], "action": "next"})
    intake = the_intake(appointment)
    assert intake.is_urgent and intake.red_flags == ["age_onset"]
    assert len(mail.outbox) == 2


def test_urgent_since_is_the_moment_of_the_save(intake_appointment):
    appointment, _ = intake_appointment
    intake = services.intake_for_appointment(appointment=appointment)
    moment = timezone.now() - datetime.timedelta(minutes=7)
    services.intake_draft_save(
        intake=intake, step="red_flags", raw={"night_pain": "yes"}, now=moment
    )
    services.intake_draft_save(
        intake=intake, step="red_flags", raw={"night_pain": "yes", "bladder": "yes"}
    )
    intake.refresh_from_db()
    assert intake.urgent_since == moment  # a second flag does not move it
    assert intake.red_flags == ["bladder", "night_pain"]  # in the order they are asked


def test_a_malformed_draft_answer_is_not_a_flag(intake_appointment):
    appointment, _ = intake_appointment
    intake = services.intake_for_appointment(appointment=appointment)
    services.intake_draft_save(
        intake=intake, step="red_flags", raw={"bladder": "maybe", "unknown": "yes"}
    )
    intake.refresh_from_db()
    assert not intake.is_urgent


# --- Sending: safe to run twice -----------------------------------------------------------------


@pytest.fixture
def alert(intake_appointment, desk):
    appointment, _ = intake_appointment
    intake = services.intake_for_appointment(appointment=appointment)
    services.intake_draft_save(intake=intake, step="red_flags", raw={"bladder": "yes"})
    return UrgentAlert.objects.get(intake=intake)


def test_the_alert_task_run_twice_sends_once(alert):
    assert tasks.urgent_alert(alert.pk) == 2
    assert tasks.urgent_alert(alert.pk) == 0
    assert len(mail.outbox) == 2
    alert.refresh_from_db()
    assert alert.sent_at is not None


def test_an_alert_claimed_by_a_live_worker_is_left_to_it(alert):
    UrgentAlert.objects.filter(pk=alert.pk).update(claimed_at=timezone.now())
    assert alerts.urgent_alert_send(alert_id=alert.pk) == 0
    assert mail.outbox == []


def test_an_alert_claimed_by_a_dead_worker_is_taken_over(alert):
    stale = timezone.now() - alerts.CLAIM_STALE - datetime.timedelta(seconds=1)
    UrgentAlert.objects.filter(pk=alert.pk).update(claimed_at=stale)
    assert alerts.urgent_alert_send(alert_id=alert.pk) == 2


def test_a_mail_server_error_releases_the_claim_for_the_retry(alert):
    with (
        mock.patch("intake.services.alerts.send_mail", side_effect=ConnectionRefusedError),
        pytest.raises(OSError),
    ):
        alerts.urgent_alert_send(alert_id=alert.pk)
    alert.refresh_from_db()
    assert (alert.claimed_at, alert.sent_at) == (None, None)
    assert alerts.urgent_alert_send(alert_id=alert.pk) == 2


def test_an_alert_queued_under_the_old_task_name_is_sent_once(alert):
    assert tasks.intake_red_flag_alert(alert.intake_id) == 2
    assert tasks.intake_red_flag_alert(alert.intake_id) == 0
    assert UrgentAlert.objects.count() == 1
