"""The published scoring rules (shared/domain/clinical-instruments.md), checked at every edge."""

import datetime
from decimal import Decimal

import pytest

from intake import scoring
from intake.scoring import (
    AGE_ONSET,
    CAUDA_EQUINA,
    RED_FLAG_ADVICE,
    RED_FLAGS,
    SERIOUS,
    RedFlagHit,
)


def odi_answers(total: int, answered: int = 10) -> list[int | None]:
    """Ten ODI answers with ``answered`` sections given (the sex-life one skipped first)."""
    skipped = [7, 0, 1, 2, 3, 4, 5, 6, 8, 9][: 10 - answered]
    answers: list[int | None] = [None if i in skipped else 0 for i in range(10)]
    remaining = total
    for i in range(10):
        if answers[i] is not None and remaining:
            answers[i] = min(5, remaining)
            remaining -= answers[i]
    assert remaining == 0, "total too high for the sections answered"
    return answers


# --- Oswestry ---------------------------------------------------------------------------------


def test_odi_worked_example_one_section_skipped():
    score = scoring.oswestry([2, 2, 2, 2, 2, 2, 2, None, 1, 1])
    assert (score.raw_sum, score.answered) == (16, 9)
    assert score.percent == 35.6
    assert score.band == "moderate"
    assert score.band_label == "Moderate disability"


def test_odi_worked_example_all_answered():
    score = scoring.oswestry([2] * 10)
    assert (score.raw_sum, score.answered, score.percent) == (20, 10, 40.0)
    assert score.band == "moderate"
    assert score.is_complete


@pytest.mark.parametrize(
    ("total", "answered", "percent", "band"),
    [
        (0, 10, 0.0, "minimal"),
        (10, 10, 20.0, "minimal"),
        (9, 9, 20.0, "minimal"),
        (8, 8, 20.0, "minimal"),
        (11, 10, 22.0, "moderate"),
        (10, 9, 22.2, "moderate"),
        (9, 8, 22.5, "moderate"),
        (20, 10, 40.0, "moderate"),
        (18, 9, 40.0, "moderate"),
        (21, 10, 42.0, "severe"),
        (19, 9, 42.2, "severe"),
        (30, 10, 60.0, "severe"),
        (27, 9, 60.0, "severe"),
        (31, 10, 62.0, "crippling"),
        (40, 10, 80.0, "crippling"),
        (36, 9, 80.0, "crippling"),
        (41, 10, 82.0, "bed-bound"),
        (50, 10, 100.0, "bed-bound"),
        (40, 8, 100.0, "bed-bound"),
    ],
)
def test_odi_bands_at_reachable_boundaries(total, answered, percent, band):
    score = scoring.oswestry(odi_answers(total, answered))
    assert (score.percent, score.band, score.answered) == (percent, band, answered)
    assert score.band_label == scoring.ODI_BAND_LABELS[band]


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        (20.0, "minimal"),
        (20.04, "minimal"),  # rounds to 20.0
        (20.05, "moderate"),  # rounds half up to 20.1
        (20.1, "moderate"),
        (20.5, "moderate"),
        (21, "moderate"),
        (40.0, "moderate"),
        (40.1, "severe"),
        (40.4, "severe"),
        (41, "severe"),
        (60, "severe"),
        (60.1, "crippling"),
        (61, "crippling"),
        (80, "crippling"),
        (80.1, "bed-bound"),
        (81, "bed-bound"),
        (100, "bed-bound"),
        (Decimal("35.6"), "moderate"),
    ],
)
def test_odi_band_reads_upper_limits_as_inclusive_on_the_rounded_percent(percent, band):
    assert scoring.oswestry_band(percent) == band


@pytest.mark.parametrize("percent", [-0.1, 100.1, float("nan"), float("inf"), None, "40"])
def test_odi_band_rejects_impossible_percents(percent):
    with pytest.raises(ValueError):
        scoring.oswestry_band(percent)


def test_odi_bed_bound_label():
    assert scoring.oswestry([5] * 10).band_label == "Bed-bound (or exaggerating symptoms)"


