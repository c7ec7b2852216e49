"""Consistency checks for the exercise library and care-plan templates in careplans/library.yaml,
as the loader reads them (no database)."""

import re
from collections import Counter

import pytest

from careplans.library_file import library_read
from careplans.models import Exercise
from intake.scoring import HYPOTHESIS_LABELS

lib = library_read()
EXERCISES = lib.exercises
BY_SLUG = {exercise["slug"]: exercise for exercise in EXERCISES}

HYPOTHESIS_CODES = {
    "strain_overuse",
    "muscle_imbalance",
    "facet_joint",
    "sacroiliac_joint",
    "herniated_disc",
    "sciatica",
    "stress_fracture",
    "running_form",
    "shoes_surfaces",
    "training_load",
}
CATEGORIES = {
    "strength",
    "motor_control",
    "mobility",
    "stretch",
    "running_drill",
    "cardio_alternative",
}
BODY_REGIONS = {"core", "lumbar_spine", "hips", "thoracic_spine", "lower_leg", "full_body"}
EQUIPMENT = {
    "none",
    "mat",
    "band",
    "foam_roller",
    "dumbbell",
    "kettlebell",
    "bench",
    "dowel",
    "step",
    "wall",
    "pool",
    "bike",
    "metronome",
    "towel",
}
EXERCISE_KEYS = {
    "slug",
    "name",
    "category",
    "body_region",
    "muscles_primary",
    "muscles_secondary",
    "equipment",
    "difficulty",
    "instructions",
    "cues",
    "common_mistakes",
    "default_sets",
    "default_reps",
    "default_hold_seconds",
    "per_side",
    "contraindications",
    "video_url",
    "easier",
    "harder",
}
ITEM_KEYS = {"exercise", "sets", "reps", "hold_seconds", "per_side", "times_per_week", "notes"}
TEMPLATE_KEYS = {"slug", "name", "description", "suggested_for", "items"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Every exercise the clinics' articles name, and the slugs that cover it (all must exist).
ARTICLE_EXERCISES = {
    "plank": ["plank"],
    "side plank": ["side-plank"],
    "side plank with knee drive": ["side-plank-knee-drive"],
    "glute bridge": ["glute-bridge"],
    "single-leg bridge": ["single-leg-bridge"],
    "bird dog": ["bird-dog"],
    "superman": ["superman"],
    "weighted superman": ["weighted-superman"],
    "forward lunge with rotation": ["forward-lunge-rotation"],
    "single-leg Romanian deadlift": ["single-leg-rdl"],
    "hamstring stretch": ["hamstring-stretch"],
    "hip-flexor stretch": ["hip-flexor-stretch", "kneeling-hip-flexor-stretch"],
    "lower-back stretch": ["knees-to-chest", "childs-pose"],
    "foam rolling": [
        "foam-roll-thoracic-spine",
        "foam-roll-quadriceps",
        "foam-roll-glutes",
        "foam-roll-calves",
    ],
    "mobility drills": ["cat-camel", "open-book", "hip-switch-90-90", "leg-swings"],
    "swimming": ["swimming"],
    "cycling": ["cycling"],
}
STAPLES = [
    "dead-bug",
    "mcgill-curl-up",
    "clamshell",
    "side-lying-hip-abduction",
    "hip-hinge-dowel",
    "copenhagen-plank",
    "calf-raise",
    "single-leg-calf-raise",
    "eccentric-calf-raise",
    "kneeling-hip-flexor-stretch",
    "figure-4-stretch",
    "cat-camel",
    "open-book",
    "prone-press-up",
    "sciatic-nerve-glide",
    "foam-roll-thoracic-spine",
    "foam-roll-quadriceps",
    "a-skips",
    "cadence-drill",
    "pallof-press",
    "banded-lateral-walk",
    "step-down",
    "wall-sit",
    "hip-airplane",
    "hip-switch-90-90",
    "quadruped-rock-back",
    "walk-run-intervals",
    "strides",
]
REQUIRED_TEMPLATES = [
    "core-glute-foundation",
    "hip-flexor-hamstring-mobility",
    "radicular-friendly",
    "graded-return-to-running",
]


def _is_positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _plain_text(value):
    return isinstance(value, str) and value == value.strip() and value != ""


def test_library_is_big_enough():
    assert len(EXERCISES) >= 40


def test_hypothesis_codes_match_the_intake():
    assert set(HYPOTHESIS_LABELS) == HYPOTHESIS_CODES


def test_declared_vocabularies_match_the_spec():
    categories = dict(Exercise.Category.choices)  # the one definition of the categories
    assert set(categories) == CATEGORIES
    assert set(lib.body_regions) == BODY_REGIONS
    assert set(lib.equipment) == EQUIPMENT
    for code in ("loaded_lumbar_flexion", "end_range_extension", "high_impact"):
        assert code in lib.contraindication_tags
    for code in ("neural_tension", "prolonged_prone", "rotation_under_load"):
        assert code in lib.contraindication_tags
    for labels in (categories, lib.body_regions, lib.equipment, lib.contraindication_tags):
        assert all(_plain_text(label) for label in labels.values())


def test_slugs_and_names_are_unique():
    slugs = [exercise["slug"] for exercise in EXERCISES]
    names = [exercise["name"].lower() for exercise in EXERCISES]
    assert [s for s, n in Counter(slugs).items() if n > 1] == []
    assert [s for s, n in Counter(names).items() if n > 1] == []
    assert all(SLUG_RE.match(slug) for slug in slugs)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise["slug"])
