"""The flare-up rule (careplans.flare.flare_check): its boundaries, and the advice's sources."""

from decimal import Decimal

import pytest

from careplans import flare
from careplans.flare import RISE, THRESHOLD, flare_check
from careplans.models import Exercise
from intake import scoring


@pytest.mark.parametrize(
    ("pain", "reasons"),
    [(0, ()), (6, ()), (7, (THRESHOLD,)), (10, (THRESHOLD,))],
)
def test_the_threshold_alone_with_no_earlier_sessions(pain, reasons):
    check = flare_check(pain, [])
    assert check.reasons == reasons
    assert check.is_flare is bool(reasons)
    assert check.previous_mean is None


@pytest.mark.parametrize(
    ("pain", "previous", "reasons", "mean"),
    [
        # Three earlier sessions, most recent first: mean 4.
        (6, [5, 4, 3], (RISE,), "4.0"),  # a rise of exactly 2
        (5, [5, 4, 3], (), "4.0"),  # a rise of 1
        # The mean is not the highest: 6 is 2 above a mean of 4 though only 1 above the 5.
        (6, [3, 5, 4], (RISE,), "4.0"),
        # An exact comparison: 5 is 1.67 above 3.33, not a rise.
        (5, [3, 3, 4], (), "3.3"),
        (6, [3, 3, 4], (RISE,), "3.3"),
        # Only the three most recent count: with the fourth (0) the mean would be 3.
        (5, [4, 4, 4, 0], (), "4.0"),
        # Two earlier sessions: the mean of those two.
        (5, [3, 3], (RISE,), "3.0"),
        (4, [3, 3], (), "3.0"),
        # One earlier session.
        (3, [1], (RISE,), "1.0"),
        (2, [1], (), "1.0"),
        # Both reasons: threshold first.
        (8, [2, 3, 2], (THRESHOLD, RISE), "2.3"),
        # At the threshold without a rise: still a flare.
        (7, [7, 7, 7], (THRESHOLD,), "7.0"),
        # Pain going down is never a rise.
        (1, [5, 5, 5], (), "5.0"),
    ],
)
def test_a_rise_of_two_over_the_mean_of_the_previous_three(pain, previous, reasons, mean):
    check = flare_check(pain, previous)
    assert check.reasons == reasons
    assert check.previous_mean == Decimal(mean)


def test_the_recorded_reason_is_the_threshold_when_both_hold():
    assert flare_check(9, [2, 2, 2]).reason == THRESHOLD
    assert flare_check(6, [2, 2, 2]).reason == RISE
    assert flare_check(3, [2, 2, 2]).reason is None


def test_the_threshold_and_the_rise_are_settings():
    assert flare_check(6, [], threshold=6).reasons == (THRESHOLD,)
    assert flare_check(6, [5, 5, 5], rise=1).reasons == (RISE,)
    assert flare_check(7, [4, 4, 4], threshold=8, rise=4).reasons == ()


@pytest.mark.parametrize(("pain", "previous"), [(11, []), (-1, []), (5, [12]), (True, [])])
def test_scores_outside_zero_to_ten_are_refused(pain, previous):
    with pytest.raises(ValueError):
        flare_check(pain, previous)


def test_the_paused_categories_are_the_librarys():
    assert set(Exercise.Category.values) >= flare.PAUSE_CATEGORIES
    assert flare.is_paused(Exercise.Category.STRENGTH)
    assert flare.is_paused(Exercise.Category.RUNNING_DRILL)
    for kept in ("mobility", "stretch", "motor_control", "cardio_alternative"):
        assert not flare.is_paused(kept)


def test_the_red_flag_signs_are_the_intakes_own_questions():
    questions = {item.question: item for item in scoring.RED_FLAGS}
    urgent = flare.urgent_signs()
    assert urgent and all(questions[q].group == scoring.CAUDA_EQUINA for q in urgent)
    assert len(urgent) == sum(1 for f in scoring.RED_FLAGS if f.group == scoring.CAUDA_EQUINA)
    prompt = flare.prompt_signs()
    assert len(prompt) == len(flare.PROMPT_SIGN_CODES)
    assert all(questions[q].group == scoring.SERIOUS for q in prompt)
