import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from careplans.forms import PAIN_REQUIRED
from careplans.models import CarePlan, SessionLog
from careplans.services import LOG_IN_FUTURE
from careplans.views_patient import NO_ACTIVE_PLAN, SESSION_LOGGED
from tests.factories.careplans import (
    CarePlanFactory,
    ExerciseFactory,
    PrescribedExerciseFactory,
    plan_with_items,
)
from tests.factories.clinic import PatientUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return PatientUserFactory(first_name="Alex")


@pytest.fixture
def plan(patient):
    plan = CarePlanFactory(patient=patient, status=CarePlan.Status.ACTIVE)
    PrescribedExerciseFactory(
        plan=plan,
        position=1,
        exercise=ExerciseFactory(
            name="Side plank",
            instructions=["Lie on your side.", "Lift the hips."],
            cues=["Long line from head to heels"],
            video_url="https://video.example/side-plank",
        ),
        sets=3,
        reps=12,
        sides="each",
        times_per_week=4,
        load="red band",
        notes="Stop if it pinches.",
    )
    PrescribedExerciseFactory(plan=plan, position=2, exercise=ExerciseFactory(name="Dead bug"))
    return plan


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client


def test_plan_page_reads_well_on_a_phone_and_prints(
    patient_client, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):  # 12, and the dependents the patient acts for
        response = patient_client.get(reverse("careplans:my_plan", args=[plan.pk]))
    html = response.content.decode()
    assert "3 × 12 each side, 4×/week" in html
    assert "Lie on your side." in html and "Long line from head to heels" in html
    assert 'href="https://video.example/side-plank"' in html
    assert "red band" in html and "Stop if it pinches." in html
    assert html.index("Side plank") < html.index("Dead bug")  # not "Bridge": a name may hold it
    assert reverse("careplans:session_log", args=[plan.pk]) in html
    # The handout: page margins, no navigation, never an exercise split across pages.
    assert "css/pages/careplans-styles.css" in html  # a static file: the CSP allows no <style>
    css = (
        Path(__file__).resolve().parents[2] / "static/css/pages/careplans-styles.css"
    ).read_text()
    assert "@page" in css and "page-break-inside: avoid" in css
    assert 'class="navbar navbar-expand-md navbar-dark bg-stride d-print-none"' in html


def test_my_plan_shortcut(patient_client, plan):
    response = patient_client.get(reverse("careplans:my_active_plan"))
    assert response.url == reverse("careplans:my_plan", args=[plan.pk])


def test_my_plan_shortcut_without_a_plan(patient_client):
    response = patient_client.get(reverse("careplans:my_active_plan"), follow=True)
    assert escape(NO_ACTIVE_PLAN) in response.content.decode()


def test_log_form_ticks_everything_and_offers_pain_buttons(patient_client, plan):
    response = patient_client.get(reverse("careplans:session_log", args=[plan.pk]))
    html = response.content.decode()
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 2
    assert html.count('name="pain_after"') == 11


@pytest.mark.parametrize(
    ("days_in", "week_ticked"),
    [(0, 1), (6, 1), (7, 2), (15, 3), (60, 3)],
)
def test_log_form_ticks_this_weeks_row_of_a_progression(
    patient_client, patient, days_in, week_ticked
):
    today = timezone.localdate()
    plan = CarePlanFactory(
        patient=patient,
        status=CarePlan.Status.ACTIVE,
        start_date=today - datetime.timedelta(days=days_in),
    )
    bridge = PrescribedExerciseFactory(plan=plan, position=1, exercise=ExerciseFactory())
    walk_run = ExerciseFactory(name="Walk-run intervals")
    weeks = [
        PrescribedExerciseFactory(plan=plan, position=2 + n, exercise=walk_run, notes=f"Week {n}")
        for n in (1, 2, 3)
    ]
    response = patient_client.get(reverse("careplans:session_log", args=[plan.pk]))
    form = response.context["form"]
    assert form["exercises"].value() == [bridge.pk, weeks[week_ticked - 1].pk]
    assert response.content.decode().count("checked") == 2