def test_odi_seven_sections_is_incomplete():
    score = scoring.oswestry([3, 3, 3, 3, 3, 3, 3, None, None, None])
    assert score.percent is None
    assert score.band == "incomplete"
    assert not score.is_complete
    assert (score.answered, score.raw_sum) == (7, 21)


def test_odi_nothing_answered_is_incomplete():
    score = scoring.oswestry([None] * 10)
    assert (score.percent, score.band, score.answered, score.raw_sum) == (None, "incomplete", 0, 0)


def test_odi_eight_sections_is_scored_whichever_are_missing():
    score = scoring.oswestry([None, 3, 3, 3, 3, 3, 3, None, 3, 3])
    assert (score.answered, score.percent, score.band) == (8, 60.0, "severe")


@pytest.mark.parametrize(
    ("total", "percent"),
    [
        (1, 2.2),  # 2.222…
        (2, 4.4),  # 4.444…
        (4, 8.9),  # 8.888…
        (16, 35.6),  # 35.555…
        (17, 37.8),  # 37.777…
        (44, 97.8),  # 97.777…
    ],
)
def test_odi_nine_sections_round_to_one_decimal(total, percent):
    # With 8, 9 or 10 sections the exact percent is k × 2.5, k × 20/9 or k × 2: it never ends
    # in 5 at the second decimal, so half-up is shown on round_half_up and the PSFS instead.
    assert scoring.oswestry(odi_answers(total, answered=9)).percent == percent


@pytest.mark.parametrize(
    "answers",
    [
        [2] * 9,
        [2] * 11,
        [],
        [2] * 9 + [6],
        [-1] + [2] * 9,
        [2.0] * 10,
        ["2"] * 10,
        [True] * 10,
        "0123401234",
    ],
)
def test_odi_rejects_bad_answers(answers):
    with pytest.raises(ValueError):
        scoring.oswestry(answers)


def test_odi_constants():
    assert scoring.ODI_SECTIONS == (
        "pain intensity",
        "personal care",
        "lifting",
        "walking",
        "sitting",
        "standing",
        "sleeping",
        "sex life",
        "social life",
        "travelling",
    )
    assert [scoring.ODI_SECTIONS[i] for i in scoring.ODI_SKIPPABLE] == ["sex life"]
    assert (scoring.ODI_MIN_ANSWERED, scoring.ODI_MCID) == (8, 10)


def test_odi_score_is_frozen():
    score = scoring.oswestry([1] * 10)
    with pytest.raises(AttributeError):
        score.percent = 99.0


# --- Rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Decimal("35.55"), Decimal("35.6")),
        (35.55, Decimal("35.6")),  # a float is read as written, not as 35.5499999…
        (Decimal("0.25"), Decimal("0.3")),  # half-even would give 0.2
        (3.25, Decimal("3.3")),  # round(3.25, 1) gives 3.2
        (Decimal("35.549"), Decimal("35.5")),
        (40, Decimal("40.0")),
    ],
)
def test_round_half_up(value, rounded):
    assert scoring.round_half_up(value) == rounded


# --- STarT Back -------------------------------------------------------------------------------


def start_back_answers(physical: int, psychosocial: int) -> list[bool]:
    """``physical`` of items 1–4 and ``psychosocial`` of items 5–9 answered with a point."""
    return [i < physical for i in range(4)] + [i < psychosocial for i in range(5)]


@pytest.mark.parametrize(
    ("physical", "psychosocial", "total", "risk"),
    [
        (0, 0, 0, "low"),
        (3, 0, 3, "low"),
        (0, 3, 3, "low"),
        (2, 1, 3, "low"),
        (1, 3, 4, "medium"),
        (4, 0, 4, "medium"),
        (4, 3, 7, "medium"),
        (0, 4, 4, "high"),
        (4, 4, 8, "high"),
        (4, 5, 9, "high"),
    ],
)
def test_start_back_risk(physical, psychosocial, total, risk):
    score = scoring.start_back(start_back_answers(physical, psychosocial))
    assert (score.total, score.psychosocial, score.risk) == (total, psychosocial, risk)
    assert score.risk_label == scoring.START_BACK_RISK_LABELS[risk]


