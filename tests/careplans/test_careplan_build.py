import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from careplans import services
from careplans.models import CarePlan, PrescribedExercise
from careplans.services import (
    EXERCISE_INACTIVE,
    NOT_A_DRAFT,
    WRONG_PATIENT,
    CarePlanError,
)
from tests.factories.careplans import (
    CarePlanFactory,
    CarePlanTemplateFactory,
    CarePlanTemplateItemFactory,
    ExerciseFactory,
    PrescribedExerciseFactory,
    plan_with_items,
)
from tests.factories.clinic import PatientFactory, TherapistFactory
from tests.factories.intake import ClinicalAssessmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db


def _positions(plan):
    return list(plan.items.order_by("position").values_list("exercise__slug", flat=True))


def test_blank_plan_takes_goals_from_the_intake():
    assessment = ClinicalAssessmentFactory()
    intake = assessment.intake
    plan = services.careplan_create(
        patient=intake.patient, author=assessment.therapist, assessment=assessment
    )
    assert plan.status == CarePlan.Status.DRAFT
    assert plan.intake == intake and plan.assessment == assessment
    assert plan.title == services.DEFAULT_TITLE
    assert plan.goals.splitlines() == [
        "- Run 10 miles (now 3/10)",
        "- Sit through a meeting (now 6/10)",
        "Getting back to: Racing the Twin Cities Marathon",
    ]
    assert plan.start_date == timezone.localdate()
    assert plan.version == 1 and plan.items.count() == 0


def test_goals_are_empty_without_an_intake():
    plan = services.careplan_create(patient=PatientFactory(), author=None)
    assert plan.goals == ""


def test_plan_from_a_template_copies_its_items_in_order():
    template = CarePlanTemplateFactory(name="Glutes first")
    hold = ExerciseFactory(slug="t-hold", default_reps=None, default_hold_seconds=30)
    CarePlanTemplateItemFactory(
        template=template, exercise=hold, position=2, reps=None, hold_seconds=45, per_side=True
    )
    CarePlanTemplateItemFactory(
        template=template, exercise=ExerciseFactory(slug="t-reps"), position=1, reps=12
    )
    plan = services.careplan_create(
        patient=PatientFactory(), author=TherapistFactory(), template=template
    )
    assert plan.title == "Glutes first" and plan.template == template
    assert _positions(plan) == ["t-reps", "t-hold"]
    second = plan.items.get(exercise=hold)
    assert (second.reps, second.hold_seconds, second.sides) == (None, 45, "each")


def test_an_intake_of_another_patient_is_refused():
    intake = IntakeFactory()
    with pytest.raises(CarePlanError) as error:
        services.careplan_create(patient=PatientFactory(), author=None, intake=intake)
    assert error.value.message == WRONG_PATIENT
    assert error.value.code == "wrong_patient"


def test_added_exercise_gets_its_default_dose_and_the_plans_frequency():
    plan = CarePlanFactory()
    PrescribedExerciseFactory(plan=plan, position=1, times_per_week=5)
    side = ExerciseFactory(
        default_sets=2, default_reps=None, default_hold_seconds=20, per_side=True
    )
    item = services.careplan_item_add(plan=plan, exercise=side)
    assert (item.position, item.sets, item.reps, item.hold_seconds) == (2, 2, None, 20)
    assert item.sides == PrescribedExercise.Sides.EACH
    assert item.times_per_week == 5


def test_an_exercise_may_be_added_again_for_a_progression():
    plan = CarePlanFactory()
    exercise = ExerciseFactory(name="Walk-run intervals")
    first = services.careplan_item_add(plan=plan, exercise=exercise)
    second = services.careplan_item_add(plan=plan, exercise=exercise)
    assert (first.position, second.position) == (1, 2)


def test_a_template_with_a_weekly_progression_is_copied_whole():
    template = CarePlanTemplateFactory()
    intervals = ExerciseFactory(default_reps=None, default_hold_seconds=180)
    for week, hold in enumerate([180, 240, 360], start=1):
        CarePlanTemplateItemFactory(
            template=template, exercise=intervals, position=week, reps=None, hold_seconds=hold
        )
    plan = services.careplan_create(patient=PatientFactory(), author=None, template=template)
    assert list(plan.items.values_list("hold_seconds", flat=True)) == [180, 240, 360]


