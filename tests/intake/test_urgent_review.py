"""The urgent review serves the call: the patient's phone and email, each red-flag answer and
when, what the patient was told; acknowledging records what was done, by whom and when, and
clears the intake for every staff member at once. The list shows an abandoned urgent intake
at the top."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.formatting import local_datetime
from clinic.models import User
from intake import scoring
from intake.models import IntakeAssessment, UrgentAcknowledgement, UrgentAlert
from intake.selectors import urgent_intake_count
from intake.services import errors
from intake.services import questionnaire as questionnaire_services
from intake.services import review as services
from intake.services.errors import IntakeError
from intake.views import review as views
from tests.factories.clinic import StaffUserFactory, UserFactory
from tests.helpers import another_visit, submitted_intake

pytestmark = pytest.mark.django_db

Action = UrgentAcknowledgement.Action
T0 = timezone.now() - datetime.timedelta(hours=2)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def abandoned(appointment, *taps) -> IntakeAssessment:
    """An intake the patient left on the red-flag step after tapping ``taps``: (code, answer,
    minute) each saved by the autosave at that minute. Never sent."""
    intake = questionnaire_services.intake_for_appointment(appointment=appointment)
    typed = {}
    for code, answer, minute in taps:
        typed[code] = answer
        questionnaire_services.intake_draft_save(
            intake=intake, step="red_flags", raw=dict(typed), now=at(minute)
        )
    intake.refresh_from_db()
    return intake


@pytest.fixture
def therapist_client(client, clinic_setup):
    client.force_login(clinic_setup["therapist"].user)
    return client


@pytest.fixture
def urgent(intake_appointment):
    appointment, _ = intake_appointment
    return abandoned(appointment, ("saddle_numbness", "yes", 0), ("saddle_numbness", "no", 3))


def review_html(client, intake) -> str:
    response = client.get(reverse("intake:review", args=[intake.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The review page ----------------------------------------------------------------------------


def test_the_review_shows_how_to_reach_the_patient(therapist_client, urgent):
    html = review_html(therapist_client, urgent)
    contact = html.split('id="patient-contact"', 1)[1].split("</p>", 1)[0]
    assert f'href="tel:{urgent.patient.phone}"' in contact
    assert urgent.patient.phone.as_national in contact
    assert f'href="mailto:{urgent.patient.email}"' in contact
    assert 'id="not-sent"' in html  # abandoned: found as the patient answered


def test_the_review_shows_each_answer_and_when_and_what_the_patient_was_told(
    therapist_client, urgent
):
    zone = urgent.appointment.location.zone
    html = review_html(therapist_client, urgent)
    line = html.split('data-flag="saddle_numbness"', 1)[1].split("</li>", 1)[0]
    assert escape(scoring.RED_FLAGS_BY_CODE["saddle_numbness"].question) in line
    assert "changed to No" in line
    answered = re.sub(r"\s+", " ", line.split("red-flag-answers", 1)[1])
    assert f"Yes at {local_datetime(at(0), zone)}" in answered
    assert f"No at {local_datetime(at(3), zone)}" in answered
    assert answered.index("Yes at") < answered.index("No at")
    told = re.findall(r"<em>The patient was told:</em> (.*?)</p>", html, flags=re.S)
    assert told == [escape(scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA])]
    table = html.split('id="red-flag-questions"', 1)[1].split("</details>", 1)[0]
    assert table.count("data-question=") == len(scoring.RED_FLAGS)
    row = table.split('data-question="saddle_numbness"', 1)[1].split("</tr>", 1)[0]
    assert "No (changed 1×)" in row


def test_the_review_of_a_patient_who_never_gave_a_phone_says_so(therapist_client, urgent):
    urgent.patient.phone = ""
    urgent.patient.save()
    assert "No phone number on file." in review_html(therapist_client, urgent)


# --- Acknowledging ------------------------------------------------------------------------------


def acknowledge(client, intake, **data):
    return client.post(reverse("intake:acknowledge", args=[intake.pk]), data)


@pytest.mark.parametrize(
    ("action", "note"),
    [
        (Action.CALLED_ADVISED_EMERGENCY, ""),
        (Action.CALLED_NO_ANSWER, "Voicemail, asked to call back"),
        (Action.SEEN_IN_CLINIC, ""),
        (Action.OTHER, "Spoke to her GP, who is seeing her today"),
    ],
)
def test_each_action_is_recorded_with_who_and_when(
    therapist_client, clinic_setup, urgent, action, note
):
    before = timezone.now()
    response = acknowledge(therapist_client, urgent, action=action, note=note)
    assert response.url == reverse("intake:review", args=[urgent.pk])

    done = UrgentAcknowledgement.objects.get(intake=urgent)
    therapist = clinic_setup["therapist"].user
    assert (done.action, done.note, done.acknowledged_by) == (action, note, therapist)
    assert done.acknowledged_at >= before
    assert done.urgent_since == urgent.urgent_since
    urgent.refresh_from_db()
    assert (urgent.urgent_acknowledged_at, urgent.urgent_acknowledged_by) == (
        done.acknowledged_at,
        therapist,
    )
    assert urgent.is_urgent  # still a red-flag intake, no longer waiting

    html = review_html(therapist_client, urgent)
    assert escape(views.ACKNOWLEDGED) in html
    recorded = html.split('class="mb-1 small acknowledgement"', 1)[1].split("</p>", 1)[0]
    assert str(therapist) in recorded
    assert escape(Action(action).label) in recorded
    assert escape(note) in recorded
    assert 'id="acknowledge-form"' not in html


def test_other_needs_a_note(therapist_client, urgent):
    response = acknowledge(therapist_client, urgent, action=Action.OTHER, note="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(services.NOTE_REQUIRED) in html
    assert 'id="acknowledge-form"' in html
    assert not UrgentAcknowledgement.objects.exists()
    urgent.refresh_from_db()
    assert urgent.urgent_acknowledged_at is None


def test_an_action_must_be_chosen(therapist_client, urgent):
    response = acknowledge(therapist_client, urgent, note="called")
    assert response.status_code == 200
    assert "Choose what was done." in response.content.decode()
    assert not UrgentAcknowledgement.objects.exists()


def test_acknowledging_clears_the_intake_for_every_staff_member_at_once(
    therapist_client, clinic_setup, urgent
):
    staff = [
        clinic_setup["therapist"].user,
        StaffUserFactory(role=User.Role.FRONT_DESK),
        UserFactory(role=User.Role.ADMIN, is_staff=True),
    ]
    assert [urgent_intake_count(user=user) for user in staff] == [1, 1, 1]
    acknowledge(therapist_client, urgent, action=Action.SEEN_IN_CLINIC)
    assert [urgent_intake_count(user=user) for user in staff] == [0, 0, 0]
    for user in staff:
        therapist_client.force_login(user)
        assert 'id="urgent-banner"' not in therapist_client.get(reverse("home")).content.decode()


def test_a_second_acknowledgement_is_told_it_was_done(therapist_client, clinic_setup, urgent):
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True)
    services.intake_urgent_acknowledge(intake=urgent, user=admin, action=Action.SEEN_IN_CLINIC)
    with pytest.raises(IntakeError) as refused:
        services.intake_urgent_acknowledge(
            intake=urgent, user=clinic_setup["therapist"].user, action=Action.CALLED_NO_ANSWER
        )
    assert refused.value.code == errors.ALREADY_ACKNOWLEDGED
    response = acknowledge(therapist_client, urgent, action=Action.CALLED_NO_ANSWER)
    assert response.status_code == 302
    assert UrgentAcknowledgement.objects.get().acknowledged_by == admin


def test_an_intake_without_a_red_flag_cannot_be_acknowledged(therapist_client, clinic_setup):
    intake = submitted_intake(another_visit(clinic_setup))
    response = acknowledge(therapist_client, intake, action=Action.SEEN_IN_CLINIC)
    assert response.status_code == 302
    assert not UrgentAcknowledgement.objects.exists()
    with pytest.raises(IntakeError) as refused:
        services.intake_urgent_acknowledge(
            intake=intake, user=clinic_setup["therapist"].user, action=Action.SEEN_IN_CLINIC
        )
    assert refused.value.code == errors.NOT_URGENT


def test_a_new_flag_after_an_acknowledgement_makes_the_intake_urgent_again(
    clinic_setup, urgent, django_capture_on_commit_callbacks
):
    StaffUserFactory(email="desk@stride.example")
    therapist = clinic_setup["therapist"].user
    services.intake_urgent_acknowledge(intake=urgent, user=therapist, action=Action.SEEN_IN_CLINIC)
    first_since = urgent.urgent_since

    with django_capture_on_commit_callbacks(execute=True):
        # The same flag again: nothing new, still acknowledged.
        questionnaire_services.intake_draft_save(
            intake=urgent, step="red_flags", raw={"saddle_numbness": "yes"}, now=at(30)
        )
        urgent.refresh_from_db()
        assert urgent.urgent_acknowledged_at is not None
        # A flag not reported before: urgent again, alerted again.
        questionnaire_services.intake_draft_save(
            intake=urgent,
            step="red_flags",
            raw={"saddle_numbness": "no", "bowel": "yes"},
            now=at(40),
        )
    urgent.refresh_from_db()
    assert urgent.urgent_acknowledged_at is None and urgent.urgent_since == at(40)
    assert urgent.red_flags == ["bowel", "saddle_numbness"]
    assert list(UrgentAlert.objects.filter(intake=urgent).values_list("urgent_since", "step")) == [
        (first_since, 0),
        (at(40), 0),
    ]
    assert len(mail.outbox) == 2  # the second alert (the first went before this test looked)
    assert UrgentAcknowledgement.objects.filter(intake=urgent).count() == 1  # history kept


# --- The list ------------------------------------------------------------------------------------


def test_an_abandoned_urgent_intake_is_listed_at_the_top_with_the_sent_urgent_ones(
    therapist_client, clinic_setup, urgent
):
    sent_urgent = submitted_intake(another_visit(clinic_setup), red_flags=["trauma"])
    sent = submitted_intake(another_visit(clinic_setup))
    response = therapist_client.get(reverse("intake:list"))
    rows = [row["intake"] for row in response.context["rows"]]
    assert set(rows[:2]) == {urgent, sent_urgent}
    assert rows[2:] == [sent]
    assert urgent not in response.context["started"]
    html = response.content.decode()
    row = html.split(f'data-intake="{urgent.pk}"', 1)[1].split("</li>", 1)[0]
    assert "URGENT · red flag" in row
    assert "Not sent yet" in row
    assert f'href="tel:{urgent.patient.phone}"' in row
    assert reverse("intake:review", args=[urgent.pk]) in row


def test_the_desk_sees_the_abandoned_urgent_intake_and_the_phone_but_no_answers(client, urgent):
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    html = client.get(reverse("intake:list")).content.decode()
    row = html.split(f'data-intake="{urgent.pk}"', 1)[1].split("</li>", 1)[0]
    assert "URGENT · red flag" in row
    assert f'href="tel:{urgent.patient.phone}"' in row
    assert reverse("intake:review", args=[urgent.pk]) not in html
    for clinical in (
        scoring.RED_FLAGS_BY_CODE["saddle_numbness"].summary,
        scoring.RED_FLAGS_BY_CODE["saddle_numbness"].question,
        "saddle",
    ):
        assert escape(clinical) not in html


def test_an_acknowledged_abandoned_intake_stays_listed_without_the_urgent_mark(
    therapist_client, clinic_setup, urgent
):
    services.intake_urgent_acknowledge(
        intake=urgent, user=clinic_setup["therapist"].user, action=Action.CALLED_NO_ANSWER
    )
    response = therapist_client.get(reverse("intake:list"))
    assert [row["intake"] for row in response.context["rows"]] == [urgent]
    row = response.content.decode().split(f'data-intake="{urgent.pk}"', 1)[1].split("</li>")[0]
    assert "Red flag · acknowledged" in row
    assert "tel:" not in row


def test_the_computed_age_flag_was_told_only_once_the_intake_was_sent(
    therapist_client, intake_appointment
):
    appointment, _ = intake_appointment
    appointment.patient.date_of_birth = datetime.date(1960, 1, 1)
    appointment.patient.save()
    intake = questionnaire_services.intake_for_appointment(appointment=appointment)
    form_data = {"nprs_now": 4, "nprs_best": 2, "nprs_worst": 7, "areas": ["buttock"]}
    questionnaire_services.intake_step_save(
        intake=intake, step="pain", data={**form_data, "onset_date": "2026-09-01"}
    )
    intake.refresh_from_db()
    assert intake.red_flags == [scoring.AGE_ONSET]

    def told():
        html = review_html(therapist_client, intake)
        return re.findall(r"<em>The patient was told:</em> (.*?)</p>", html, flags=re.S)

    assert told() == []  # not asked, and the done page not reached
    IntakeAssessment.objects.filter(pk=intake.pk).update(
        status=IntakeAssessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert told() == [escape(scoring.RED_FLAG_ADVICE[scoring.SERIOUS])]
