"""Loading the exercise library into the database: ``library_load``, run by
``manage.py load_library`` (and ``seed_demo``) after ``migrate``.

The file is read and checked by ``careplans.library_file`` before anything is written.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from careplans.library_file import Library, LibraryError, library_read
from careplans.models import (
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
)

logger = logging.getLogger(__name__)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def count(self, *, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class LibraryLoadResult:
    """What a load did, per kind of row: created, updated, or already as the file says."""

    muscles: Tally = field(default_factory=Tally)
    equipment: Tally = field(default_factory=Tally)
    exercises: Tally = field(default_factory=Tally)
    templates: Tally = field(default_factory=Tally)

    def summary(self) -> list[str]:
        return [
            f"{kind}: {tally.total} ({tally.created} created, {tally.updated} updated)"
            for kind, tally in (
                ("exercises", self.exercises),
                ("templates", self.templates),
                ("equipment", self.equipment),
                ("muscles", self.muscles),
            )
        ]


EXERCISE_FIELDS = (
    "name",
    "category",
    "body_region",
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
)


def _clean(instance, where: str, *, exclude: list[str]) -> None:
    """The model's own checks (lengths, URLs), as a ``LibraryError`` naming the entry (``where``,
    after the file's name) and the field."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise LibraryError(
            "; ".join(
                f"{where}: {' '.join(messages)}"
                if name == NON_FIELD_ERRORS
                else f"{where}, {name}: {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            )
        ) from error


def _load_muscles(library: Library, tally: Tally) -> dict[str, int]:
    """Muscle ids by lowercase name; a muscle is matched by name, whatever its capitals."""
    ids = {name.lower(): pk for pk, name in Muscle.objects.values_list("pk", "name")}
    for name in library.muscles:
        created = name.lower() not in ids
        if created:
            ids[name.lower()] = Muscle.objects.create(name=name).pk
        tally.count(created=created, changed=False)
    return ids


def _load_equipment(library: Library, tally: Tally) -> dict[str, int]:
    """Equipment ids by the file's key; the row's slug is the key with hyphens."""
    rows = {row.slug: row for row in Equipment.objects.all()}
    ids = {}
    for key, name in library.equipment.items():
        slug = key.replace("_", "-")
        row = rows.get(slug)
        created, changed = row is None, row is not None and row.name != name
        if created:
            row = Equipment.objects.create(slug=slug, name=name)
        elif changed:
            row.name = name
            row.save(update_fields=["name"])
        tally.count(created=created, changed=changed)
        ids[key] = row.pk
    return ids


def _load_exercises(
    library: Library, tally: Tally, muscles: dict[str, int], equipment: dict[str, int]
) -> dict[str, Exercise]:
    """Upsert every exercise by slug, with exactly the muscles and equipment the file lists,
    then (second pass, so the order of the file does not matter) its easier/harder links."""
    rows = {
        row.slug: row
        for row in Exercise.objects.filter(
            slug__in=[entry["slug"] for entry in library.exercises]
        ).prefetch_related("muscle_links", "equipment")
    }
    created, changed = set(), set()
    for entry in library.exercises:
        slug = entry["slug"]
        exercise = rows.get(slug)
        if exercise is None:
            exercise = rows[slug] = Exercise(slug=slug)
            created.add(slug)
        fields = [name for name in EXERCISE_FIELDS if getattr(exercise, name) != entry[name]]
        for name in fields:
            setattr(exercise, name, entry[name])
        if slug in created or fields:
            where = f'{library.path.name}: exercise "{slug}"'
            _clean(exercise, where, exclude=["easier", "harder"])
            exercise.save()

        links = {muscles[name.lower()]: "secondary" for name in entry["muscles_secondary"]}
        links.update({muscles[name.lower()]: "primary" for name in entry["muscles_primary"]})
        had = {} if slug in created else {m.muscle_id: m.role for m in exercise.muscle_links.all()}
        if had != links:
            ExerciseMuscle.objects.filter(exercise=exercise).exclude(muscle_id__in=links).delete()
            for muscle_id, role in links.items():
                if had.get(muscle_id) != role:
                    ExerciseMuscle.objects.update_or_create(
                        exercise=exercise, muscle_id=muscle_id, defaults={"role": role}
                    )
        needs = {equipment[key] for key in entry["equipment"]}
        has = set() if slug in created else {row.pk for row in exercise.equipment.all()}
        if has != needs:
            exercise.equipment.set(needs)
        if fields or had != links or has != needs:
            changed.add(slug)

    for entry in library.exercises:
        exercise = rows[entry["slug"]]
        easier = rows[entry["easier"]].pk if entry["easier"] else None
        harder = rows[entry["harder"]].pk if entry["harder"] else None
        if (exercise.easier_id, exercise.harder_id) != (easier, harder):
            exercise.easier_id, exercise.harder_id = easier, harder
            exercise.save(update_fields=["easier", "harder"])
            changed.add(entry["slug"])
    for entry in library.exercises:
        tally.count(created=entry["slug"] in created, changed=entry["slug"] in changed)
    return rows