def test_inactive_exercises_cannot_be_added():
    exercise = ExerciseFactory(name="Old drill", is_active=False)
    with pytest.raises(CarePlanError) as error:
        services.careplan_item_add(plan=CarePlanFactory(), exercise=exercise)
    assert error.value.message == EXERCISE_INACTIVE.format(name="Old drill")
    assert error.value.code == "exercise_inactive"


def test_update_dose_checks_reps_or_hold():
    item = PrescribedExerciseFactory()
    dose = {"sets": 3, "sides": "both", "times_per_week": 4, "load": "", "notes": ""}
    with pytest.raises(ValidationError):
        services.careplan_item_update(item=item, reps=10, hold_seconds=30, **dose)
    with pytest.raises(ValidationError):
        services.careplan_item_update(item=item, reps=10, hold_seconds=None, **{**dose, "sets": 11})
    services.careplan_item_update(
        item=item, reps=None, hold_seconds=45, **{**dose, "load": "red band"}
    )
    item.refresh_from_db()
    assert (item.reps, item.hold_seconds, item.load, item.times_per_week) == (
        None,
        45,
        "red band",
        4,
    )


def test_move_swaps_with_the_neighbour_and_stops_at_the_ends():
    a, b, c = ExerciseFactory(slug="a"), ExerciseFactory(slug="b"), ExerciseFactory(slug="c")
    plan = plan_with_items(exercises=[a, b, c])
    services.careplan_item_move(item=plan.items.get(exercise=c), direction="up")
    assert _positions(plan) == ["a", "c", "b"]
    services.careplan_item_move(item=plan.items.get(exercise=a), direction="down")
    assert _positions(plan) == ["c", "a", "b"]
    services.careplan_item_move(item=plan.items.get(exercise=c), direction="up")
    services.careplan_item_move(item=plan.items.get(exercise=b), direction="down")
    assert _positions(plan) == ["c", "a", "b"]


def test_remove_then_move_across_the_gap():
    a, b, c = ExerciseFactory(slug="a"), ExerciseFactory(slug="b"), ExerciseFactory(slug="c")
    plan = plan_with_items(exercises=[a, b, c])
    services.careplan_item_remove(item=plan.items.get(exercise=b))
    services.careplan_item_move(item=plan.items.get(exercise=c), direction="up")
    assert _positions(plan) == ["c", "a"]


@pytest.mark.parametrize("status", [CarePlan.Status.ACTIVE, CarePlan.Status.COMPLETED])
def test_a_published_plan_is_never_edited_in_place(status):
    plan = plan_with_items(status=status)
    item = plan.items.first()
    attempts = [
        lambda: services.careplan_item_add(plan=plan, exercise=ExerciseFactory()),
        lambda: services.careplan_item_remove(item=item),
        lambda: services.careplan_item_move(item=item, direction="down"),
        lambda: services.careplan_item_update(
            item=item, sets=1, reps=5, hold_seconds=None, sides="both", times_per_week=2
        ),
        lambda: services.careplan_details_update(
            plan=plan, title="x", goals="", start_date=plan.start_date, review_date=None
        ),
        lambda: services.careplan_discard(plan=plan),
    ]
    for attempt in attempts:
        with pytest.raises(CarePlanError) as error:
            attempt()
        assert error.value.message == NOT_A_DRAFT
        assert error.value.code == "not_draft"
    assert plan.items.count() == 2


def test_details_update_checks_the_review_date():
    plan = CarePlanFactory()
    with pytest.raises(ValidationError):
        services.careplan_details_update(
            plan=plan,
            title="New title",
            goals="",
            start_date=plan.start_date,
            review_date=plan.start_date - datetime.timedelta(days=1),
        )


def test_discard_deletes_a_draft():
    plan = plan_with_items()
    services.careplan_discard(plan=plan)
    assert not CarePlan.objects.filter(pk=plan.pk).exists()
