"""The pages of a flare-up: what the patient sees after a session that flared, the therapist's
"Needs attention" list, the flare on the patient's page and chart, and marking it handled."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from careplans import flare, services_flares
from careplans.models import CarePlan, PainFlare, SessionLog
from careplans.services_flares import FLARE_ALREADY_HANDLED, FLARE_NOTE_REQUIRED
from careplans.views_flares import FLARE_HANDLED
from careplans.views_patient import SESSION_LOGGED, SESSION_LOGGED_FLARE
from tests.factories.careplans import (
    CarePlanFactory,
    ExerciseFactory,
    PainFlareFactory,
    PrescribedExerciseFactory,
    SessionLogFactory,
    plan_with_items,
)
from tests.factories.clinic import CareTeamMemberFactory, PatientUserFactory, TherapistFactory
from tests.helpers import another_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def plan(care):
    plan = CarePlanFactory(
        patient=care["patient"], author=care["therapist"], status=CarePlan.Status.ACTIVE
    )
    for position, (name, category) in enumerate(
        [
            ("Side plank", "strength"),
            ("Cat-camel", "mobility"),
            ("Strides", "running_drill"),
            ("Dead bug", "motor_control"),
        ],
        start=1,
    ):
        PrescribedExerciseFactory(
            plan=plan, position=position, exercise=ExerciseFactory(name=name, category=category)
        )
    return plan


def log_session(client, plan, pain):
    client.force_login(plan.patient.user)
    return client.post(
        reverse("careplans:session_log", args=[plan.pk]),
        {
            "exercises": list(plan.items.values_list("pk", flat=True)),
            "performed_on": TODAY.isoformat(),
            "pain_after": str(pain),
        },
        follow=True,
    )


def open_flare(plan, pain=8, **kwargs):
    log = SessionLogFactory(plan=plan, pain_after=pain, flare_reason="threshold", **kwargs)
    return PainFlareFactory(session_log=log)


# --- The patient ---------------------------------------------------------------------------------


def test_after_a_flare_the_patient_is_told_what_to_do_instead_of_nice_work(
    client, plan, care, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = log_session(client, plan, 9)
    log = SessionLog.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "careplans:session_flare", args=[plan.pk, log.pk]
    )
    html = response.content.decode()
    assert escape(SESSION_LOGGED_FLARE) in html and escape(SESSION_LOGGED) not in html
    assert escape(flare.FLARE_HEADING) in html
    for line in flare.EASE_OFF:
        assert escape(line) in html
    paused = response.context["paused"]
    kept = response.context["kept"]
    assert [item.exercise.name for item in paused] == ["Side plank", "Strides"]
    assert [item.exercise.name for item in kept] == ["Cat-camel", "Dead bug"]
    assert html.index(flare.PAUSE_HEADING) < html.index("Side plank") < html.index("Cat-camel")
    # Tap to call the clinic the patient visits.
    phone = care["location"].phone
    assert f'href="tel:{phone}"' in html and phone.as_national in html
    assert escape(flare.CALL_WHEN) in html
    # The red-flag signs, in the intake's own words.
    assert escape(flare.URGENT_CARE) in html
    for sign in flare.urgent_signs() + flare.prompt_signs():
        assert escape(sign) in html


def test_a_normal_session_still_says_nice_work(client, plan):
    response = log_session(client, plan, 3)
    assert response.redirect_chain[-1][0] == reverse("careplans:my_plan", args=[plan.pk])
    html = response.content.decode()
    assert escape(SESSION_LOGGED) in html
    assert escape(flare.FLARE_HEADING) not in html
    assert not PainFlare.objects.exists()


def test_a_session_that_did_not_flare_has_no_advice_page(client, plan):
    log = SessionLogFactory(plan=plan, pain_after=2)
    client.force_login(plan.patient.user)
    response = client.get(reverse("careplans:session_flare", args=[plan.pk, log.pk]))
    assert response.status_code == 404


def test_a_plan_with_nothing_to_pause_says_so(client, care):
    plan = plan_with_items(
        patient=care["patient"],
        status=CarePlan.Status.ACTIVE,
        exercises=[ExerciseFactory(category="stretch")],
    )
    log = open_flare(plan).session_log
    client.force_login(plan.patient.user)
    response = client.get(reverse("careplans:session_flare", args=[plan.pk, log.pk]))
    assert escape(flare.PAUSE_NONE) in response.content.decode()


def test_without_a_visit_the_patient_calls_the_clinics_main_number(client, settings):
    settings.CLINIC_PHONE = "+16125550199"
    plan = plan_with_items(patient=PatientUserFactory(), status=CarePlan.Status.ACTIVE)
    log = open_flare(plan).session_log
    client.force_login(plan.patient.user)
    response = client.get(reverse("careplans:session_flare", args=[plan.pk, log.pk]))
    assert 'href="tel:+16125550199"' in response.content.decode()


def test_the_plan_page_links_a_flared_session_to_its_advice(client, plan):
    log = open_flare(plan).session_log
    client.force_login(plan.patient.user)
    response = client.get(reverse("careplans:my_plan", args=[plan.pk]))
    assert reverse("careplans:session_flare", args=[plan.pk, log.pk]) in response.content.decode()


# --- The therapist -------------------------------------------------------------------------------


def needs_attention(client, user):
    client.force_login(user)
    return client.get(reverse("careplans:patients")).context["needs_attention"]


def test_the_needs_attention_list_shows_open_flares_of_the_therapists_patients(client, plan, care):
    mine = open_flare(plan)
    elsewhere = plan_with_items(patient=care["other_patient"], status=CarePlan.Status.ACTIVE)
    open_flare(elsewhere)  # another therapist's patient, at another location
    handled_patient = PatientUserFactory()
    another_visit(care, patient=handled_patient)
    handled = open_flare(plan_with_items(patient=handled_patient, status=CarePlan.Status.ACTIVE))
    services_flares.pain_flare_handle(flare=handled, user=care["admin"], note="Called.")

    assert needs_attention(client, care["therapist"].user) == [mine]
    assert mine not in needs_attention(client, care["other_therapist"].user)

    client.force_login(care["therapist"].user)
    html = client.get(reverse("careplans:patients")).content.decode()
    section = html[html.index('id="needs-attention-list"') :]
    assert care["patient"].full_name in section
    assert reverse("careplans:patient", args=[care["patient"].pk]) in section
    assert care["other_patient"].full_name not in html


def test_the_list_page_does_not_grow_in_queries_with_flares(
    client, care, django_assert_max_num_queries
):
    for _ in range(6):
        patient = PatientUserFactory()
        another_visit(care, patient=patient)
        open_flare(plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE))
    client.force_login(care["therapist"].user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("careplans:patients"))
    assert len(response.context["needs_attention"]) == 6


def test_the_patients_page_shows_the_flare_and_marks_the_chart(client, plan, care):
    SessionLogFactory(plan=plan, pain_after=2, performed_on=TODAY - datetime.timedelta(days=3))
    opened = open_flare(plan, pain=8, performed_on=TODAY - datetime.timedelta(days=1))
    later = SessionLogFactory(plan=plan, pain_after=9, flare_reason="threshold")  # while open
    client.force_login(care["therapist"].user)
    response = client.get(reverse("careplans:patient", args=[plan.patient.pk]))
    html = response.content.decode()
    assert response.context["flares"] == [opened]
    assert opened.session_log.performed_on.strftime("%b") in html
    assert "High pain after a session: pain 8/10" in html
    assert reverse("careplans:flare_handle", args=[plan.patient.pk, opened.pk]) in html
    assert "Mark handled" in html
    # Both flaring sessions are marked on the chart, the ordinary one is not.
    assert response.context["chart"].count('class="flare"') == 2
    assert response.context["row"].flare_days == [
        opened.session_log.performed_on,
        later.performed_on,
    ]


def test_marking_handled_records_who_and_when_and_takes_the_patient_off_the_list(
    client, plan, care
):
    opened = open_flare(plan)
    therapist = care["therapist"].user
    client.force_login(therapist)
    url = reverse("careplans:flare_handle", args=[plan.patient.pk, opened.pk])
    response = client.post(url, {"note": "Phoned; halved the sets for a week."}, follow=True)
    assert escape(FLARE_HANDLED) in response.content.decode()
    opened.refresh_from_db()
    assert opened.handled_by == therapist and opened.handled_at is not None
    assert opened.handled_note == "Phoned; halved the sets for a week."
    assert "Phoned; halved the sets for a week." in response.content.decode()
    assert needs_attention(client, therapist) == []


@pytest.mark.parametrize("note", ["", "   "])
def test_marking_handled_requires_a_note(client, plan, care, note):
    opened = open_flare(plan)
    client.force_login(care["therapist"].user)
    url = reverse("careplans:flare_handle", args=[plan.patient.pk, opened.pk])
    response = client.post(url, {"note": note})
    assert response.status_code == 400
    assert escape(FLARE_NOTE_REQUIRED) in response.content.decode()
    opened.refresh_from_db()
    assert opened.handled_at is None


def test_another_patients_flare_is_a_404(client, plan, care):
    other = PatientUserFactory()
    another_visit(care, patient=other)
    theirs = open_flare(plan_with_items(patient=other, status=CarePlan.Status.ACTIVE))
    client.force_login(care["therapist"].user)
    # The therapist may see both patients, but the flare is looked up among this patient's.
    url = reverse("careplans:flare_handle", args=[plan.patient.pk, theirs.pk])
    assert client.post(url, {"note": "Called."}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.handled_at is None


def test_a_flare_already_handled_is_not_handled_again(client, plan, care):
    opened = open_flare(plan)
    services_flares.pain_flare_handle(flare=opened, user=care["admin"], note="First.")
    client.force_login(care["therapist"].user)
    url = reverse("careplans:flare_handle", args=[plan.patient.pk, opened.pk])
    response = client.post(url, {"note": "Second."}, follow=True)
    assert escape(FLARE_ALREADY_HANDLED) in response.content.decode()
    opened.refresh_from_db()
    assert opened.handled_note == "First."


def test_the_handle_address_takes_posts_only(client, plan, care):
    opened = open_flare(plan)
    client.force_login(care["therapist"].user)
    url = reverse("careplans:flare_handle", args=[plan.patient.pk, opened.pk])
    assert client.get(url).status_code == 405


def test_a_colleague_on_the_care_team_sees_the_flare_too(client, plan, care):
    opened = open_flare(plan)
    colleague = TherapistFactory(locations=[care["location"]])
    CareTeamMemberFactory(patient=plan.patient, therapist=colleague)
    assert needs_attention(client, colleague.user) == [opened]


def test_a_colleague_at_the_location_without_a_relationship_does_not(client, plan, care):
    open_flare(plan)
    colleague = TherapistFactory(locations=[care["location"]])
    assert needs_attention(client, colleague.user) == []
