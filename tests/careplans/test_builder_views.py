import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from careplans import services
from careplans.library import library_load
from careplans.models import DOSE_NEEDS_ONE, CarePlan
from careplans.services import EMPTY_PLAN
from careplans.views import NOT_IN_LIBRARY, PLAN_PUBLISHED
from tests.factories.careplans import ExerciseFactory, PrescribedExerciseFactory, plan_with_items
from tests.factories.intake import ClinicalAssessmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def therapist_client(client, care):
    client.force_login(care["therapist"].user)
    return client


@pytest.fixture
def draft(care):
    return plan_with_items(patient=care["patient"], author=care["therapist"])


def _dose(item, **changes):
    values = {
        "sets": "3",
        "reps": "12",
        "hold_seconds": "",
        "sides": "each",
        "times_per_week": "4",
        "load": "",
        "notes": "",
    }
    values.update(changes)
    return {f"item-{item.pk}-{name}": value for name, value in values.items()}


def test_start_suggests_the_template_for_the_assessment(therapist_client, care, stand_in_library):
    from careplans.models import CarePlanTemplate

    CarePlanTemplate.objects.update(is_active=False)  # the real library's
    library_load(stand_in_library)
    intake = IntakeFactory(patient=care["patient"])
    ClinicalAssessmentFactory(intake=intake, hypotheses=["herniated_disc"])
    url = reverse("careplans:start", args=[care["patient"].pk])
    response = therapist_client.get(url)
    disc = CarePlanTemplate.objects.get(slug="si-disc")
    assert response.context["choices"][0].template == disc
    assert response.context["selected"] == str(disc.pk)
    assert "Suggested" in response.content.decode()

    response = therapist_client.post(
        url, {"template": disc.pk, "title": "", "start_date": timezone.localdate().isoformat()}
    )
    plan = CarePlan.objects.get(patient=care["patient"])
    assert response.url == reverse("careplans:builder", args=[plan.pk])
    assert (plan.template, plan.intake, plan.assessment.hypotheses) == (
        disc,
        intake,
        ["herniated_disc"],
    )
    assert plan.items.count() == 1 and "Run 10 miles" in plan.goals


def test_blank_start(therapist_client, care):
    url = reverse("careplans:start", args=[care["patient"].pk])
    therapist_client.post(
        url, {"template": "", "title": "My plan", "start_date": timezone.localdate().isoformat()}
    )
    plan = CarePlan.objects.get(patient=care["patient"])
    assert (plan.title, plan.items.count(), plan.intake) == ("My plan", 0, None)