def test_one_tap_on_the_pain_number_saves(patient_client, plan):
    url = reverse("careplans:session_log", args=[plan.pk])
    items = [str(pk) for pk in plan.items.values_list("pk", flat=True)]
    data = {
        "exercises": items,
        "note": "Felt strong",
        "performed_on": timezone.localdate().isoformat(),
        "pain_after": "2",
    }
    response = patient_client.post(url, data, follow=True)
    assert SESSION_LOGGED in response.content.decode()
    log = SessionLog.objects.get()
    assert (log.pain_after, log.note, log.exercises_done.count()) == (2, "Felt strong", 2)
    assert log.created_by == plan.patient.user


def test_missing_pain_keeps_what_was_typed(patient_client, plan):
    url = reverse("careplans:session_log", args=[plan.pk])
    item = plan.items.first()
    response = patient_client.post(
        url,
        {"exercises": [item.pk], "note": "Kept note", "performed_on": timezone.localdate()},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert PAIN_REQUIRED in html and "Kept note" in html
    assert html.count("checked") == 1
    assert not SessionLog.objects.exists()


def test_a_future_day_is_refused(patient_client, plan):
    url = reverse("careplans:session_log", args=[plan.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = patient_client.post(
        url,
        {"exercises": [plan.items.first().pk], "performed_on": tomorrow, "pain_after": "1"},
    )
    assert response.status_code == 400 and escape(LOG_IN_FUTURE) in response.content.decode()


def test_an_earlier_plan_is_readable_but_takes_no_sessions(patient_client, patient):
    old = plan_with_items(patient=patient, status=CarePlan.Status.COMPLETED)
    response = patient_client.get(reverse("careplans:my_plan", args=[old.pk]))
    assert "Earlier plan" in response.content.decode()
    response = patient_client.get(reverse("careplans:session_log", args=[old.pk]))
    assert response.url == reverse("careplans:my_plan", args=[old.pk])


def test_the_phone_page_folds_each_exercise_and_starts_with_today(patient_client, plan):
    html = patient_client.get(reverse("careplans:my_plan", args=[plan.pk])).content.decode()
    today = html[html.index('id="today"') : html.index("</section>", html.index('id="today"'))]
    assert "Side plank" in today and "3 × 12 each side, 4×/week" in today
    assert f'href="#exercise-{plan.items.get(position=1).pk}"' in today
    assert '<details class="exercise-howto mt-2" data-print-open>' in html
    assert html.index("<summary>How to do it</summary>") < html.index("Lie on your side.")
    assert "Stop if it pinches." in html[: html.index("<summary>How to do it</summary>")]
    assert "{#" not in html and "#}" not in html


def test_goals_are_a_list_without_dashes_and_the_phone_to_call_is_the_locations(
    patient_client, plan, patient
):
    from careplans import pdf
    from tests.factories.clinic import AppointmentFactory, LocationFactory

    location = LocationFactory(slug="st-paul", phone="+16515550177")
    AppointmentFactory(patient=patient, location=location)
    plan.goals = "- Run a 5k (now 3/10)\n- Sit through a film\nGetting back to: trail runs"
    plan.save()
    html = patient_client.get(reverse("careplans:my_plan", args=[plan.pk])).content.decode()
    assert "<li>Run a 5k (now 3/10)</li>" in html and "<li>Sit through a film</li>" in html
    assert "- Run a 5k" not in html
    assert 'Stop and call us at <a href="tel:+16515550177">(651) 555-0177</a>' in html
    handout = pdf.handout_html(plan=plan, items=plan.items.all())
    assert "Stop and call us at <b>(651) 555-0177</b>" in handout
    assert "<li>Run a 5k (now 3/10)</li>" in handout