def test_start_back_all_false_is_low_and_all_true_is_high():
    assert scoring.start_back([False] * 9) == scoring.StartBackScore(0, 0, "low")
    assert scoring.start_back([True] * 9) == scoring.StartBackScore(9, 5, "high")


def test_start_back_subscale_is_items_5_to_9():
    # Items 1–4 never count towards the subscale, item 9 does.
    score = scoring.start_back([True] * 4 + [False] * 4 + [True])
    assert (score.total, score.psychosocial) == (5, 1)


@pytest.mark.parametrize(
    "answers",
    [[False] * 8, [False] * 10, [], [0] * 9, [1] * 9, ["agree"] * 9, [None] * 9],
)
def test_start_back_rejects_bad_answers(answers):
    with pytest.raises(ValueError):
        scoring.start_back(answers)


@pytest.mark.parametrize(
    ("answer", "point"),
    [
        ("not_at_all", False),
        ("slightly", False),
        ("moderately", False),
        ("very_much", True),
        ("extremely", True),
    ],
)
def test_start_back_item9(answer, point):
    assert scoring.start_back_item9(answer) is point


@pytest.mark.parametrize("answer", ["", "Very much", "very much", "quite", None, 1, True])
def test_start_back_item9_rejects_unknown_answers(answer):
    with pytest.raises(ValueError):
        scoring.start_back_item9(answer)


def test_start_back_item9_choices_are_ordered_and_all_scorable():
    values = [value for value, _ in scoring.START_BACK_ITEM9_CHOICES]
    assert values == ["not_at_all", "slightly", "moderately", "very_much", "extremely"]
    assert [scoring.start_back_item9(v) for v in values] == [False, False, False, True, True]


# --- NPRS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (5, "mild"),
        (6, "moderate"),
        (7, "moderate"),
        (8, "severe"),
        (10, "severe"),
    ],
)
def test_nprs_band(score, band):
    assert scoring.nprs_band(score) == band
    assert band in scoring.NPRS_BAND_LABELS


@pytest.mark.parametrize("score", [-1, 11, 5.0, 5.5, "5", None, True])
def test_nprs_band_rejects_invalid_scores(score):
    with pytest.raises(ValueError):
        scoring.nprs_band(score)


# --- PSFS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [
        ([3, 6, 7], 5.3),  # 5.333…
        ([4, 6, 7], 5.7),  # 5.666…
        ([5], 5.0),
        ([0, 10], 5.0),
        ([3, 4], 3.5),
        ([1, 0, 0, 0], 0.3),  # 0.25, half up (half-even gives 0.2)
        ([4, 3, 3, 3], 3.3),  # 3.25, half up (round(3.25, 1) gives 3.2)
        ([10, 10, 10, 10, 10], 10.0),
        ([0, 0, 0, 0, 1], 0.2),
    ],
)
def test_psfs_mean(ratings, mean):
    score = scoring.psfs(ratings)
    assert score.mean == mean
    assert score.count == len(ratings)
    assert score.ratings == tuple(ratings)


@pytest.mark.parametrize(
    "ratings",
    [[], [5] * 6, [11], [-1, 5], [5.5], ["7"], [True], "567"],
)
def test_psfs_rejects_bad_ratings(ratings):
    with pytest.raises(ValueError):
        scoring.psfs(ratings)


# --- Change over time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "before", "after", "important", "better"),
    [
        ("odi", 40.0, 30.0, True, True),
        ("odi", 30.0, 40.0, True, False),
        ("odi", 40.0, 30.1, False, True),
        ("odi", 35.6, 25.6, True, True),
        ("odi", 20.0, 20.0, False, False),
        ("nprs", 6, 4, True, True),
        ("nprs", 4, 6, True, False),
        ("nprs", 6, 5, False, True),
        ("nprs", 5, 6, False, False),
        ("psfs", 3.0, 5.0, True, True),
        ("psfs", 5.0, 3.0, True, False),
        ("psfs", 3.3, 5.3, True, True),  # 5.3 - 3.3 is 1.9999999999999996 in floats
        ("psfs", 5.3, 3.3, True, False),
        ("psfs", 3.0, 4.9, False, True),
        ("psfs_item", 4, 7, True, True),
        ("psfs_item", 4, 6, False, True),
        ("psfs_item", 7, 4, True, False),
    ],
)
def test_change_is_important_and_improved(measure, before, after, important, better):
    assert scoring.change_is_important(measure, before, after) is important
    assert scoring.improved(measure, before, after) is better


