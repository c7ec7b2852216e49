import ast
import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from careplans.demo import demo_seed_careplans
from careplans.library import library_load
from careplans.library_file import LibraryError, library_read
from careplans.models import (
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
)
from tests.factories.careplans import ExerciseFactory
from tests.helpers import LIBRARY_STAND_IN

pytestmark = pytest.mark.django_db

MIGRATION_0002 = Path(__file__).resolve().parents[2] / "careplans/migrations/0002_load_library.py"


def _counts():
    return (
        Muscle.objects.count(),
        Equipment.objects.count(),
        Exercise.objects.count(),
        ExerciseMuscle.objects.count(),
        CarePlanTemplate.objects.count(),
        CarePlanTemplateItem.objects.count(),
    )


def _stand_in() -> dict:
    """The stand-in file's content, to change and write back with ``_write``."""
    return yaml.safe_load(LIBRARY_STAND_IN.read_text())


def _write(tmp_path, content: dict) -> Path:
    path = tmp_path / "library.yaml"
    path.write_text(yaml.safe_dump(content, sort_keys=False))
    return path


def test_the_test_database_has_the_whole_library():
    library = library_read()
    assert Exercise.objects.count() >= len(library.exercises)
    assert set(Exercise.objects.values_list("slug", flat=True)) >= {
        e["slug"] for e in library.exercises
    }
    assert set(CarePlanTemplate.objects.values_list("slug", flat=True)) >= {
        t["slug"] for t in library.templates
    }


def test_loading_the_real_data_again_changes_nothing():
    library = library_read()
    before = _counts()
    result = library_load()
    assert _counts() == before
    assert result.exercises.total == len(library.exercises)
    assert result.templates.total == len(library.templates)
    assert (result.exercises.created, result.exercises.updated) == (0, 0)
    assert (result.templates.created, result.templates.updated) == (0, 0)


def test_demo_seed_loads_the_library():
    assert demo_seed_careplans().exercises.total == len(library_read().exercises)


def test_stand_in_is_loaded_with_muscles_equipment_and_variations(stand_in_library):
    library_load(stand_in_library)
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
    assert single.video_url == "https://video.example/single-bridge" and bridge.video_url == ""
    template = CarePlanTemplate.objects.get(slug="si-glutes")
    assert template.suggested_for == ["muscle_imbalance"]
    assert [
        (i.position, i.exercise.slug, i.sets, i.reps, i.hold_seconds) for i in template.items.all()
    ] == [
        (1, "si-bridge", 3, 15, None),
        (2, "si-hops", 2, None, 20),
    ]


def test_loading_twice_leaves_one_copy_and_the_same_counts(stand_in_library):
    first = library_load(stand_in_library)
    counts = _counts()
    second = library_load(stand_in_library)
    assert _counts() == counts
    assert (first.exercises.created, first.templates.created) == (4, 2)
    assert (second.exercises.total, second.templates.total) == (4, 2)
    assert (second.exercises.created, second.exercises.updated) == (0, 0)
    assert (second.templates.created, second.templates.updated) == (0, 0)
    assert (second.muscles.created, second.equipment.created) == (0, 0)


def test_load_is_idempotent_and_updates_in_place(stand_in_library, tmp_path):
    library_load(stand_in_library)
    first = _counts()
    bridge_pk = Exercise.objects.get(slug="si-bridge").pk
    content = _stand_in()
    content["exercises"][0]["name"] = "Bridge, renamed"
    content["templates"][0]["items"] = content["templates"][0]["items"][:1]

    result = library_load(_write(tmp_path, content))

    bridge = Exercise.objects.get(slug="si-bridge")
    assert bridge.pk == bridge_pk and bridge.name == "Bridge, renamed"
    assert CarePlanTemplate.objects.get(slug="si-glutes").items.count() == 1
    assert _counts()[:5] == first[:5]
    assert (result.exercises.created, result.exercises.updated) == (0, 1)
    assert (result.templates.created, result.templates.updated) == (0, 1)


def test_variations_link_whatever_the_order(stand_in_library, tmp_path):
    content = _stand_in()
    content["exercises"].reverse()
    library_load(_write(tmp_path, content))
    assert Exercise.objects.get(slug="si-bridge").harder.slug == "si-single-bridge"


def test_staff_additions_and_switched_off_exercises_are_left_alone(stand_in_library):
    library_load(stand_in_library)
    own = ExerciseFactory(slug="clinic-own-drill")
    Exercise.objects.filter(slug="si-hops").update(is_active=False)

    library_load(stand_in_library)

    assert Exercise.objects.filter(pk=own.pk).exists()
    assert Exercise.objects.get(slug="si-hops").is_active is False


# --- A wrong file is refused, with the exercise and the field named --------------------------


def _exercise(content, slug):
    return next(e for e in content["exercises"] if e["slug"] == slug)


def _unknown_field(content):
    _exercise(content, "si-bridge")["default_rep"] = 12


def _missing_field(content):
    del _exercise(content, "si-hops")["per_side"]


def _unknown_category(content):
    _exercise(content, "si-sit-up")["category"] = "core_strength"


def _both_reps_and_hold(content):
    _exercise(content, "si-bridge")["default_hold_seconds"] = 30


def _neither_reps_nor_hold(content):
    del _exercise(content, "si-hops")["default_hold_seconds"]


def _sets_out_of_range(content):
    _exercise(content, "si-single-bridge")["default_sets"] = 0