def test_exercise_shape(exercise):
    assert set(exercise) == EXERCISE_KEYS
    assert _plain_text(exercise["name"])
    assert exercise["category"] in CATEGORIES
    assert exercise["body_region"] in BODY_REGIONS
    assert exercise["difficulty"] in (1, 2, 3)
    assert isinstance(exercise["per_side"], bool)
    assert exercise["video_url"] == ""

    equipment = exercise["equipment"]
    assert equipment and set(equipment) <= EQUIPMENT
    assert len(set(equipment)) == len(equipment)
    assert equipment == ["none"] or "none" not in equipment

    primary, secondary = exercise["muscles_primary"], exercise["muscles_secondary"]
    assert set(primary) | set(secondary) <= set(lib.muscles)
    assert not set(primary) & set(secondary)
    assert len(set(primary)) == len(primary) and len(set(secondary)) == len(secondary)

    tags = exercise["contraindications"]
    assert set(tags) <= set(lib.contraindication_tags)
    assert len(set(tags)) == len(tags)

    assert 3 <= len(exercise["instructions"]) <= 6
    assert 2 <= len(exercise["cues"]) <= 4
    assert 2 <= len(exercise["common_mistakes"]) <= 3
    for text in exercise["instructions"]:
        assert _plain_text(text) and text.endswith(".")
    for text in exercise["cues"] + exercise["common_mistakes"]:
        assert _plain_text(text)

    assert _is_positive_int(exercise["default_sets"])
    reps, hold = exercise["default_reps"], exercise["default_hold_seconds"]
    assert (reps is None) != (hold is None), "exactly one of reps and hold"
    assert _is_positive_int(reps if hold is None else hold)


def test_muscles_are_lowercase_unique_and_all_used():
    assert all(m == m.lower().strip() and m for m in lib.muscles)
    assert len(set(lib.muscles)) == len(lib.muscles)
    used = {m for e in EXERCISES for m in e["muscles_primary"] + e["muscles_secondary"]}
    assert used == set(lib.muscles)


def test_every_contraindication_tag_is_used():
    used = {tag for exercise in EXERCISES for tag in exercise["contraindications"]}
    assert used == set(lib.contraindication_tags)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise["slug"])
def test_variations_point_to_real_neighbours(exercise):
    slug = exercise["slug"]
    for field, back, ok in (
        ("easier", "harder", lambda other: other <= exercise["difficulty"]),
        ("harder", "easier", lambda other: other >= exercise["difficulty"]),
    ):
        target = exercise[field]
        if not target:
            continue
        assert target != slug
        assert target in BY_SLUG, f"{slug}.{field} -> unknown {target}"
        assert ok(BY_SLUG[target]["difficulty"]), f"{slug}.{field} difficulty goes the wrong way"
        assert BY_SLUG[target][back] == slug, f"{target}.{back} should point back to {slug}"


@pytest.mark.parametrize("term", sorted(ARTICLE_EXERCISES))
def test_every_article_named_exercise_is_present(term):
    missing = [slug for slug in ARTICLE_EXERCISES[term] if slug not in BY_SLUG]
    assert missing == [], f"{term}: {missing}"


def test_staples_are_present():
    assert [slug for slug in STAPLES if slug not in BY_SLUG] == []


def test_cross_training_alternatives_are_cardio_alternatives():
    for slug in ("swimming", "cycling"):
        assert BY_SLUG[slug]["category"] == "cardio_alternative"


def test_clinically_expected_tags():
    for slug in ("superman", "weighted-superman", "prone-press-up"):
        assert "end_range_extension" in BY_SLUG[slug]["contraindications"]
    for slug in ("sciatic-nerve-glide", "sciatic-nerve-glide-supine"):
        assert "neural_tension" in BY_SLUG[slug]["contraindications"]
    for slug in ("a-skips", "strides", "pogo-hops", "walk-run-intervals", "cadence-drill"):
        assert "high_impact" in BY_SLUG[slug]["contraindications"]
    for exercise in EXERCISES:
        if exercise["category"] in ("cardio_alternative", "stretch", "motor_control"):
            assert "high_impact" not in exercise["contraindications"], exercise["slug"]


