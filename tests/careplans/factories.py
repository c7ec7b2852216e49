import datetime

import factory
from django.utils import timezone

from careplans.models import (
    CarePlan,
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    Muscle,
    PrescribedExercise,
    SessionLog,
)
from clinic.models import User
from intake.models import ClinicalAssessment, IntakeAssessment
from tests.factories import PatientFactory, TherapistFactory, UserFactory


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"test muscle {n}")


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"test-kit-{n}")
    name = factory.Sequence(lambda n: f"Test kit {n}")


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Test exercise {n}")
    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    category = Exercise.Category.STRENGTH
    body_region = "core"
    difficulty = 1
    instructions = factory.LazyFunction(lambda: ["Lie down.", "Lift.", "Lower slowly."])
    cues = factory.LazyFunction(lambda: ["Breathe out as you lift"])
    common_mistakes = factory.LazyFunction(lambda: ["Holding the breath"])
    default_sets = 3
    default_reps = 10
    default_hold_seconds = None
    per_side = False
    contraindications = factory.LazyFunction(list)


class CarePlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanTemplate

    slug = factory.Sequence(lambda n: f"test-template-{n}")
    name = factory.Sequence(lambda n: f"Test template {n}")
    suggested_for = factory.LazyFunction(list)


class CarePlanTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanTemplateItem

    template = factory.SubFactory(CarePlanTemplateFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    position = factory.Sequence(lambda n: n + 1)
    sets = 3
    reps = 10
    hold_seconds = None
    times_per_week = 4


class PatientUserFactory(PatientFactory):
    """A patient with a sign-in account, as booking creates them."""

    user = factory.SubFactory(
        UserFactory,
        email=factory.SelfAttribute("..email"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
        role=User.Role.PATIENT,
    )


class CarePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlan

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(TherapistFactory)
    title = "Core and hips"
    goals = "- Run 10 miles"
    start_date = factory.LazyFunction(timezone.localdate)
    status = CarePlan.Status.DRAFT


class PrescribedExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescribedExercise

    plan = factory.SubFactory(CarePlanFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    position = factory.Sequence(lambda n: n + 1)
    sets = 3
    reps = 12
    hold_seconds = None
    sides = PrescribedExercise.Sides.BOTH
    times_per_week = 3


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionLog

    plan = factory.SubFactory(CarePlanFactory, status=CarePlan.Status.ACTIVE)
    patient = factory.SelfAttribute("plan.patient")
    performed_on = factory.LazyFunction(timezone.localdate)
    pain_after = 3


class IntakeFactory(factory.django.DjangoModelFactory):
    """A submitted intake with PSFS goals; red flags only when asked for."""

    class Meta:
        model = IntakeAssessment

    patient = factory.SubFactory(PatientFactory)
    status = IntakeAssessment.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    answers = factory.LazyFunction(
        lambda: {
            "goals": {
                "activities": [
                    {"activity": "Run 10 miles", "rating": 3},
                    {"activity": "Sit through a meeting", "rating": 6},
                ],
                "get_back_to": "Racing the Twin Cities Marathon",
            }
        }
    )
    red_flags = factory.LazyFunction(list)
    is_urgent = False


class ClinicalAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicalAssessment

    intake = factory.SubFactory(IntakeFactory)
    therapist = factory.SubFactory(TherapistFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    hypotheses = factory.LazyFunction(lambda: ["muscle_imbalance"])


def plan_with_items(*, status=CarePlan.Status.DRAFT, exercises=(), **kwargs) -> CarePlan:
    """A plan with one item per exercise given (or two new exercises), positions 1, 2, …"""
    plan = CarePlanFactory(status=status, **kwargs)
    for position, exercise in enumerate(exercises or [ExerciseFactory(), ExerciseFactory()], 1):
        PrescribedExerciseFactory(plan=plan, exercise=exercise, position=position)
    return plan
