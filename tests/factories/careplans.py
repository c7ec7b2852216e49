import factory
from django.utils import timezone

from careplans.models import (
    CarePlan,
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    Muscle,
    PainFlare,
    PrescribedExercise,
    SessionLog,
)
from tests.factories.clinic import PatientFactory, TherapistFactory


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


class PainFlareFactory(factory.django.DjangoModelFactory):
    """An open flare and the session that opened it (pain 8, over the threshold)."""

    class Meta:
        model = PainFlare

    session_log = factory.SubFactory(SessionLogFactory, pain_after=8, flare_reason="threshold")
    patient = factory.SelfAttribute("session_log.patient")
    reason = "threshold"


def plan_with_items(*, status=CarePlan.Status.DRAFT, exercises=(), **kwargs) -> CarePlan:
    """A plan with one item per exercise given (or two new exercises), positions 1, 2, …"""
    plan = CarePlanFactory(status=status, **kwargs)
    for position, exercise in enumerate(exercises or [ExerciseFactory(), ExerciseFactory()], 1):
        PrescribedExerciseFactory(plan=plan, exercise=exercise, position=position)
    return plan