def test_builder_page_shows_items_and_cautions(therapist_client, care, stand_in_library):
    intake = IntakeFactory(patient=care["patient"], red_flags=["saddle_anaesthesia"])
    plan = plan_with_items(
        patient=care["patient"],
        intake=intake,
        exercises=[ExerciseFactory(name="Hops", contraindications=["high_impact"])],
    )
    response = therapist_client.get(reverse("careplans:builder", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hops" in html and "High impact" in html and "Red flag on intake" in html
    assert 'hx-post="' + reverse("careplans:item_update", args=[plan.pk, plan.items.get().pk])


def test_search_returns_a_fragment_with_add_buttons(therapist_client, draft, stand_in_library):
    ExerciseFactory(name="Zebra crawl")
    in_plan = draft.items.first().exercise
    url = reverse("careplans:search", args=[draft.pk])
    response = therapist_client.get(url, {"q": "zebra"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "Zebra crawl" in html and ">Add<" in html
    response = therapist_client.get(url, {"q": in_plan.name}, **HTMX)
    assert "In plan" in response.content.decode() and "Add again" in response.content.decode()


def test_add_returns_the_list_and_marks_the_result(therapist_client, draft):
    exercise = ExerciseFactory(name="Clamshell")
    url = reverse("careplans:item_add", args=[draft.pk])
    response = therapist_client.post(url, {"exercise": exercise.pk}, **HTMX)
    html = response.content.decode()
    assert "Clamshell" in html and f'id="add-{exercise.pk}" hx-swap-oob="true"' in html
    assert "In plan" in html.split("hx-swap-oob")[1]
    assert draft.items.count() == 3
    response = therapist_client.post(url, {"exercise": "nonsense"}, **HTMX)
    assert NOT_IN_LIBRARY in response.content.decode()
    assert draft.items.count() == 3


def test_inline_dose_edit_saves_and_returns_the_item(therapist_client, draft):
    item = draft.items.first()
    url = reverse("careplans:item_update", args=[draft.pk, item.pk])
    response = therapist_client.post(url, _dose(item, load="green band"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="card plan-item mb-2" id="item-{item.pk}"')
    assert "Saved" in html and "3 × 12 each side, 4×/week" in html
    item.refresh_from_db()
    assert (item.sides, item.times_per_week, item.load) == ("each", 4, "green band")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hold_seconds": "30"}, DOSE_NEEDS_ONE),
        ({"sets": "11"}, "Ensure this value is less than or equal to 10."),
        ({"times_per_week": "15"}, "Ensure this value is less than or equal to 14."),
    ],
)
def test_inline_errors_keep_what_was_typed(therapist_client, draft, changes, message):
    item = draft.items.first()
    url = reverse("careplans:item_update", args=[draft.pk, item.pk])
    response = therapist_client.post(
        url, _dose(item, notes="Typed but not saved", **changes), **HTMX
    )
    html = response.content.decode()
    assert message in html
    assert "Typed but not saved" in html
    for value in changes.values():
        assert f'value="{value}"' in html
    item.refresh_from_db()
    assert item.notes == "" and item.hold_seconds is None


def test_dose_edit_without_htmx_redirects_or_shows_the_builder(therapist_client, draft):
    item = draft.items.first()
    url = reverse("careplans:item_update", args=[draft.pk, item.pk])
    response = therapist_client.post(url, _dose(item, reps="8"))
    assert response.status_code == 302
    response = therapist_client.post(url, _dose(item, hold_seconds="30", notes="kept"))
    assert response.status_code == 400 and "kept" in response.content.decode()


def test_move_and_remove_return_the_reordered_list(therapist_client, draft):
    first, second = draft.items.order_by("position")
    move = reverse("careplans:item_move", args=[draft.pk, second.pk])
    html = therapist_client.post(move, {"direction": "up"}, **HTMX).content.decode()
    assert html.index(second.exercise.name) < html.index(first.exercise.name)
    remove = reverse("careplans:item_remove", args=[draft.pk, first.pk])
    html = therapist_client.post(remove, **HTMX).content.decode()
    assert first.exercise.name not in html.split("hx-swap-oob")[0]
    assert list(draft.items.all()) == [second]


def test_publish_from_the_builder(therapist_client, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = therapist_client.post(reverse("careplans:publish", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == CarePlan.Status.ACTIVE
    assert PLAN_PUBLISHED.format(name=draft.patient.first_name) in response.content.decode()
    assert len(mail.outbox) == 1
    # Published: the builder is closed, the detail page offers a new version.
    response = therapist_client.get(reverse("careplans:builder", args=[draft.pk]))
    assert response.url == reverse("careplans:detail", args=[draft.pk])


def test_publishing_an_empty_plan_explains_why(therapist_client, care):
    plan = plan_with_items(patient=care["patient"], exercises=[ExerciseFactory()])
    plan.items.all().delete()
    response = therapist_client.post(reverse("careplans:publish", args=[plan.pk]), follow=True)
    assert EMPTY_PLAN in response.content.decode()


def test_revise_opens_a_draft_in_the_builder(therapist_client, care):
    active = plan_with_items(patient=care["patient"], status=CarePlan.Status.ACTIVE)
    response = therapist_client.post(reverse("careplans:revise", args=[active.pk]))
    draft = CarePlan.objects.get(lineage=active.lineage, status=CarePlan.Status.DRAFT)
    assert response.url == reverse("careplans:builder", args=[draft.pk])


def test_history_page(therapist_client, care, django_assert_max_num_queries):
    active = plan_with_items(patient=care["patient"], status=CarePlan.Status.ACTIVE)
    draft = services.careplan_revise(plan=active)
    PrescribedExerciseFactory(plan=draft, position=5, exercise=ExerciseFactory(name="Added one"))
    with django_assert_max_num_queries(12):
        response = therapist_client.get(reverse("careplans:history", args=[draft.pk]))
    html = response.content.decode()
    assert "Version 2" in html and "Added one" in html and ">Added<" in html


def test_patient_list_queries_are_bounded(therapist_client, care, django_assert_max_num_queries):
    from tests.factories.careplans import SessionLogFactory
    from tests.factories.clinic import AppointmentFactory, PatientUserFactory

    for n in range(6):
        patient = PatientUserFactory()
        AppointmentFactory(
            patient=patient,
            therapist=care["therapist"],
            start=timezone.now() + datetime.timedelta(days=10 + n),
        )
        plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
        SessionLogFactory(plan=plan)
    with django_assert_max_num_queries(12):
        response = therapist_client.get(reverse("careplans:patients"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 7
    assert response.content.decode().count('class="pain-chart"') == 7


def test_library_filters_and_bounded_queries(therapist_client, django_assert_max_num_queries):
    from tests.factories.careplans import EquipmentFactory

    kit = EquipmentFactory(slug="test-kettle", name="Test kettle")
    match = ExerciseFactory(name="Unique swing", category="strength", difficulty=3)
    match.equipment.add(kit)
    ExerciseFactory(name="Unique stretch", category="stretch", difficulty=3)
    url = reverse("careplans:library")
    with django_assert_max_num_queries(12):
        response = therapist_client.get(url)
    assert response.status_code == 200
    response = therapist_client.get(
        url, {"q": "unique", "category": "strength", "equipment": "test-kettle", "difficulty": "3"}
    )
    assert [e.name for e in response.context["exercises"]] == ["Unique swing"]
    response = therapist_client.get(url, {"q": "unique", "region": "core"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "Unique stretch" in html


def test_patient_detail_shows_adherence_and_chart(therapist_client, care):
    from tests.factories.careplans import SessionLogFactory

    plan = plan_with_items(
        patient=care["patient"],
        status=CarePlan.Status.ACTIVE,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    SessionLogFactory(plan=plan, pain_after=4, note="Tight hamstrings")
    response = therapist_client.get(reverse("careplans:patient", args=[care["patient"].pk]))
    html = response.content.decode()
    assert "pain-trend" in html and "Tight hamstrings" in html
    assert "1 of 3 · 33%" in html and "1 of 12 · 8%" in html


def test_plan_details_are_saved_from_the_builder(therapist_client, draft):
    from careplans.views import PLAN_SAVED

    url = reverse("careplans:builder", args=[draft.pk])
    start = timezone.localdate()
    response = therapist_client.post(
        url,
        {
            "title": "Week 1-4",
            "goals": "Run 10 miles",
            "start_date": start.isoformat(),
            "review_date": (start + datetime.timedelta(days=28)).isoformat(),
        },
        follow=True,
    )
    assert PLAN_SAVED in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.review_date) == ("Week 1-4", start + datetime.timedelta(days=28))

    response = therapist_client.post(
        url,
        {
            "title": "Bad dates",
            "goals": "",
            "start_date": start.isoformat(),
            "review_date": (start - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title == "Week 1-4"


def test_discard_returns_to_the_patient(therapist_client, draft):
    from careplans.views import DRAFT_DISCARDED

    response = therapist_client.post(reverse("careplans:discard", args=[draft.pk]), follow=True)
    assert DRAFT_DISCARDED in response.content.decode()
    assert not CarePlan.objects.filter(pk=draft.pk).exists()
