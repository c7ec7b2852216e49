"""The exercise library's file, ``careplans/library.yaml``: reading it and checking it.

- ``library_read(path)`` parses the file and checks all of it, strictly: an unknown or missing
  field, a category that is not one of ``Exercise.Category``, a tag, muscle, region or piece of
  equipment the file does not declare, a dose out of range, a link to an exercise the file
  does not hold: each is a ``LibraryError`` naming the exercise (or template) and the field.
  Fields that may be left out are listed in ``EXERCISE_OPTIONAL`` and ``ITEM_OPTIONAL``, with
  the value they then take; nothing else is filled in.
- ``library_current()`` is the file in use, read once per process, for what pages need from
  it: region labels, caution tags and the rules that raise them.

The path defaults to ``settings.CAREPLANS_LIBRARY_FILE``, the file shipped in this package.
Loading it into the database is ``careplans.library.library_load``.
"""

import copy
import functools
import re
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from careplans.models import (
    HOLD_SECONDS_MAX,
    REPS_MAX,
    SETS_MAX,
    SETS_MIN,
    TIMES_PER_WEEK_MAX,
    TIMES_PER_WEEK_MIN,
    CarePlanTemplate,
    Equipment,
    Exercise,
    Muscle,
)
from intake.scoring import HYPOTHESIS_LABELS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

TOP_LEVEL = (
    "body_regions",
    "equipment",
    "contraindication_tags",
    "hypothesis_cautions",
    "red_flag_caution_tags",
    "muscles",
    "exercises",
    "templates",
)
EXERCISE_REQUIRED = (
    "slug",
    "name",
    "category",
    "body_region",
    "difficulty",
    "equipment",
    "default_sets",
    "per_side",
    "instructions",
    "cues",
    "common_mistakes",
)
# Fields an exercise may leave out, and the value they then take. Exactly one of the two
# default amounts is given.
EXERCISE_OPTIONAL = {
    "muscles_primary": [],
    "muscles_secondary": [],
    "default_reps": None,
    "default_hold_seconds": None,
    "contraindications": [],
    "easier": "",
    "harder": "",
    "video_url": "",
}
TEMPLATE_REQUIRED = ("slug", "name", "description", "suggested_for", "items")
ITEM_REQUIRED = ("exercise", "sets", "per_side", "times_per_week")
ITEM_OPTIONAL = {"reps": None, "hold_seconds": None, "notes": ""}


