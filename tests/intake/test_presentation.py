"""intake.presentation puts words and colours on what the selectors read; selectors return data."""

import datetime

import pytest

from intake import presentation, schema, scoring, selectors

DAY = datetime.date(2026, 10, 5)


@pytest.mark.parametrize(
    ("measure", "before", "after", "text"),
    [
        ("odi", 40.0, 31.0, "−9 points"),
        ("odi", 35.55, 40.0, "+4.4 points"),
        ("nprs", 4, 6, "+2"),
        ("psfs", 5.3, 5.3, "±0"),
        ("psfs", 5.3, 7.7, "+2.4"),
    ],
)
def test_a_change_reads_as_a_signed_number_with_its_unit(measure, before, after, text):
    change = selectors.Change(measure=measure, since=DAY, before=before, after=after)
    assert presentation.change_text(change) == text
    score = presentation.Score(key=measure, name="", short="", value="", change=change)
    assert score.change_text == text
    assert presentation.Score(key=measure, name="", short="", value="").change_text == ""


def test_every_red_flag_group_has_a_badge():
    assert set(presentation.RED_FLAG_BADGES) == set(scoring.RED_FLAG_GROUP_ORDER)


def test_red_flag_lines_keep_the_order_of_the_hits_and_badge_each_group():
    hits = scoring.red_flag_hits(["night_pain", scoring.AGE_ONSET, "bladder", "retired"])
    lines = presentation.red_flag_lines(hits)
    assert [line.code for line in lines] == [hit.code for hit in hits]
    assert lines[0].code == "bladder"  # the most urgent group first
    by_code = {line.code: line for line in lines}
    assert (by_code["bladder"].tone, by_code["bladder"].label) == (
        "danger",
        "possible cauda equina",
    )
    assert (by_code["night_pain"].tone, by_code["night_pain"].label) == (
        "warning",
        "possible serious cause",
    )
    assert by_code["bladder"].question == scoring.RED_FLAGS_BY_CODE["bladder"].question
    assert by_code[scoring.AGE_ONSET].question == presentation.AGE_ONSET_QUESTION
    assert by_code[scoring.AGE_ONSET].summary == scoring.AGE_ONSET_SUMMARY
    assert (by_code["retired"].question, by_code["retired"].summary) == ("retired", "retired")


def test_answers_are_shown_with_their_labels_and_both_units():
    answers = {
        schema.PAIN: {"areas": ["buttock", "thigh"], "legs": "left", "onset_how": "sudden"},
        schema.RUNNING: {"weekly_km": 48.3, "recent_changes": ["shoes"], "shoe_miles": 300},
        schema.HISTORY: {"previous_episodes": schema.YES, "imaging": ["mri"]},
    }
    pain = presentation.pain_facts(answers)
    assert (pain["areas"], pain["legs"], pain["onset_how"]) == (
        ["Buttock", "Thigh"],
        "Left leg",
        "Suddenly (a specific moment)",
    )
    running = presentation.running_facts(answers)
    assert (running["weekly_km"], running["weekly_mi"]) == (48.3, 30.0)
    assert running["recent_changes"] == ["New shoes"]
    assert running["shoes_worn"] is True
    assert running["shoes"].endswith("mi (due for replacing at 300 mi or more)")
    history = presentation.history_facts(answers)
    assert (history["previous_episodes"], history["imaging"]) == (True, ["MRI"])


def test_unanswered_steps_show_nothing_typed():
    assert presentation.running_facts({}) == {
        "weekly_mi": None,
        "longest_run_mi": None,
        "recent_changes": [],
        "surfaces": [],
        "next_race_date": None,
        "shoes_worn": False,
        "shoes": "Not given",
    }
    assert presentation.history_facts({}) == {"previous_episodes": False, "imaging": []}
    assert presentation.pain_facts({}) == {
        "areas": [],
        "legs": "",
        "times": [],
        "onset_date": None,
        "onset_how": "",
        "onset_story": "",
    }


def test_hypotheses_read_as_their_labels():
    assert presentation.hypothesis_labels(["facet_joint", "gone"]) == [
        scoring.HYPOTHESIS_LABELS["facet_joint"],
        "gone",
    ]


@pytest.mark.parametrize(
    ("model", "miles", "line"),
    [
        ("Pegasus", 450, "Pegasus, about 450 mi (due for replacing at 300 mi or more)"),
        ("Pegasus", 120, "Pegasus, about 120 mi"),
        ("", 300, "About 300 mi (due for replacing at 300 mi or more)"),
        ("Ghost 15", None, "Ghost 15"),
        ("", None, "Not given"),
    ],
)
def test_the_shoes_line_reads_as_a_sentence(model, miles, line):
    assert presentation.shoes_line(model, miles) == line
    assert "—" not in line and "past 300 mi" not in line
