"""A corrected red-flag answer is kept: every change is recorded with its time, and an intake
that was urgent stays urgent (and unacknowledged) when the patient changes Yes to No."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intake.models import IntakeAssessment, RedFlagAnswer, UrgentAlert
from intake.selectors import urgent_intake_count
from intake.services import questionnaire as services
from tests.factories.clinic import StaffUserFactory
from tests.helpers import answers

pytestmark = pytest.mark.django_db

T0 = timezone.now() - datetime.timedelta(hours=1)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def history(intake) -> list[tuple[str, bool, datetime.datetime]]:
    return list(
        RedFlagAnswer.objects.filter(intake=intake).values_list("code", "answer", "answered_at")
    )


@pytest.fixture
def intake(intake_appointment):
    appointment, _ = intake_appointment
    return services.intake_for_appointment(appointment=appointment)


def draft(intake, now, **answers_given):
    return services.intake_draft_save(
        intake=intake, step="red_flags", raw=dict(answers_given), now=now
    )


def test_yes_then_no_keeps_both_answers_with_their_times_and_the_intake_urgent(intake):
    draft(intake, at(0), bladder="yes")
    draft(intake, at(1), bladder="no")

    assert history(intake) == [("bladder", True, at(0)), ("bladder", False, at(1))]
    intake.refresh_from_db()
    assert intake.is_urgent and intake.urgent_acknowledged_at is None
    assert intake.red_flags == ["bladder"]
    assert intake.urgent_since == at(0)
    desk = StaffUserFactory()
    assert urgent_intake_count(user=desk) == 1


def test_saving_the_same_answer_again_adds_nothing(intake):
    draft(intake, at(0), bladder="yes")
    draft(intake, at(1), bladder="yes")
    draft(intake, at(2), bladder="yes", bowel="no")
    assert history(intake) == [("bladder", True, at(0)), ("bowel", False, at(2))]


def test_every_first_answer_and_every_change_is_recorded(intake):
    data = answers()["red_flags"]
    step = {code: value == "yes" for code, value in data.items()}
    services.intake_step_save(intake=intake, step="red_flags", data=step, now=at(0))
    assert len(history(intake)) == len(data)
    services.intake_step_save(
        intake=intake, step="red_flags", data={**step, "trauma": True}, now=at(5)
    )
    assert history(intake)[-1] == ("trauma", True, at(5))
    assert len(history(intake)) == len(data) + 1


def test_other_steps_add_nothing(intake):
    services.intake_draft_save(intake=intake, step="history", raw={"surgery": "knee"})
    assert history(intake) == []


def test_a_corrected_intake_sent_later_stays_urgent_and_does_not_alert_again(
    client, intake_appointment, django_capture_on_commit_callbacks
):
    appointment, token = intake_appointment
    StaffUserFactory(email="desk@stride.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:autosave", args=[token, "red_flags"]), {"bowel": "yes"})
        client.post(reverse("intake:autosave", args=[token, "red_flags"]), {"bowel": "no"})
        for step, data in answers().items():  # every red flag No
            client.post(reverse("intake:step", args=[token, step]), {**data, "action": "next"})
        client.post(reverse("intake:review_answers", args=[token]))

    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_submitted
    assert intake.answers["red_flags"]["bowel"] is False
    assert intake.is_urgent and intake.red_flags == ["bowel"]
    assert [answer for code, answer, _ in history(intake) if code == "bowel"] == [True, False]
    assert UrgentAlert.objects.filter(intake=intake).count() == 1
    assert len(mail.outbox) == 2  # the one alert, to the therapist and the desk
