"""intake.schema: the steps, and stored answers written by the forms and read back by it."""

import datetime
from decimal import Decimal

import pytest

from intake import schema, scoring
from intake.demo import demo_answers
from intake.forms import FORMS
from intake.forms.questionnaire import STEPS, initial_from_answers


def stored(**changes) -> dict:
    """The answers as the forms store them, from the demo's valid POST data."""
    answers = {}
    for step, data in demo_answers(("bowel", "trauma")).items():
        form = FORMS[step]({**data, **changes.get(step, {})})
        assert form.is_valid(), (step, form.errors)
        answers[step] = form.to_json()
    return answers


def test_every_step_has_a_form_in_order():
    assert [name for name, _ in STEPS] == list(schema.STEP_NAMES)
    assert list(demo_answers()) == list(schema.STEP_NAMES)


def test_which_step_comes_next():
    answers = {schema.PAIN: {}, schema.HISTORY: {}}
    assert schema.missing_steps(answers) == [
        s for s in schema.STEP_NAMES if s not in (schema.PAIN, schema.HISTORY)
    ]
    assert schema.next_step({}) == schema.PAIN
    assert schema.next_step(answers, after=schema.PAIN) == schema.RED_FLAGS
    assert schema.next_step(answers, after=schema.RED_FLAGS) == schema.RUNNING
    # After the last step, back to the first one skipped.
    assert schema.next_step(answers, after=schema.GOALS) == schema.RED_FLAGS
    everything = {step: {} for step in schema.STEP_NAMES}
    assert schema.next_step(everything, after=schema.PAIN) == schema.REVIEW
    assert schema.missing_steps(None) == list(schema.STEP_NAMES)


def test_the_forms_answers_read_back():
    answers = stored()
    pain = schema.pain(answers)
    assert (pain.nprs_now, pain.nprs_best, pain.nprs_worst) == (4, 2, 7)
    assert pain.areas == ("low_back_centre", "buttock")
    assert pain.onset_date == datetime.date(2026, 9, 1)
    assert schema.red_flag_answers(answers) == {
        flag.code: flag.code in ("bowel", "trauma") for flag in scoring.RED_FLAGS
    }
    history = schema.history(answers)
    assert history.previous_episodes is False
    assert history.medication == "Ibuprofen as needed"
    running = schema.running(answers)
    assert (running.weekly_distance, running.distance_unit, running.weekly_km) == (30, "mi", 48.3)
    assert running.surfaces == ("road",)
    assert running.longest_run_km is None
    assert schema.oswestry_answers(answers) == [2] * 7 + [None] + [2] * 2
    start_back = schema.start_back(answers)
    assert start_back.items == (True, False, True, False, False, True, False, False)
    assert start_back.bothersome == "moderately"
    goals = schema.goals(answers)
    assert goals.activities == [
        {"activity": "Run 10 miles", "rating": 3},
        {"activity": "Sit through a meeting", "rating": 6},
        {"activity": "Lift my kids", "rating": 7},
    ]
    assert goals.get_back_to == "Racing the Twin Cities Marathon"
    assert schema.psfs_ratings(answers) == [3, 6, 7]


def test_unanswered_steps_read_back_empty():
    for answers in ({}, None):
        assert schema.pain(answers) == schema.Pain()
        assert schema.history(answers) == schema.History()
        assert schema.running(answers) == schema.Running()
        assert schema.start_back(answers) == schema.StartBack()
        assert schema.goals(answers) == schema.Goals()
        assert schema.red_flag_answers(answers) == {}
        assert schema.oswestry_answers(answers) == []
        assert schema.psfs_ratings(answers) == []
        assert not schema.is_answered(answers, schema.GOALS)


@pytest.mark.parametrize(("unit", "km"), [("mi", 48.3), ("km", 30.0)])
def test_distances_are_stored_in_km(unit, km):
    answers = stored(running={"distance_unit": unit, "longest_run": "12.5"})
    running = schema.running(answers)
    assert running.weekly_km == km == schema.to_km(Decimal("30"), unit)
    assert running.longest_run_km == schema.to_km(Decimal("12.5"), unit)


@pytest.mark.parametrize("step", schema.STEP_NAMES)
def test_a_stored_step_is_its_forms_initial_again(step):
    answers = stored()
    form = FORMS[step](initial=initial_from_answers(step, answers))
    data = {name: form.initial.get(name) for name in form.fields}
    again = FORMS[step]({k: v for k, v in data.items() if v is not None})
    assert again.is_valid(), again.errors
    assert again.to_json() == answers[step]


def test_a_reassessment_is_stored_with_its_activities():
    rated = [schema.goal_of("Run 10 miles", 6), schema.goal_of("Lift my kids", 9)]
    assert schema.reassessment_answers(odi_answers=[1] * 10, nprs_now=2, rated=rated) == {
        schema.OSWESTRY: {"answers": [1] * 10},
        "nprs_now": 2,
        "psfs": [
            {"activity": "Run 10 miles", "rating": 6},
            {"activity": "Lift my kids", "rating": 9},
        ],
    }
