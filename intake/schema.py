"""The shape of the intake's answers: the steps in order, their choices, and how stored answers
are written and read back.

``IntakeAssessment.answers`` holds one JSON object per answered step: ``{step: {field: value}}``.
The step forms (intake/forms/questionnaire.py) write it, through the builders here for the
steps whose stored shape differs from the form's fields. Everything that reads answers back
(the questionnaire's pages and services, the staff review, the demo data, care plans) uses
the accessors here rather than raw keys, so a change of shape is made in this module alone.
A re-assessment's answers (``OutcomeMeasure.answers``) are shaped here too.

Pure: no database and no Django, like intake/scoring.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

# --- Steps, in the order the patient answers them -----------------------------------------------

PAIN = "pain"
RED_FLAGS = "red_flags"
HISTORY = "history"
RUNNING = "running"
OSWESTRY = "oswestry"
START_BACK = "start_back"
GOALS = "goals"
STEP_NAMES: tuple[str, ...] = (PAIN, RED_FLAGS, HISTORY, RUNNING, OSWESTRY, START_BACK, GOALS)
# Not a step of answers: the last look before sending, where the patient goes once every step
# is answered.
REVIEW = "review"

# --- Choices ------------------------------------------------------------------------------------

NPRS_CHOICES = [(n, str(n)) for n in range(11)]
YES, NO = "yes", "no"
YES_NO = [(NO, "No"), (YES, "Yes")]
AGREE, DISAGREE = "agree", "disagree"
AGREE_DISAGREE = [(DISAGREE, "Disagree"), (AGREE, "Agree")]

PAIN_AREAS = [
    ("low_back_centre", "Lower back, centre"),
    ("low_back_left", "Lower back, left side"),
    ("low_back_right", "Lower back, right side"),
    ("buttock", "Buttock"),
    ("thigh", "Thigh"),
    ("below_knee", "Below the knee"),
]
LEG_SIDES = [
    ("none", "Neither leg"),
    ("left", "Left leg"),
    ("right", "Right leg"),
    ("both", "Both legs"),
]
PAIN_TIMES = [
    ("during_runs", "During runs"),
    ("after_runs", "After runs"),
    ("morning_stiffness", "Morning stiffness"),
    ("night", "At night"),
    ("sitting", "When sitting"),
    ("bending", "When bending"),
]
ONSET = [("sudden", "Suddenly (a specific moment)"), ("gradual", "Gradually")]
IMAGING = [("none", "None"), ("xray", "X-ray"), ("mri", "MRI"), ("ct", "CT scan")]
TRAINING_CHANGES = [
    ("distance", "More distance"),
    ("intensity", "More speed or hills"),
    ("shoes", "New shoes"),
    ("surface", "A different surface"),
]
SURFACES = [
    ("road", "Road / pavement"),
    ("track", "Track"),
    ("trail", "Trail"),
    ("treadmill", "Treadmill"),
    ("grass", "Grass"),
]
MILES = "mi"
UNITS = [(MILES, "miles"), ("km", "km")]
KM_PER_MILE = Decimal("1.609344")


def to_km(distance: Decimal, unit: str) -> float:
    """A distance typed in ``unit`` (miles or km), in km to one decimal, as it is stored."""
    factor = KM_PER_MILE if unit == MILES else Decimal(1)
    return float(round(distance * factor, 1))


# --- Which steps are answered -------------------------------------------------------------------


def step_answers(answers: Mapping | None, step: str) -> dict:
    """One step's stored answers, as its form cleaned them; empty when not answered."""
    return (answers or {}).get(step) or {}


def is_answered(answers: Mapping | None, step: str) -> bool:
    return step in (answers or {})


def missing_steps(answers: Mapping | None) -> list[str]:
    """The steps not answered yet, in order."""
    return [step for step in STEP_NAMES if not is_answered(answers, step)]