ITEM_FIELDS = (  # position first, so sorted rows are in plan order
    "position",
    "exercise_id",
    "sets",
    "reps",
    "hold_seconds",
    "per_side",
    "times_per_week",
    "notes",
)


def _fields(row) -> tuple:
    return tuple(getattr(row, name) for name in ITEM_FIELDS)


def _load_templates(library: Library, tally: Tally, exercises: dict[str, Exercise]) -> None:
    """Upsert every template by slug; its items are replaced by the file's when they differ."""
    rows = {
        row.slug: row
        for row in CarePlanTemplate.objects.filter(
            slug__in=[entry["slug"] for entry in library.templates]
        ).prefetch_related("items")
    }
    for entry in library.templates:
        slug = entry["slug"]
        where = f'{library.path.name}: template "{slug}"'
        template = rows.get(slug)
        created = template is None
        if created:
            template = CarePlanTemplate(slug=slug)
        fields = [
            name
            for name in ("name", "description", "suggested_for")
            if getattr(template, name) != entry[name]
        ]
        for name in fields:
            setattr(template, name, entry[name])
        if created or fields:
            _clean(template, where, exclude=[])
            template.save()
        items = [
            CarePlanTemplateItem(
                template=template,
                exercise=exercises[item["exercise"]],
                position=position,
                **{name: item[name] for name in ITEM_FIELDS[2:]},
            )
            for position, item in enumerate(entry["items"], start=1)
        ]
        had = [] if created else sorted(_fields(item) for item in template.items.all())
        items_changed = had != [_fields(item) for item in items]
        if items_changed:
            CarePlanTemplateItem.objects.filter(template=template).delete()
            for item in items:
                _clean(item, f"{where}, item {item.position}", exclude=["template", "exercise"])
                item.save()
        tally.count(created=created, changed=bool(fields) or items_changed)


@transaction.atomic
def library_load(path: str | Path | None = None) -> LibraryLoadResult:
    """Upsert the library file at ``path`` (default: the one in use) into the database.

    The whole file is checked before anything is written, and the load is one transaction: a
    bad file changes nothing. Muscles are matched by name (whatever the capitals), equipment by
    its key, exercises and templates by slug; a row already as the file says is not written,
    so a second run changes nothing. Rows the file does not name are left alone (staff may add
    their own), and an exercise staff switched off stays off.
    """
    library = library_read(path)
    result = LibraryLoadResult()
    muscles = _load_muscles(library, result.muscles)
    equipment = _load_equipment(library, result.equipment)
    exercises = _load_exercises(library, result.exercises, muscles, equipment)
    _load_templates(library, result.templates, exercises)
    logger.info("careplans: library loaded (%s)", "; ".join(result.summary()))
    return result