def test_mcids():
    assert (scoring.NPRS_MCID, scoring.PSFS_MCID_MEAN, scoring.PSFS_MCID_ITEM) == (2, 2, 3)
    assert scoring.MCID == {"odi": 10, "nprs": 2, "psfs": 2, "psfs_item": 3}


@pytest.mark.parametrize("function", [scoring.change_is_important, scoring.improved])
def test_change_rejects_unknown_measures_and_non_numbers(function):
    with pytest.raises(ValueError):
        function("vas", 5, 3)
    with pytest.raises(ValueError):
        function("nprs", None, 3)
    with pytest.raises(ValueError):
        function("nprs", 5, float("nan"))


# --- Red flags --------------------------------------------------------------------------------

DOB = datetime.date(1985, 3, 2)
ONSET = datetime.date(2026, 9, 1)  # aged 41: no age flag
CAUDA_EQUINA_CODES = [
    "bladder",
    "bowel",
    "saddle_numbness",
    "both_legs",
    "leg_weakness",
    "sexual_dysfunction",
]
SERIOUS_CODES = [
    "cancer_history",
    "weight_loss",
    "fever_unwell",
    "weak_immune_system",
    "iv_drug_use",
    "trauma",
    "osteoporosis",
    "steroids",
    "night_pain",
]


def all_no(**yes: bool) -> dict[str, bool]:
    return {flag.code: False for flag in RED_FLAGS} | yes


def test_red_flags_cover_the_domain_list_cauda_equina_first():
    assert [f.code for f in RED_FLAGS] == CAUDA_EQUINA_CODES + SERIOUS_CODES
    assert {f.code: f.group for f in RED_FLAGS} == {
        **dict.fromkeys(CAUDA_EQUINA_CODES, CAUDA_EQUINA),
        **dict.fromkeys(SERIOUS_CODES, SERIOUS),
    }
    for flag in RED_FLAGS:
        assert flag.question.endswith("?")
        assert flag.summary


def test_no_flags_no_hits():
    assert scoring.red_flags_found(all_no(), date_of_birth=DOB, onset=ONSET) == []
    assert scoring.advice_for([]) == []
    assert scoring.red_flag_groups([]) == []


@pytest.mark.parametrize("code", CAUDA_EQUINA_CODES)
def test_each_cauda_equina_flag_sends_to_the_emergency_department(code):
    hits = scoring.red_flags_found(all_no(**{code: True}), date_of_birth=DOB, onset=ONSET)
    assert [(h.code, h.group) for h in hits] == [(code, CAUDA_EQUINA)]
    assert scoring.advice_for(hits) == [RED_FLAG_ADVICE[CAUDA_EQUINA]]
    assert "emergency department today" in RED_FLAG_ADVICE[CAUDA_EQUINA]


@pytest.mark.parametrize("code", SERIOUS_CODES)
def test_each_serious_flag_means_a_call_before_the_visit(code):
    hits = scoring.red_flags_found(all_no(**{code: True}), date_of_birth=DOB, onset=ONSET)
    assert [(h.code, h.group) for h in hits] == [(code, SERIOUS)]
    assert scoring.advice_for(hits) == [RED_FLAG_ADVICE[SERIOUS]]
    assert "call you before your visit" in RED_FLAG_ADVICE[SERIOUS]


def test_hits_keep_the_red_flag_order_with_age_onset_last():
    answers = all_no(night_pain=True, bladder=True, trauma=True)
    hits = scoring.red_flags_found(answers, date_of_birth=datetime.date(1960, 1, 1), onset=ONSET)
    assert [h.code for h in hits] == ["bladder", "trauma", "night_pain", AGE_ONSET]
    assert hits[-1] == RedFlagHit(AGE_ONSET, SERIOUS, scoring.AGE_ONSET_SUMMARY)