def next_step(answers: Mapping | None, *, after: str | None = None) -> str:
    """Where the patient goes next: the first unanswered step after ``after``, else the first
    unanswered step, else ``REVIEW``."""
    following = STEP_NAMES[STEP_NAMES.index(after) + 1 :] if after else ()
    for step in (*following, *STEP_NAMES):
        if not is_answered(answers, step):
            return step
    return REVIEW


# --- Writing the steps whose shape is not the form's fields -------------------------------------


class Goal(TypedDict):
    """One activity of the Patient-Specific Functional Scale and its rating, 0–10."""

    activity: str
    rating: int | None


def red_flags_step(yes: Mapping[str, bool]) -> dict[str, bool]:
    """``{code: answered yes}`` for each red-flag question (codes from intake.scoring)."""
    return {code: bool(value) for code, value in yes.items()}


def running_step(typed: Mapping, *, weekly_km: float, longest_run_km: float | None) -> dict:
    """What the patient typed (in their own unit, kept for showing it back), plus the distances
    in km, the one unit every reader uses."""
    data = {**typed, "weekly_km": weekly_km}
    if longest_run_km is not None:
        data["longest_run_km"] = longest_run_km
    return data


def oswestry_step(answers: Sequence[int | None]) -> dict:
    """The ten Oswestry sections in order, each 0–5 or None when skipped."""
    return {"answers": list(answers)}


def start_back_step(items: Sequence[bool], bothersome: str) -> dict:
    """Items 1–8 (True for agree) and item 9's answer (a code of START_BACK_ITEM9_CHOICES)."""
    return {"items": list(items), "bothersome": bothersome}


def goals_step(activities: Sequence[Goal], get_back_to: str) -> dict:
    """The activities the patient named, each rated, in their order; and what they would most
    like to get back to."""
    return {
        "activities": [goal_of(g["activity"], g["rating"]) for g in activities],
        "get_back_to": get_back_to,
    }


def goal_of(activity: str, rating: int | None) -> Goal:
    return {"activity": activity, "rating": rating}


def reassessment_answers(
    *, odi_answers: Sequence[int | None], nprs_now: int, rated: Sequence[Goal]
) -> dict:
    """What ``OutcomeMeasure.answers`` holds for a re-assessment: the Oswestry sections, pain
    now, and each intake activity with its new rating."""
    return {
        OSWESTRY: oswestry_step(odi_answers),
        "nprs_now": nprs_now,
        "psfs": [goal_of(g["activity"], g["rating"]) for g in rated],
    }


# --- Reading the steps back ---------------------------------------------------------------------


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Pain:
    nprs_now: int | None = None
    nprs_best: int | None = None
    nprs_worst: int | None = None
    areas: tuple[str, ...] = ()  # codes of PAIN_AREAS
    legs: str = ""  # a code of LEG_SIDES
    times: tuple[str, ...] = ()  # codes of PAIN_TIMES
    onset_date: datetime.date | None = None
    onset_how: str = ""  # a code of ONSET
    onset_story: str = ""


def pain(answers: Mapping | None) -> Pain:
    """The pain step (empty when not answered)."""
    data = step_answers(answers, PAIN)
    return Pain(
        nprs_now=data.get("nprs_now"),
        nprs_best=data.get("nprs_best"),
        nprs_worst=data.get("nprs_worst"),
        areas=tuple(data.get("areas") or ()),
        legs=data.get("legs") or "",
        times=tuple(data.get("times") or ()),
        onset_date=_date(data.get("onset_date")),
        onset_how=data.get("onset_how") or "",
        onset_story=data.get("onset_story", ""),
    )


def red_flag_answers(answers: Mapping | None) -> dict[str, bool]:
    """``{code: answered yes}`` for each red-flag question answered."""
    return dict(step_answers(answers, RED_FLAGS))


def red_flags_typed(raw: Mapping | None, codes: Sequence[str]) -> dict[str, bool]:
    """``{code: answered yes}`` for each of ``codes`` answered so far in a red-flag step as
    posted (a draft, valid or not): a question not answered yet, or answered with anything but
    yes or no, is left out."""
    typed = {}
    for code in codes:
        value = (raw or {}).get(code)
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value in (YES, NO):
            typed[code] = value == YES
    return typed


