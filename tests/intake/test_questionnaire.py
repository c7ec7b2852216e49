import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from clinic import links
from intake import scoring
from intake.forms.questionnaire import BEST_ABOVE_WORST
from intake.models import IntakeAssessment, OutcomeMeasure
from intake.services import questionnaire as services
from tests.factories.clinic import StaffUserFactory
from tests.helpers import answers

pytestmark = pytest.mark.django_db


def step_url(token, step):
    return reverse("intake:step", args=[token, step])


def fill_all(client, token, red_flags=()):
    for step, data in answers(red_flags).items():
        response = client.post(step_url(token, step), {**data, "action": "next"})
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def test_the_link_resumes_at_the_first_unfinished_step(client, intake_appointment):
    _, token = intake_appointment
    assert client.get(reverse("intake:start", args=[token])).url == step_url(token, "pain")
    client.post(step_url(token, "pain"), {**answers()["pain"], "action": "next"})
    assert client.get(reverse("intake:start", args=[token])).url == step_url(token, "red_flags")


def test_every_step_renders_with_progress(client, intake_appointment):
    _, token = intake_appointment
    for n, step in enumerate(answers(), start=1):
        html = client.get(step_url(token, step)).content.decode()
        assert f"Step {n} of 8" in html


def test_an_invalid_step_keeps_what_was_typed_even_after_leaving(client, intake_appointment):
    _appointment, token = intake_appointment
    typed = {**answers()["pain"], "nprs_best": "9", "nprs_worst": "3", "onset_story": "Hill reps"}
    response = client.post(step_url(token, "pain"), {**typed, "action": "next"})
    assert response.status_code == 200
    assert escape(BEST_ABOVE_WORST) in response.content.decode()
    # A new visit (another phone, an expired session) still shows what was typed.
    client.cookies.clear()
    html = client.get(step_url(token, "pain")).content.decode()
    assert "Hill reps" in html
    assert escape(BEST_ABOVE_WORST) in html


def test_back_saves_without_validating(client, intake_appointment):
    appointment, token = intake_appointment
    fill_all(client, token)
    response = client.post(
        step_url(token, "history"), {"medication": "Half typed", "action": "back"}
    )
    assert response.url == step_url(token, "red_flags")
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.drafts["history"]["medication"] == "Half typed"


def test_autosave_keeps_a_half_finished_step(client, intake_appointment):
    _appointment, token = intake_appointment
    response = client.post(
        reverse("intake:autosave", args=[token, "goals"]), {"activity_0": "Run a 5k"}
    )
    assert response.status_code == 204
    assert 'value="Run a 5k"' in client.get(step_url(token, "goals")).content.decode()


def test_weekly_distance_is_stored_in_km(client, intake_appointment):
    appointment, token = intake_appointment
    fill_all(client, token)
    running = IntakeAssessment.objects.get(appointment=appointment).answers["running"]
    assert running["weekly_km"] == 48.3
    assert running["weekly_distance"] == 30


def test_submit_scores_locks_and_records_the_outcome(client, intake_appointment):
    appointment, token = intake_appointment
    fill_all(client, token)
    review = client.get(reverse("intake:review_answers", args=[token])).content.decode()
    assert "Run 10 miles" in review
    response = client.post(reverse("intake:review_answers", args=[token]))
    assert response.url == reverse("intake:done", args=[token])

    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_submitted
    odi = scoring.oswestry([2] * 7 + [None] + [2] * 2)
    assert intake.odi_percent == odi.percent == 40.0
    assert intake.odi_band == odi.band
    assert (intake.start_back_total, intake.start_back_psychosocial) == (3, 1)
    assert intake.start_back_risk == "low"
    assert intake.psfs_mean == pytest.approx(5.3)
    assert intake.nprs_now == 4
    assert not intake.is_urgent
    outcome = OutcomeMeasure.objects.get(intake=intake)
    assert (outcome.odi_percent, outcome.nprs, outcome.psfs_mean) == (40.0, 4, intake.psfs_mean)
    assert not mail.outbox

    # Locked: a step cannot be changed any more.
    client.post(step_url(token, "pain"), {**answers()["pain"], "nprs_now": "9"})
    intake.refresh_from_db()
    assert intake.answers["pain"]["nprs_now"] == 4
    assert client.get(step_url(token, "pain")).url == reverse("intake:done", args=[token])
    locked = client.post(step_url(token, "pain"), answers()["pain"], follow=True)
    assert escape(services.INTAKE_LOCKED) in locked.content.decode()