def test_caution_mappings():
    tags = set(lib.contraindication_tags)
    assert set(lib.hypothesis_cautions) == HYPOTHESIS_CODES
    for code, cautions in lib.hypothesis_cautions.items():
        assert set(cautions) <= tags, code
        assert len(set(cautions)) == len(cautions), code
    assert set(lib.red_flag_caution_tags) <= tags
    assert len(set(lib.red_flag_caution_tags)) == len(lib.red_flag_caution_tags)
    assert {"high_impact", "loaded_lumbar_flexion"} <= set(lib.red_flag_caution_tags)

    assert "loaded_lumbar_flexion" in lib.hypothesis_cautions["herniated_disc"]
    assert {"high_impact", "end_range_extension"} <= set(lib.hypothesis_cautions["stress_fracture"])
    assert "end_range_extension" in lib.hypothesis_cautions["facet_joint"]
    # Nerve glides treat sciatica; they must not warn on the plan built for it.
    assert "neural_tension" not in lib.hypothesis_cautions["sciatica"]


# --- Templates ---------------------------------------------------------------------------------


def test_template_slugs():
    slugs = [template["slug"] for template in lib.templates]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG_RE.match(slug) for slug in slugs)
    assert set(REQUIRED_TEMPLATES) <= set(slugs)


@pytest.mark.parametrize("template", lib.templates, ids=lambda template: template["slug"])
def test_template_shape(template):
    assert set(template) == TEMPLATE_KEYS
    assert _plain_text(template["name"]) and _plain_text(template["description"])
    assert template["suggested_for"]
    assert set(template["suggested_for"]) <= HYPOTHESIS_CODES
    assert 5 <= len(template["items"]) <= 9
    for item in template["items"]:
        assert set(item) == ITEM_KEYS
        exercise = BY_SLUG.get(item["exercise"])
        assert exercise is not None, f"unknown exercise {item['exercise']}"
        assert _is_positive_int(item["sets"])
        assert (item["reps"] is None) != (item["hold_seconds"] is None)
        assert _is_positive_int(
            item["reps"] if item["hold_seconds"] is None else item["hold_seconds"]
        )
        # Count by reps or by time the same way the exercise itself is counted.
        assert (item["reps"] is None) == (exercise["default_reps"] is None), item["exercise"]
        assert item["per_side"] is exercise["per_side"], item["exercise"]
        assert item["times_per_week"] in range(1, 8)
        assert _plain_text(item["notes"])


@pytest.mark.parametrize("template", lib.templates, ids=lambda template: template["slug"])
def test_template_does_not_warn_for_its_own_hypotheses(template):
    cautioned = {t for code in template["suggested_for"] for t in lib.hypothesis_cautions[code]}
    clashes = [
        (item["exercise"], tag)
        for item in template["items"]
        for tag in BY_SLUG[item["exercise"]]["contraindications"]
        if tag in cautioned
    ]
    assert clashes == []


def test_radicular_friendly_template():
    template = next(t for t in lib.templates if t["slug"] == "radicular-friendly")
    assert {"herniated_disc", "sciatica"} <= set(template["suggested_for"])
    slugs = [item["exercise"] for item in template["items"]]
    assert "prone-press-up" in slugs
    assert any(slug.startswith("sciatic-nerve-glide") for slug in slugs)
    for slug in slugs:
        tags = BY_SLUG[slug]["contraindications"]
        assert "loaded_lumbar_flexion" not in tags and "sustained_lumbar_flexion" not in tags


def test_graded_return_to_running_progresses_by_week():
    template = next(t for t in lib.templates if t["slug"] == "graded-return-to-running")
    items = template["items"]
    weeks = [int(re.match(r"Week (\d+):", item["notes"]).group(1)) for item in items[:6]]
    assert weeks == sorted(weeks) and weeks[0] == 1 and len(set(weeks)) == len(weeks)
    assert all(item["exercise"] == "walk-run-intervals" for item in items[:5])
    assert items[5]["exercise"] == "easy-continuous-run"
    # Run time per round grows week by week.
    minutes_run = [int(re.search(r"(\d+) min run", item["notes"]).group(1)) for item in items[:5]]
    assert minutes_run == sorted(minutes_run) and len(set(minutes_run)) == len(minutes_run)
    # Strides and the cadence drill come after the walk-run stages.
    later = [item["exercise"] for item in items[6:]]
    assert {"strides", "cadence-drill"} <= set(later)


def test_the_file_keeps_to_100_columns():
    """Long text is folded over several lines (a `>-` block), so the file reads in any editor."""
    path = library_read().path
    long = [n for n, line in enumerate(path.read_text().splitlines(), 1) if len(line) > 100]
    assert long == []