@dataclass(frozen=True)
class History:
    previous_episodes: bool = False
    previous_details: str = ""
    imaging: tuple[str, ...] = ()  # codes of IMAGING
    imaging_findings: str = ""
    surgery: str = ""
    medication: str = ""
    other_conditions: str = ""


def history(answers: Mapping | None) -> History:
    """The history step (empty when not answered)."""
    data = step_answers(answers, HISTORY)
    return History(
        previous_episodes=data.get("previous_episodes") == YES,
        previous_details=data.get("previous_details") or "",
        imaging=tuple(data.get("imaging") or ()),
        imaging_findings=data.get("imaging_findings") or "",
        surgery=data.get("surgery") or "",
        medication=data.get("medication") or "",
        other_conditions=data.get("other_conditions") or "",
    )


@dataclass(frozen=True)
class Running:
    runs_per_week: int | None = None
    weekly_distance: float | None = None  # as typed, in ``distance_unit``
    distance_unit: str = ""
    weekly_km: float | None = None
    longest_run: float | None = None  # as typed, in ``distance_unit``
    longest_run_km: float | None = None
    years_running: int | None = None
    recent_changes: tuple[str, ...] = ()  # codes of TRAINING_CHANGES
    shoe_model: str = ""
    shoe_miles: int | None = None
    surfaces: tuple[str, ...] = ()  # codes of SURFACES
    cross_training: str = ""
    next_race: str = ""
    next_race_date: datetime.date | None = None


def running(answers: Mapping | None) -> Running:
    """The running step (empty when not answered); distances in km whatever the patient typed."""
    data = step_answers(answers, RUNNING)
    return Running(
        runs_per_week=data.get("runs_per_week"),
        weekly_distance=data.get("weekly_distance"),
        distance_unit=data.get("distance_unit") or "",
        weekly_km=data.get("weekly_km"),
        longest_run=data.get("longest_run"),
        longest_run_km=data.get("longest_run_km"),
        years_running=data.get("years_running"),
        recent_changes=tuple(data.get("recent_changes") or ()),
        shoe_model=data.get("shoe_model") or "",
        shoe_miles=data.get("shoe_miles"),
        surfaces=tuple(data.get("surfaces") or ()),
        cross_training=data.get("cross_training") or "",
        next_race=data.get("next_race") or "",
        next_race_date=_date(data.get("next_race_date")),
    )


def oswestry_answers(answers: Mapping | None) -> list[int | None]:
    """The Oswestry sections in order, each 0–5 or None when skipped; empty when not answered."""
    return list(step_answers(answers, OSWESTRY).get("answers", []))


@dataclass(frozen=True)
class StartBack:
    items: tuple[bool, ...] = ()  # items 1–8, True for agree
    bothersome: str | None = None  # item 9, a code of START_BACK_ITEM9_CHOICES


def start_back(answers: Mapping | None) -> StartBack:
    """The STarT Back step (empty when not answered)."""
    data = step_answers(answers, START_BACK)
    return StartBack(items=tuple(data.get("items", [])), bothersome=data.get("bothersome"))


@dataclass(frozen=True)
class Goals:
    activities: list[Goal] = field(default_factory=list)
    get_back_to: str = ""


def goals(answers: Mapping | None) -> Goals:
    """The goals step (empty when not answered): the PSFS activities in the patient's order."""
    data = step_answers(answers, GOALS)
    return Goals(
        activities=[
            goal_of(str(g.get("activity") or ""), g.get("rating"))
            for g in data.get("activities") or []
        ],
        get_back_to=str(data.get("get_back_to") or ""),
    )


def psfs_ratings(answers: Mapping | None) -> list[int]:
    """The rating of each goal activity, in order."""
    return [goal["rating"] for goal in goals(answers).activities]
