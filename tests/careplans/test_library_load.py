import pytest

from careplans import library_data
from careplans.demo import demo_seed_careplans
from careplans.models import (
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
)
from careplans.services import library_load
from tests.factories.careplans import ExerciseFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Muscle.objects.count(),
        Equipment.objects.count(),
        Exercise.objects.count(),
        ExerciseMuscle.objects.count(),
        CarePlanTemplate.objects.count(),
        CarePlanTemplateItem.objects.count(),
    )


def test_the_migration_loaded_the_whole_library():
    assert Exercise.objects.count() >= len(library_data.EXERCISES)
    assert set(Exercise.objects.values_list("slug", flat=True)) >= {
        e["slug"] for e in library_data.EXERCISES
    }
    assert set(CarePlanTemplate.objects.values_list("slug", flat=True)) >= {
        t["slug"] for t in library_data.TEMPLATES
    }


def test_loading_the_real_data_again_changes_nothing():
    before = _counts()
    result = library_load()
    assert _counts() == before
    assert result.exercises == len(library_data.EXERCISES)
    assert result.templates == len(library_data.TEMPLATES)


def test_demo_seed_loads_the_library():
    assert demo_seed_careplans().exercises == len(library_data.EXERCISES)


def test_stand_in_is_loaded_with_muscles_equipment_and_variations(stand_in_library):
    library_load(data=stand_in_library)
    bridge = Exercise.objects.get(slug="si-bridge")
    single = Exercise.objects.get(slug="si-single-bridge")
    assert bridge.harder == single and single.easier == bridge
    assert {(m.muscle.name, m.role) for m in bridge.muscle_links.all()} == {
        ("gluteus maximus", "primary"),
        ("hamstrings", "secondary"),
    }
    assert list(bridge.equipment.values_list("slug", "name")) == [("mat", "Mat")]
    assert Equipment.objects.get(slug="band").name == "Resistance band"
    assert Exercise.objects.get(slug="si-hops").default_hold_seconds == 30
    assert Exercise.objects.get(slug="si-sit-up").contraindications == ["loaded_lumbar_flexion"]
    template = CarePlanTemplate.objects.get(slug="si-glutes")
    assert template.suggested_for == ["muscle_imbalance"]
    assert [
        (i.position, i.exercise.slug, i.sets, i.reps, i.hold_seconds) for i in template.items.all()
    ] == [
        (1, "si-bridge", 3, 15, None),
        (2, "si-hops", 2, None, 20),
    ]


def test_load_is_idempotent_and_updates_in_place(stand_in_library):
    library_load(data=stand_in_library)
    first = _counts()
    bridge_pk = Exercise.objects.get(slug="si-bridge").pk
    stand_in_library.EXERCISES[0] = {**stand_in_library.EXERCISES[0], "name": "Bridge, renamed"}
    stand_in_library.TEMPLATES[0] = {
        **stand_in_library.TEMPLATES[0],
        "items": stand_in_library.TEMPLATES[0]["items"][:1],
    }

    library_load(data=stand_in_library)

    bridge = Exercise.objects.get(slug="si-bridge")
    assert bridge.pk == bridge_pk and bridge.name == "Bridge, renamed"
    assert CarePlanTemplate.objects.get(slug="si-glutes").items.count() == 1
    assert _counts()[:5] == first[:5]


def test_variations_link_whatever_the_order(stand_in_library):
    stand_in_library.EXERCISES.reverse()
    library_load(data=stand_in_library)
    assert Exercise.objects.get(slug="si-bridge").harder.slug == "si-single-bridge"


def test_staff_additions_and_switched_off_exercises_are_left_alone(stand_in_library):
    library_load(data=stand_in_library)
    own = ExerciseFactory(slug="clinic-own-drill")
    Exercise.objects.filter(slug="si-hops").update(is_active=False)

    library_load(data=stand_in_library)

    assert Exercise.objects.filter(pk=own.pk).exists()
    assert Exercise.objects.get(slug="si-hops").is_active is False