class LibraryError(ValueError):
    """The library file is wrong; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Library:
    """The checked content of a library file. Every exercise and template item has all its
    fields (those left out in the file hold the value ``EXERCISE_OPTIONAL`` or
    ``ITEM_OPTIONAL`` gives). Treat it as read-only: ``library_current()`` shares one copy."""

    path: Path
    body_regions: dict[str, str]
    equipment: dict[str, str]
    contraindication_tags: dict[str, str]
    hypothesis_cautions: dict[str, list[str]]
    red_flag_caution_tags: list[str]
    muscles: list[str]
    exercises: list[dict[str, Any]]
    templates: list[dict[str, Any]]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader, refusing a mapping that gives the same key twice (YAML would keep
    the last one silently: an easy slip when copying an exercise to start a new one)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f'"{key}" is given twice', key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Checker:
    """Checks one part of the file; ``where`` names it in every message."""

    def __init__(self, file: str, where: str):
        self.file, self.where = file, where

    def fail(self, field_name: str | None, problem: str):
        place = ", ".join(part for part in (self.where, field_name) if part)
        raise LibraryError(
            f"{self.file}: {place}: {problem}" if place else f"{self.file}: {problem}"
        )

    def fields(self, entry: Any, required: tuple[str, ...], optional: dict[str, Any]) -> dict:
        """``entry`` as a dict with every field, or an error for a missing or unknown one."""
        if not isinstance(entry, dict):
            self.fail(None, "should be a set of fields (name: value)")
        missing = [name for name in required if name not in entry]
        if missing:
            self.fail(None, f"missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        unknown = [str(name) for name in entry if name not in required and name not in optional]
        if unknown:
            self.fail(
                None,
                f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"(the fields are: {', '.join([*required, *optional])})",
            )
        # A field left empty (null) is left out when it may be; otherwise its check says so.
        given = {k: v for k, v in entry.items() if v is not None or k in required}
        return {**copy.deepcopy(optional), **given}

    def text(self, entry: dict, name: str, *, blank: bool = False, max_length: int = 0) -> str:
        value = entry[name]
        if not isinstance(value, str):
            self.fail(name, f"should be text, not {value!r}")
        if not blank and not value.strip():
            self.fail(name, "should not be empty")
        if max_length and len(value) > max_length:
            self.fail(name, f"is {len(value)} characters long; the most is {max_length}")
        return value

    def number(self, entry: dict, name: str, low: int, high: int) -> int:
        value = entry[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"should be a whole number from {low} to {high}, not {value!r}")
        return value

    def flag(self, entry: dict, name: str) -> bool:
        value = entry[name]
        if not isinstance(value, bool):
            self.fail(name, f"should be true or false, not {value!r}")
        return value

    def texts(self, entry: dict, name: str, *, allowed=None, what: str = "") -> list[str]:
        """A list of non-empty texts, each once, each in ``allowed`` when given."""
        values = entry[name]
        if not isinstance(values, list):
            self.fail(name, f"should be a list, not {values!r}")
        for value in values:
            if not isinstance(value, str) or not value.strip():
                self.fail(name, f"should hold only text, not {value!r}")
            if allowed is not None and value not in allowed:
                self.fail(name, f'"{value}" is not {what}')
        twice = sorted({value for value in values if values.count(value) > 1})
        if twice:
            self.fail(name, f"lists {', '.join(twice)} more than once")
        return list(values)

    def amount(self, entry: dict, reps: str, hold: str) -> None:
        """Exactly one of a number of repetitions and a time in seconds."""
        given = [name for name in (reps, hold) if entry[name] is not None]
        if len(given) != 1:
            self.fail(
                f"{reps}/{hold}",
                "give exactly one of the two (repetitions, or seconds for holds and timed work)",
            )
        if entry[reps] is not None:
            self.number(entry, reps, 1, REPS_MAX)
        else:
            self.number(entry, hold, 1, HOLD_SECONDS_MAX)


def _labels(check: _Checker, value: Any, *, max_length: int = 0) -> dict[str, str]:
    """A mapping of keys (lowercase words joined by underscores) to labels."""
    if not isinstance(value, dict) or not value:
        check.fail(None, "should be a list of key: label lines")
    for key in value:
        if not isinstance(key, str) or not KEY_RE.match(key):
            check.fail(str(key), "a key is lowercase words joined by underscores")
        check.text(value, key, max_length=max_length)
    return dict(value)


def _exercise(check: _Checker, raw: Any, library: dict) -> dict:
    entry = check.fields(raw, EXERCISE_REQUIRED, EXERCISE_OPTIONAL)
    check.text(entry, "name", max_length=Exercise._meta.get_field("name").max_length)
    if entry["category"] not in Exercise.Category.values:
        check.fail(
            "category",
            f'"{entry["category"]}" is not one of {", ".join(Exercise.Category.values)}',
        )
    if entry["body_region"] not in library["body_regions"]:
        check.fail("body_region", f'"{entry["body_region"]}" is not a key of body_regions')
    if entry["difficulty"] not in Exercise.Difficulty.values or isinstance(
        entry["difficulty"], bool
    ):
        check.fail("difficulty", f"should be 1, 2 or 3, not {entry['difficulty']!r}")
    check.texts(entry, "equipment", allowed=library["equipment"], what="a key of equipment")
    muscles = set(library["muscles"])
    primary = check.texts(entry, "muscles_primary", allowed=muscles, what="in muscles")
    secondary = check.texts(entry, "muscles_secondary", allowed=muscles, what="in muscles")
    both = sorted(set(primary) & set(secondary))
    if both:
        check.fail("muscles_secondary", f"{', '.join(both)} is already a primary muscle")
    check.number(entry, "default_sets", SETS_MIN, SETS_MAX)
    check.amount(entry, "default_reps", "default_hold_seconds")
    check.flag(entry, "per_side")
    tags = library["contraindication_tags"]
    check.texts(entry, "contraindications", allowed=tags, what="a key of contraindication_tags")
    if not check.texts(entry, "instructions"):
        check.fail("instructions", "should list at least one step")
    check.texts(entry, "cues")
    check.texts(entry, "common_mistakes")
    for name in ("easier", "harder", "video_url"):
        check.text(entry, name, blank=True)
    return entry


def _variations(file: str, exercises: list[dict]) -> None:
    """Each easier/harder link names another exercise of the file."""
    slugs = {entry["slug"] for entry in exercises}
    for entry in exercises:
        check = _Checker(file, f'exercise "{entry["slug"]}"')
        for name in ("easier", "harder"):
            target = entry[name]
            if target == entry["slug"]:
                check.fail(name, "an exercise cannot be its own variation")
            if target and target not in slugs:
                check.fail(name, f'"{target}" is not an exercise in this file')


def _template(check: _Checker, raw: Any, exercises: dict[str, dict]) -> dict:
    entry = check.fields(raw, TEMPLATE_REQUIRED, {})
    check.text(entry, "name", max_length=CarePlanTemplate._meta.get_field("name").max_length)
    check.text(entry, "description")
    check.texts(
        entry, "suggested_for", allowed=HYPOTHESIS_LABELS, what="a hypothesis code of the intake"
    )
    if not isinstance(entry["items"], list) or not entry["items"]:
        check.fail("items", "should list at least one exercise")
    items = []
    for position, raw_item in enumerate(entry["items"], start=1):
        item_check = _Checker(check.file, f"{check.where}, item {position}")
        item = item_check.fields(raw_item, ITEM_REQUIRED, ITEM_OPTIONAL)
        if item["exercise"] not in exercises:
            item_check.fail("exercise", f'"{item["exercise"]}" is not an exercise in this file')
        item_check.number(item, "sets", SETS_MIN, SETS_MAX)
        item_check.amount(item, "reps", "hold_seconds")
        item_check.flag(item, "per_side")
        item_check.number(item, "times_per_week", TIMES_PER_WEEK_MIN, TIMES_PER_WEEK_MAX)
        item_check.text(item, "notes", blank=True)
        items.append(item)
    return {**entry, "items": items}


def _slugged(check: _Checker, raw: list, what: str, model) -> list[tuple[_Checker, Any]]:
    """Each entry of a list of exercises or templates with a checker naming it by its slug."""
    seen: set[str] = set()
    named = []
    for number, entry in enumerate(raw, start=1):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        where = f'{what} "{slug}"' if isinstance(slug, str) else f"{what} number {number}"
        entry_check = _Checker(check.file, where)
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            entry_check.fail("slug", "should be lowercase words joined by hyphens")
        longest = model._meta.get_field("slug").max_length
        if len(slug) > longest:
            entry_check.fail("slug", f"is longer than {longest} characters")
        if slug in seen:
            entry_check.fail("slug", f"another {what} has the same slug")
        seen.add(slug)
        named.append((entry_check, entry))
    return named


def _parse(path: Path) -> Library:
    file = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe)
    except OSError as error:
        raise LibraryError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise LibraryError(f"{file}{line}: not valid YAML: {problem}") from error
    check = _Checker(file, "")
    library = check.fields(raw, TOP_LEVEL, {})
    for name in ("body_regions", "equipment", "contraindication_tags"):
        max_length = Equipment._meta.get_field("name").max_length if name == "equipment" else 0
        library[name] = _labels(_Checker(file, name), library[name], max_length=max_length)
    muscles = check.texts(library, "muscles")
    longest = Muscle._meta.get_field("name").max_length
    for name in muscles:
        if len(name) > longest:
            check.fail("muscles", f'"{name}" is longer than {longest} characters')
    lowered = [name.lower() for name in muscles]
    if len(set(lowered)) != len(lowered):
        check.fail("muscles", "lists a muscle twice (in capitals and in small letters)")
    tags = library["contraindication_tags"]
    cautions = library["hypothesis_cautions"]
    if not isinstance(cautions, dict):
        check.fail("hypothesis_cautions", "should be a list of hypothesis: [tags] lines")
    for code in cautions:
        if code not in HYPOTHESIS_LABELS:
            check.fail("hypothesis_cautions", f'"{code}" is not a hypothesis code of the intake')
        _Checker(file, "hypothesis_cautions").texts(
            cautions, code, allowed=tags, what="a key of contraindication_tags"
        )
    check.texts(
        library, "red_flag_caution_tags", allowed=tags, what="a key of contraindication_tags"
    )

    for name in ("exercises", "templates"):
        if not isinstance(library[name], list):
            check.fail(name, "should be a list")
    exercises = [
        _exercise(entry_check, entry, library)
        for entry_check, entry in _slugged(check, library["exercises"], "exercise", Exercise)
    ]
    _variations(file, exercises)
    by_slug = {entry["slug"]: entry for entry in exercises}
    templates = [
        _template(entry_check, entry, by_slug)
        for entry_check, entry in _slugged(
            check, library["templates"], "template", CarePlanTemplate
        )
    ]
    return Library(
        path=path,
        body_regions=library["body_regions"],
        equipment=library["equipment"],
        contraindication_tags=tags,
        hypothesis_cautions=cautions,
        red_flag_caution_tags=library["red_flag_caution_tags"],
        muscles=muscles,
        exercises=exercises,
        templates=templates,
    )


def library_read(path: str | Path | None = None) -> Library:
    """The library file at ``path`` (default: the one in use), read and checked afresh."""
    return _parse(Path(path or settings.CAREPLANS_LIBRARY_FILE).resolve())


@functools.cache
def _read_once(path: Path) -> Library:
    return _parse(path)


def library_current() -> Library:
    """The library file in use, read and checked once per process (and per file)."""
    return _read_once(Path(settings.CAREPLANS_LIBRARY_FILE).resolve())