def _reps_not_a_number(content):
    _exercise(content, "si-sit-up")["default_reps"] = "ten"


def _undeclared_tag(content):
    _exercise(content, "si-hops")["contraindications"] = ["jumping"]


def _undeclared_muscle(content):
    _exercise(content, "si-bridge")["muscles_secondary"] = ["hamstring"]


def _unknown_variation(content):
    _exercise(content, "si-bridge")["harder"] = "si-bridge-on-a-ball"


def _video_url_not_a_link(content):
    _exercise(content, "si-single-bridge")["video_url"] = "the clinic's channel"


def _item_without_a_dose(content):
    del content["templates"][1]["items"][0]["reps"]


def _item_of_an_unknown_exercise(content):
    content["templates"][0]["items"][1]["exercise"] = "si-jumps"


def _template_for_an_unknown_hypothesis(content):
    content["templates"][1]["suggested_for"] = ["disc"]


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (_unknown_field, ['exercise "si-bridge"', "unknown field default_rep"]),
        (_missing_field, ['exercise "si-hops"', "missing field per_side"]),
        (_unknown_category, ['exercise "si-sit-up", category', "core_strength", "strength"]),
        (_both_reps_and_hold, ['exercise "si-bridge", default_reps/default_hold_seconds']),
        (_neither_reps_nor_hold, ['exercise "si-hops", default_reps/default_hold_seconds']),
        (_sets_out_of_range, ['exercise "si-single-bridge", default_sets', "1 to 10"]),
        (_reps_not_a_number, ['exercise "si-sit-up", default_reps', "'ten'"]),
        (_undeclared_tag, ['exercise "si-hops", contraindications', '"jumping"']),
        (_undeclared_muscle, ['exercise "si-bridge", muscles_secondary', '"hamstring"']),
        (_unknown_variation, ['exercise "si-bridge", harder', '"si-bridge-on-a-ball"']),
        (_video_url_not_a_link, ['exercise "si-single-bridge", video_url', "valid URL"]),
        (_item_without_a_dose, ['template "si-disc", item 1, reps/hold_seconds']),
        (_item_of_an_unknown_exercise, ['template "si-glutes", item 2, exercise', '"si-jumps"']),
        (_template_for_an_unknown_hypothesis, ['template "si-disc", suggested_for', '"disc"']),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_a_wrong_file_is_refused_naming_the_exercise_and_field(tmp_path, spoil, named):
    content = _stand_in()
    spoil(content)
    path = _write(tmp_path, content)
    before = _counts()
    with pytest.raises(LibraryError) as error:
        library_load(path)
    message = str(error.value)
    assert message.startswith("library.yaml: ")
    for words in named:
        assert words in message, message
    assert _counts() == before  # nothing was loaded


def test_a_field_given_twice_is_refused_with_its_line(tmp_path):
    text = LIBRARY_STAND_IN.read_text().replace(
        "    name: Stand-in hops\n", "    name: Stand-in hops\n    name: Stand-in jumps\n"
    )
    path = tmp_path / "library.yaml"
    path.write_text(text)
    line = text.splitlines().index("    name: Stand-in jumps") + 1
    with pytest.raises(LibraryError, match=f'line {line}: .*"name" is given twice'):
        library_read(path)


@pytest.mark.parametrize("category", Exercise.Category.values)
def test_the_categories_are_the_models(tmp_path, category):
    content = _stand_in()
    _exercise(content, "si-bridge")["category"] = category
    bridge = library_read(_write(tmp_path, content)).exercises[0]
    assert (bridge["slug"], bridge["category"]) == ("si-bridge", category)


# --- manage.py load_library ----------------------------------------------------------------


def test_command_loads_the_file_and_says_what_it_did(stand_in_library):
    out = io.StringIO()
    call_command("load_library", "--file", str(stand_in_library), stdout=out)
    assert out.getvalue().splitlines() == [
        "Exercise library loaded:",
        "  exercises: 4 (4 created, 0 updated)",
        "  templates: 2 (2 created, 0 updated)",
        "  equipment: 2 (0 created, 0 updated)",  # mat and band are in the real library
        "  muscles: 4 (0 created, 0 updated)",
    ]

    out = io.StringIO()
    call_command("load_library", "--file", str(stand_in_library), stdout=out)
    assert "  exercises: 4 (0 created, 0 updated)" in out.getvalue().splitlines()


def test_command_loads_the_shipped_file_by_default():
    out = io.StringIO()
    call_command("load_library", stdout=out)
    exercises = len(library_read().exercises)
    assert f"  exercises: {exercises} (0 created, 0 updated)" in out.getvalue().splitlines()


def test_command_refuses_a_wrong_file(tmp_path):
    content = _stand_in()
    _unknown_category(content)
    with pytest.raises(CommandError, match=r'Nothing was loaded\. .*exercise "si-sit-up"'):
        call_command("load_library", "--file", str(_write(tmp_path, content)))


# --- Migration 0002 ------------------------------------------------------------------------


def test_migration_0002_imports_no_project_code():
    """It once imported the live loader, which would break a fresh `migrate` the day the
    models moved on. It now does nothing; the library is loaded by `load_library`."""
    tree = ast.parse(MIGRATION_0002.read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and all(name.split(".")[0] == "django" for name in imported), imported
    project_import = re.compile(r"^\s*(from|import)\s+(careplans|clinic|intake)\b", re.MULTILINE)
    assert not project_import.search(MIGRATION_0002.read_text())
