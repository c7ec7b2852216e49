import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from careplans.models import (
    DOSE_NEEDS_ONE,
    FALLBACK_REPS,
    CarePlan,
    PrescribedExercise,
    dose_text,
)
from tests.factories.careplans import (
    CarePlanFactory,
    ExerciseFactory,
    PrescribedExerciseFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"sets": 3, "reps": 12, "hold_seconds": None, "sides": "each"}, "3 × 12 each side"),
        ({"sets": 2, "reps": None, "hold_seconds": 30, "sides": "both"}, "2 × 30 s"),
        ({"sets": 1, "reps": None, "hold_seconds": 1200, "sides": "both"}, "1 × 20 min"),
        ({"sets": 1, "reps": None, "hold_seconds": 90, "sides": "both"}, "1 × 90 s"),
        ({"sets": 3, "reps": 8, "hold_seconds": None, "sides": "left"}, "3 × 8 (left side)"),
    ],
)
def test_dose_text(fields, expected):
    assert dose_text(**fields) == expected


@pytest.mark.parametrize(
    ("reps", "hold", "expected"),
    [(12, None, (12, None)), (None, 30, (None, 30)), (None, None, (FALLBACK_REPS, None))],
)
def test_a_prescription_starts_at_the_exercise_default_dose(reps, hold, expected):
    exercise = ExerciseFactory.build(default_reps=reps, default_hold_seconds=hold)
    assert exercise.starting_amount() == expected


def test_dose_and_frequency_reads_like_the_handout():
    item = PrescribedExerciseFactory.build(sets=3, reps=12, sides="each", times_per_week=4)
    assert item.dose_and_frequency == "3 × 12 each side, 4×/week"


@pytest.mark.parametrize(
    "changes",
    [
        {"reps": 10, "hold_seconds": 30},  # both
        {"reps": None, "hold_seconds": None},  # neither
        {"sets": 0},
        {"sets": 11},
        {"times_per_week": 0},
        {"times_per_week": 15},
    ],
)
def test_database_refuses_a_bad_dose(changes):
    item = PrescribedExerciseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescribedExercise.objects.filter(pk=item.pk).update(**changes)


@pytest.mark.parametrize(("reps", "hold"), [(10, 30), (None, None)])
def test_full_clean_explains_reps_or_hold(reps, hold):
    item = PrescribedExerciseFactory(reps=12)
    item.reps, item.hold_seconds = reps, hold
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.messages == [DOSE_NEEDS_ONE]


def test_one_active_plan_per_patient():
    plan = CarePlanFactory(status=CarePlan.Status.ACTIVE)
    CarePlanFactory(patient=plan.patient, status=CarePlan.Status.COMPLETED)
    CarePlanFactory(patient=plan.patient, status=CarePlan.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        CarePlanFactory(patient=plan.patient, status=CarePlan.Status.ACTIVE)


def test_review_date_not_before_start():
    plan = CarePlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CarePlan.objects.filter(pk=plan.pk).update(
            review_date=plan.start_date - datetime.timedelta(days=1)
        )


@pytest.mark.parametrize("pain", [11, 12])
def test_pain_is_0_to_10(pain):
    log = SessionLogFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(log).objects.filter(pk=log.pk).update(pain_after=pain)