def test_advice_is_most_urgent_first_without_duplicates():
    hits = scoring.red_flags_found(
        all_no(steroids=True, weight_loss=True, bowel=True, both_legs=True),
        date_of_birth=datetime.date(2010, 1, 1),
        onset=ONSET,
    )
    assert scoring.red_flag_groups(hits) == [CAUDA_EQUINA, SERIOUS]
    assert scoring.advice_for(hits) == [RED_FLAG_ADVICE[CAUDA_EQUINA], RED_FLAG_ADVICE[SERIOUS]]
    # Order of the hits given does not matter.
    assert scoring.advice_for(reversed(hits)) == scoring.advice_for(hits)


def test_missing_answers_count_as_not_reported():
    assert scoring.red_flags_found({}, date_of_birth=None, onset=None) == []
    hits = scoring.red_flags_found({"bowel": True}, date_of_birth=None, onset=None)
    assert [h.code for h in hits] == ["bowel"]


@pytest.mark.parametrize(
    "answers",
    [
        {"bladdr": True},  # a misspelt code must not hide a "yes"
        {"bladdr": False},
        {AGE_ONSET: True},  # computed, never asked
        {"bladder": "yes"},
        {"bladder": 1},
        {"bladder": None},
    ],
)
def test_unknown_codes_and_non_bool_answers_are_rejected(answers):
    with pytest.raises(ValueError):
        scoring.red_flags_found(all_no() | answers, date_of_birth=DOB, onset=ONSET)


@pytest.mark.parametrize(
    ("date_of_birth", "onset", "flag"),
    [
        (datetime.date(2000, 6, 15), datetime.date(2020, 6, 14), True),  # 19, day before 20
        (datetime.date(2000, 6, 15), datetime.date(2020, 6, 15), False),  # 20th birthday
        (datetime.date(2000, 6, 15), datetime.date(2020, 6, 16), False),
        (datetime.date(1970, 6, 15), datetime.date(2020, 6, 15), False),  # 50th birthday
        (datetime.date(1970, 6, 15), datetime.date(2021, 6, 14), False),  # 50, day before 51
        (datetime.date(1970, 6, 15), datetime.date(2021, 6, 15), True),  # 51st birthday
        (datetime.date(1970, 12, 31), datetime.date(2021, 1, 1), False),  # 50 by the calendar
        (datetime.date(2010, 1, 1), datetime.date(2010, 1, 1), True),
        (datetime.date(2004, 2, 29), datetime.date(2024, 2, 28), True),  # still 19
        (datetime.date(2004, 2, 29), datetime.date(2024, 2, 29), False),  # 20
        (datetime.date(2004, 2, 29), datetime.date(2023, 3, 1), True),  # 19 in a common year
        (datetime.date(1972, 2, 29), datetime.date(2023, 2, 28), False),  # 50 until 1 March
        (datetime.date(1972, 2, 29), datetime.date(2023, 3, 1), True),  # 51
    ],
)
def test_age_onset_flag_at_birthdays(date_of_birth, onset, flag):
    assert scoring.age_onset_flag(date_of_birth, onset) is flag
    hits = scoring.red_flags_found(all_no(), date_of_birth=date_of_birth, onset=onset)
    assert [(h.code, h.group) for h in hits] == ([(AGE_ONSET, SERIOUS)] if flag else [])


def test_age_onset_needs_both_dates():
    young = datetime.date(2015, 1, 1)
    assert scoring.red_flags_found(all_no(), date_of_birth=young, onset=None) == []
    assert scoring.red_flags_found(all_no(), date_of_birth=None, onset=ONSET) == []


def test_onset_before_birth_is_rejected():
    with pytest.raises(ValueError):
        scoring.age_onset_flag(datetime.date(2000, 1, 2), datetime.date(2000, 1, 1))


# --- Hypotheses -------------------------------------------------------------------------------


def test_hypotheses_list():
    codes = [code for code, _ in scoring.HYPOTHESES]
    assert codes == [
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
    ]
    assert scoring.HYPOTHESIS_LABELS["stress_fracture"] == (
        "Stress fracture suspected — refer for imaging"
    )
    assert len(set(scoring.HYPOTHESIS_LABELS.values())) == len(codes)