def test_submit_with_a_missing_step_says_which(client, intake_appointment):
    _, token = intake_appointment
    client.post(step_url(token, "pain"), {**answers()["pain"], "action": "next"})
    response = client.post(reverse("intake:review_answers", args=[token]))
    assert response.status_code == 400
    assert "Please finish these sections first: red flags" in response.content.decode()


def test_a_cauda_equina_flag_alerts_the_clinic_and_advises_the_emergency_department(
    client, intake_appointment, django_capture_on_commit_callbacks
):
    appointment, token = intake_appointment
    front_desk = StaffUserFactory(email="desk@stride.example")
    with django_capture_on_commit_callbacks(execute=True):
        fill_all(client, token, red_flags=["bladder"])
        client.post(reverse("intake:review_answers", args=[token]))
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_urgent
    assert "bladder" in intake.red_flags

    html = client.get(reverse("intake:done", args=[token])).content.decode()
    assert escape(scoring.RED_FLAG_ADVICE["cauda_equina"]) in html
    to_therapist, to_desk = mail.outbox
    assert to_therapist.to == [appointment.therapist.user.email]
    assert reverse("intake:review", args=[intake.pk]) in to_therapist.body
    assert to_desk.to == [front_desk.email]
    assert reverse("intake:list") in to_desk.body
    for alert in mail.outbox:
        assert "URGENT" in alert.subject
        assert "Ibuprofen" not in alert.body  # no clinical answers in email


def test_age_at_onset_is_a_computed_red_flag(client, intake_appointment):
    appointment, token = intake_appointment
    appointment.patient.date_of_birth = appointment.patient.date_of_birth.replace(year=1960)
    appointment.patient.save()
    fill_all(client, token)
    client.post(reverse("intake:review_answers", args=[token]))
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.red_flags == ["age_onset"]
    assert intake.is_urgent


@pytest.mark.parametrize("view", ["intake:start", "intake:review_answers", "intake:done"])
def test_bad_and_foreign_links_get_the_link_closed_page(client, intake_appointment, view):
    appointment, token = intake_appointment
    manage_token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    for bad in ["nope", token[:-3] + "abc", manage_token]:
        response = client.get(reverse(view, args=[bad]))
        assert response.status_code == 410
        assert "This link no longer works" in response.content.decode()


def test_staff_can_reopen_a_submitted_intake(client, intake_appointment):
    appointment, token = intake_appointment
    fill_all(client, token)
    client.post(reverse("intake:review_answers", args=[token]))
    intake = IntakeAssessment.objects.get(appointment=appointment)
    services.intake_reopen(intake=intake)
    response = client.post(step_url(token, "pain"), {**answers()["pain"], "nprs_now": "6"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.answers["pain"]["nprs_now"] == 6


def test_an_urgent_intake_flags_its_appointment_in_the_front_desk_list(client, intake_appointment):
    _appointment, token = intake_appointment
    fill_all(client, token, red_flags=["night_pain"])
    client.post(reverse("intake:review_answers", args=[token]))
    client.force_login(StaffUserFactory())
    html = client.get(reverse("admin:clinic_appointment_changelist")).content.decode()
    assert "URGENT" in html
    assert "Ibuprofen" not in html


def test_a_draft_drops_nul_characters_that_the_database_cannot_hold(intake_appointment):
    """PostgreSQL's JSON refuses NUL; a draft keeps everything else as typed."""
    appointment, _ = intake_appointment
    intake = services.intake_for_appointment(appointment=appointment)
    services.intake_draft_save(
        intake=intake, step="pain", raw={"nprs_now": "\x004", "areas": ["buttock\x00", "hip"]}
    )
    intake.refresh_from_db()
    assert intake.drafts["pain"] == {"nprs_now": "4", "areas": ["buttock", "hip"]}


def test_coming_back_to_a_half_finished_step_shows_no_errors_before_anything_is_touched(
    client, intake_appointment
):
    _appointment, token = intake_appointment
    client.post(reverse("intake:autosave", args=[token, "history"]), {"medication": "Ibuprofen"})
    html = client.get(step_url(token, "history")).content.decode()
    assert 'value="Ibuprofen"' in html or ">Ibuprofen<" in html
    assert "Some answers need a look" not in html
    assert "is-invalid" not in html


def test_the_goals_steps_one_activity_message_appears_once(client, intake_appointment):
    _appointment, token = intake_appointment
    response = client.post(step_url(token, "goals"), {"action": "next"})
    html = response.content.decode()
    assert html.count("Name at least one activity") == 1
    assert 'id="error-summary"' in html
