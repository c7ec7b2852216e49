"""Scoring rules for the intake's clinical instruments, red flags and working hypotheses.

Pure functions over plain values: no database, no Django. Every score is computed here from the
patient's answers and never typed in. Each instrument's docstring cites the published source
summarised in the clinic's domain file (``shared/domain/clinical-instruments.md``).

Used by the questionnaire's services (red flags as each answer is saved, scores on
submission), by the re-assessment, by the staff review's selectors and presentation, and by
care plans (the hypotheses). Red flags have one home here: ``red_flags_found`` finds them in
the answers, ``red_flag_hits`` reads the stored codes back, and every page that names their
groups or the advice the patient was given takes it from ``red_flag_groups`` and
``advice_for`` (no email names them).

Rounding: wherever a score is shown to one decimal it is rounded half up (35.55 → 35.6) with
``decimal.Decimal``, never with ``round()`` on a float, which rounds halves to even and is
thrown off by binary representation (``round(3.25, 1) == 3.2``). Results hold a float already
rounded to one decimal, because that is what the models store.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def _to_decimal(value: Decimal | int | float) -> Decimal:
    # A float is read through str (its shortest repr), so 35.55 means 35.55 and not the binary
    # number just below it, and 5.3 - 3.3 is exactly 2.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise ValueError(f"Expected a number, not {value!r}.")
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        raise ValueError(f"Expected a finite number, not {value!r}.")
    return exact


def round_half_up(value: Decimal | int | float) -> Decimal:
    """``value`` rounded to one decimal, halves away from zero: 35.55 → 35.6, 0.25 → 0.3."""
    return _to_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _ratio_1dp(numerator: int, denominator: int) -> Decimal:
    # For the denominators used here (1–5 ratings; 40, 45 or 50 ODI points) the quotient is
    # exact or repeats a pattern with no 5 in it, so the 28-digit quotient cannot land on a
    # false half before quantizing.
    return round_half_up(Decimal(numerator) / Decimal(denominator))


def _is_int(value: object) -> bool:
    # bool is an int subclass; True is not a valid answer of 1.
    return isinstance(value, int) and not isinstance(value, bool)


# --- Oswestry Disability Index ------------------------------------------------------------------

ODI_SECTIONS: tuple[str, ...] = (
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
ODI_SKIPPABLE: frozenset[int] = frozenset({7})  # the sex-life section, 0-based
ODI_MIN_ANSWERED = 8
ODI_MAX_ITEM_SCORE = 5
ODI_MCID = 10  # percentage points

ODI_INCOMPLETE = "incomplete"
# (inclusive upper limit of the rounded percent, band, label), lowest first.
ODI_BANDS: tuple[tuple[int, str, str], ...] = (
    (20, "minimal", "Minimal disability"),
    (40, "moderate", "Moderate disability"),
    (60, "severe", "Severe disability"),
    (80, "crippling", "Crippling back pain"),
    (100, "bed-bound", "Bed-bound (or exaggerating symptoms)"),
)
ODI_BAND_LABELS: dict[str, str] = {
    **{band: label for _, band, label in ODI_BANDS},
    ODI_INCOMPLETE: f"Incomplete (fewer than {ODI_MIN_ANSWERED} sections answered)",
}


@dataclass(frozen=True)
class OswestryScore:
    percent: float | None  # rounded to one decimal; None when incomplete
    band: str
    band_label: str
    answered: int
    raw_sum: int

    @property
    def is_complete(self) -> bool:
        return self.percent is not None


def oswestry_band(percent: Decimal | float | int) -> str:
    """The disability band for an ODI percent (Fairbank & Pynsent, Spine 2000;25:2940–52).

    The published bands are 0–20, 21–40, 41–60, 61–80 and 81–100 and leave gaps between them.
    We band the percent *as reported*, rounded half up to one decimal, and read each band's top
    as an inclusive upper limit: ≤ 20 minimal, ≤ 40 moderate, ≤ 60 severe, ≤ 80 crippling,
    otherwise bed-bound. So 20.0 is minimal while 20.1 and 20.5 are moderate.
    """
    rounded = round_half_up(percent)
    if not Decimal(0) <= rounded <= Decimal(100):
        raise ValueError(f"An Oswestry percent is between 0 and 100, not {percent!r}.")
    for upper, band, _ in ODI_BANDS:
        if rounded <= upper:
            return band
    raise AssertionError("unreachable: the last band ends at 100")  # pragma: no cover


def oswestry(answers: Sequence[int | None]) -> OswestryScore:
    """Score the Oswestry Disability Index v2.1a (Fairbank & Pynsent, Spine 2000;25:2940–52).

    ``answers`` holds the 10 sections in the order of ``ODI_SECTIONS``, each 0–5, or None for a
    skipped section. Index % = sum ÷ (5 × sections answered) × 100, rounded half up to one
    decimal: one section skipped with a sum of 16 gives 16/45 = 35.6 %; all ten answered with a
    sum of 20 gives 40.0 %.

    Any section may be missing here (a paper form can come back with a gap); the online form
    only lets the patient skip ``ODI_SKIPPABLE``. Clinic policy: with fewer than
    ``ODI_MIN_ANSWERED`` sections answered there is no number and the band is "incomplete".
    """
    if isinstance(answers, str | bytes) or len(answers) != len(ODI_SECTIONS):
        raise ValueError(f"The Oswestry index has {len(ODI_SECTIONS)} sections.")
    for index, answer in enumerate(answers):
        if answer is None:
            continue
        if not _is_int(answer) or not 0 <= answer <= ODI_MAX_ITEM_SCORE:
            raise ValueError(
                f"Oswestry section {index + 1} ({ODI_SECTIONS[index]}) is scored "
                f"0–{ODI_MAX_ITEM_SCORE}, not {answer!r}."
            )
    given = [a for a in answers if a is not None]
    answered, raw_sum = len(given), sum(given)
    if answered < ODI_MIN_ANSWERED:
        return OswestryScore(
            percent=None,
            band=ODI_INCOMPLETE,
            band_label=ODI_BAND_LABELS[ODI_INCOMPLETE],
            answered=answered,
            raw_sum=raw_sum,
        )
    percent = _ratio_1dp(raw_sum * 100, ODI_MAX_ITEM_SCORE * answered)
    band = oswestry_band(percent)
    return OswestryScore(
        percent=float(percent),
        band=band,
        band_label=ODI_BAND_LABELS[band],
        answered=answered,
        raw_sum=raw_sum,
    )


# --- STarT Back Screening Tool ------------------------------------------------------------------

START_BACK_ITEM_COUNT = 9
START_BACK_PSYCHOSOCIAL = range(4, 9)  # items 5–9, 0-based
START_BACK_ITEM9_CHOICES: list[tuple[str, str]] = [
    ("not_at_all", "Not at all"),
    ("slightly", "Slightly"),
    ("moderately", "Moderately"),
    ("very_much", "Very much"),
    ("extremely", "Extremely"),
]
_START_BACK_ITEM9_SCORES = {
    "not_at_all": False,
    "slightly": False,
    "moderately": False,
    "very_much": True,
    "extremely": True,
}
START_BACK_RISK_LABELS: dict[str, str] = {
    "low": "Low risk",
    "medium": "Medium risk",
    "high": "High risk",
}


@dataclass(frozen=True)
class StartBackScore:
    total: int  # 0–9
    psychosocial: int  # 0–5
    risk: str  # "low", "medium" or "high"

    @property
    def risk_label(self) -> str:
        return START_BACK_RISK_LABELS[self.risk]


def start_back_item9(answer: str) -> bool:
    """Item 9 (bothersomeness) as a point (Hill et al., Arthritis Rheum 2008;59:632–41).

    "Very much" and "extremely" score 1; "not at all", "slightly" and "moderately" score 0.
    """
    if not isinstance(answer, str) or answer not in _START_BACK_ITEM9_SCORES:
        raise ValueError(f"Unknown STarT Back item 9 answer: {answer!r}.")
    return _START_BACK_ITEM9_SCORES[answer]


def start_back(answers: Sequence[bool]) -> StartBackScore:
    """Score the STarT Back Screening Tool (Hill et al., Arthritis Rheum 2008;59:632–41).

    ``answers`` are the 9 items in order, True for a point: agree for items 1–8, and item 9
    already reduced with ``start_back_item9``. Total = items 1–9 (0–9); psychosocial
    subscale = items 5–9 (0–5). Risk: subscale ≥ 4 → high; otherwise total ≤ 3 → low;
    otherwise (total ≥ 4, subscale ≤ 3) → medium.
    """
    if isinstance(answers, str | bytes) or len(answers) != START_BACK_ITEM_COUNT:
        raise ValueError(f"The STarT Back Tool has {START_BACK_ITEM_COUNT} items.")
    for index, answer in enumerate(answers):
        if not isinstance(answer, bool):
            raise ValueError(f"STarT Back item {index + 1} must be True or False, not {answer!r}.")
    total = sum(answers)
    psychosocial = sum(answers[i] for i in START_BACK_PSYCHOSOCIAL)
    if psychosocial >= 4:
        risk = "high"
    elif total <= 3:
        risk = "low"
    else:
        risk = "medium"
    return StartBackScore(total=total, psychosocial=psychosocial, risk=risk)


# --- Numeric Pain Rating Scale ------------------------------------------------------------------

NPRS_MCID = 2
NPRS_BAND_LABELS: dict[str, str] = {
    "none": "No pain",
    "mild": "Mild pain",
    "moderate": "Moderate pain",
    "severe": "Severe pain",
}


def nprs_band(score: int) -> str:
    """Display band for an NPRS score 0–10 (Boonstra et al. 2016).

    0 none, 1–5 mild, 6–7 moderate, 8–10 severe.
    """
    if not _is_int(score) or not 0 <= score <= 10:
        raise ValueError(f"An NPRS score is a whole number from 0 to 10, not {score!r}.")
    if score == 0:
        return "none"
    if score <= 5:
        return "mild"
    if score <= 7:
        return "moderate"
    return "severe"


# --- Patient-Specific Functional Scale ----------------------------------------------------------

PSFS_MIN_ACTIVITIES = 1
PSFS_MAX_ACTIVITIES = 5
PSFS_MCID_MEAN = 2
PSFS_MCID_ITEM = 3


@dataclass(frozen=True)
class PsfsScore:
    mean: float  # rounded half up to one decimal
    count: int
    ratings: tuple[int, ...]


def psfs(ratings: Sequence[int]) -> PsfsScore:
    """Score the Patient-Specific Functional Scale (Stratford et al. 1995).

    The patient rates 1 to 5 activities (3 is the norm) from 0 (unable) to 10 (as before the
    problem); the score is the mean of the ratings, rounded half up to one decimal.
    """
    if isinstance(ratings, str | bytes) or not (
        PSFS_MIN_ACTIVITIES <= len(ratings) <= PSFS_MAX_ACTIVITIES
    ):
        raise ValueError(
            f"The PSFS takes {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activity ratings."
        )
    for rating in ratings:
        if not _is_int(rating) or not 0 <= rating <= 10:
            raise ValueError(f"A PSFS rating is a whole number from 0 to 10, not {rating!r}.")
    mean = _ratio_1dp(sum(ratings), len(ratings))
    return PsfsScore(mean=float(mean), count=len(ratings), ratings=tuple(ratings))


# --- Change over time ---------------------------------------------------------------------------

# Minimal clinically important difference per measure. "psfs" is the mean of the activities;
# "psfs_item" is a single activity's rating.
MCID: dict[str, int] = {
    "odi": ODI_MCID,
    "nprs": NPRS_MCID,
    "psfs": PSFS_MCID_MEAN,
    "psfs_item": PSFS_MCID_ITEM,
}
LOWER_IS_BETTER: frozenset[str] = frozenset({"odi", "nprs"})


def _difference(measure: str, before: float, after: float) -> Decimal:
    if measure not in MCID:
        raise ValueError(f"Unknown measure {measure!r}; expected one of {sorted(MCID)}.")
    # Exact decimals, so 5.3 → 3.3 is a change of 2, not 1.9999999999999996.
    return _to_decimal(after) - _to_decimal(before)


def change_is_important(measure: str, before: float, after: float) -> bool:
    """Whether a change reaches the measure's minimal clinically important difference.

    |after − before| ≥ MCID, in either direction: ODI 10 percentage points (Fairbank & Pynsent
    2000), NPRS 2 points (Childs et al., Spine 2005;30:1331), PSFS 2 points for the mean and
    3 for one activity (Stratford et al. 1995).
    """
    return abs(_difference(measure, before, after)) >= MCID[measure]


def improved(measure: str, before: float, after: float) -> bool:
    """Whether the change goes the better way: down for ODI and NPRS, up for PSFS.

    Any change counts, however small; combine with ``change_is_important`` for a clinically
    important improvement.
    """
    difference = _difference(measure, before, after)
    return difference < 0 if measure in LOWER_IS_BETTER else difference > 0


# --- Red flags ----------------------------------------------------------------------------------

CAUDA_EQUINA = "cauda_equina"
SERIOUS = "serious"
RED_FLAG_GROUP_ORDER: tuple[str, ...] = (CAUDA_EQUINA, SERIOUS)  # most urgent first
AGE_ONSET = "age_onset"
AGE_ONSET_YOUNGEST = 20  # first onset younger than this is a flag
AGE_ONSET_OLDEST = 50  # first onset older than this is a flag


@dataclass(frozen=True)
class RedFlag:
    code: str
    group: str
    question: str  # asked of the patient, yes / no
    summary: str  # short wording for staff


@dataclass(frozen=True)
class RedFlagHit:
    code: str
    group: str
    summary: str


# NICE CKS low back pain pathways as used by NHS trusts; the questions are our own plain wording.
RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "bladder",
        CAUDA_EQUINA,
        "Since your back pain started, have you had new difficulty passing urine, "
        "or lost control of your bladder?",
        "New difficulty passing urine or loss of bladder control",
    ),
    RedFlag(
        "bowel",
        CAUDA_EQUINA,
        "Since your back pain started, have you lost control of your bowels, or soiled "
        "yourself without meaning to?",
        "New loss of bowel control",
    ),
    RedFlag(
        "saddle_numbness",
        CAUDA_EQUINA,
        "Have you noticed numbness or a strange feeling around your genitals, buttocks or "
        "inner thighs (the parts that would touch a bicycle saddle)?",
        "Saddle numbness or altered sensation",
    ),
    RedFlag(
        "both_legs",
        CAUDA_EQUINA,
        "Do you have pain, numbness or weakness in both legs?",
        "Pain, numbness or weakness in both legs",
    ),
    RedFlag(
        "leg_weakness",
        CAUDA_EQUINA,
        "Is there weakness in your leg or legs that is severe or getting worse, or has the way "
        "you walk changed recently?",
        "Severe or worsening leg weakness, or new change in gait",
    ),
    RedFlag(
        "sexual_dysfunction",
        CAUDA_EQUINA,
        "Since your back pain started, have you had new problems with sex, such as loss of "
        "feeling, or trouble getting an erection or reaching orgasm?",
        "New sexual dysfunction",
    ),
    RedFlag(
        "cancer_history",
        SERIOUS,
        "Have you ever had cancer?",
        "History of cancer",
    ),
    RedFlag(
        "weight_loss",
        SERIOUS,
        "Have you lost weight recently without trying to?",
        "Unexplained weight loss",
    ),
    RedFlag(
        "fever_unwell",
        SERIOUS,
        "Have you had a fever, or felt generally unwell, along with your back pain?",
        "Fever or feeling unwell",
    ),
    RedFlag(
        "weak_immune_system",
        SERIOUS,
        "Is your immune system weakened, for example by HIV, chemotherapy, an organ transplant "
        "or medicine that suppresses it?",
        "Weakened immune system",
    ),
    RedFlag(
        "iv_drug_use",
        SERIOUS,
        "Have you ever injected drugs that were not prescribed for you?",
        "Intravenous drug use",
    ),
    RedFlag(
        "trauma",
        SERIOUS,
        "Did your back pain start after a bad fall, an accident or a hard blow to your back?",
        "Significant fall or trauma",
    ),
    RedFlag(
        "osteoporosis",
        SERIOUS,
        "Have you been told you have osteoporosis (thin or weak bones)?",
        "Osteoporosis",
    ),
    RedFlag(
        "steroids",
        SERIOUS,
        "Have you taken steroid tablets or injections, such as prednisone, for three months "
        "or longer?",
        "Long-term steroid use",
    ),
    RedFlag(
        "night_pain",
        SERIOUS,
        "Is your back pain there all night, without easing when you rest or change position?",
        "Constant night pain not eased by rest or position",
    ),
)
RED_FLAGS_BY_CODE: dict[str, RedFlag] = {flag.code: flag for flag in RED_FLAGS}
AGE_ONSET_SUMMARY = (
    f"First onset of back pain before age {AGE_ONSET_YOUNGEST} or after {AGE_ONSET_OLDEST}"
)

RED_FLAG_ADVICE: dict[str, str] = {
    CAUDA_EQUINA: (
        "Some of your answers can be a sign of pressure on the nerves at the bottom of your "
        "spine, which needs to be checked urgently. Please go to an emergency department "
        "today. Do not wait for your appointment. If you cannot get there safely, call 911."
    ),
    SERIOUS: (
        "Some of your answers mean we would like to check a few things before we treat your "
        "back. The clinic will call you before your visit. Please also see a doctor promptly, "
        "within the next few days."
    ),
}


def _age_in_years(date_of_birth: datetime.date, on: datetime.date) -> int:
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def age_onset_flag(date_of_birth: datetime.date, onset: datetime.date) -> bool:
    """Whether the age at first onset is a red flag: younger than 20 or older than 50.

    Age is counted in whole years (it goes up on the birthday itself; someone born on 29
    February turns a year older on 1 March in other years). Source: NICE CKS low back pain.
    """
    if onset < date_of_birth:
        raise ValueError("The pain cannot have started before the date of birth.")
    age = _age_in_years(date_of_birth, onset)
    return age < AGE_ONSET_YOUNGEST or age > AGE_ONSET_OLDEST


def red_flags_found(
    answers: Mapping[str, bool],
    *,
    date_of_birth: datetime.date | None,
    onset: datetime.date | None,
) -> list[RedFlagHit]:
    """The red flags present, in ``RED_FLAGS`` order, then the computed age-at-onset flag.

    Source: NICE CKS low back pain pathways as used by NHS trusts. ``answers`` maps codes from
    ``RED_FLAGS`` to True (yes) or False (no); a code left out counts as not reported.
    An unknown code, or a value that is not a bool, raises ValueError rather than being
    ignored: a misspelt code must never hide a "yes". "age_onset" is not asked; it is computed
    from ``date_of_birth`` and ``onset`` when both are known.
    """
    unknown = sorted(set(answers) - set(RED_FLAGS_BY_CODE))
    if unknown:
        raise ValueError(f"Unknown red-flag codes: {', '.join(map(str, unknown))}.")
    for code, value in answers.items():
        if not isinstance(value, bool):
            raise ValueError(f"Red flag {code!r} must be True or False, not {value!r}.")
    hits = [
        RedFlagHit(code=flag.code, group=flag.group, summary=flag.summary)
        for flag in RED_FLAGS
        if answers.get(flag.code) is True
    ]
    if date_of_birth is not None and onset is not None and age_onset_flag(date_of_birth, onset):
        hits.append(RedFlagHit(code=AGE_ONSET, group=SERIOUS, summary=AGE_ONSET_SUMMARY))
    return hits


def red_flag_hits(codes: Iterable[str]) -> list[RedFlagHit]:
    """The red flags behind codes stored on an intake, most urgent group first.

    ``codes`` are the ``code`` of each hit ``red_flags_found`` returned (what
    ``IntakeAssessment.red_flags`` holds); within a group they keep their stored order. The
    computed age-at-onset flag is serious. A code no longer in ``RED_FLAGS`` counts as serious
    too, so a retired question can never hide a stored "yes".
    """
    hits = []
    for code in codes:
        flag = RED_FLAGS_BY_CODE.get(code)
        if flag is not None:
            hits.append(RedFlagHit(code=code, group=flag.group, summary=flag.summary))
        elif code == AGE_ONSET:
            hits.append(RedFlagHit(code=code, group=SERIOUS, summary=AGE_ONSET_SUMMARY))
        else:
            hits.append(RedFlagHit(code=code, group=SERIOUS, summary=code))
    order = {group: n for n, group in enumerate(RED_FLAG_GROUP_ORDER)}
    return sorted(hits, key=lambda hit: order[hit.group])


def red_flag_groups(hits: Iterable[RedFlagHit]) -> list[str]:
    """The distinct groups among ``hits``, most urgent (cauda equina) first."""
    present = {hit.group for hit in hits}
    return [group for group in RED_FLAG_GROUP_ORDER if group in present]


def advice_for(hits: Iterable[RedFlagHit]) -> list[str]:
    """The advice the patient sees, on the red-flag step as soon as they answer and on the
    done page: one line per group, most urgent first."""
    return [RED_FLAG_ADVICE[group] for group in red_flag_groups(hits)]


# --- Working hypotheses -------------------------------------------------------------------------

# For the therapist's evaluation. The causes named in the clinic's articles (clinic-articles/),
# with the sacral stress fracture from Shah & Stewart, Spine 2002, worded as an action.
HYPOTHESES: tuple[tuple[str, str], ...] = (
    ("strain_overuse", "Muscle strain / overuse"),
    (
        "muscle_imbalance",
        "Muscle imbalance (weak deep core and glutes, tight hip flexors and hamstrings)",
    ),
    ("facet_joint", "Facet joint irritation"),
    ("sacroiliac_joint", "Sacroiliac joint dysfunction"),
    ("herniated_disc", "Herniated disc"),
    ("sciatica", "Sciatica / radicular pain"),
    ("stress_fracture", "Stress fracture suspected — refer for imaging"),
    ("running_form", "Poor running form (overstriding, forward lean)"),
    ("shoes_surfaces", "Worn-out shoes / hard surfaces"),
    ("training_load", "Overtraining / training-load error"),
)
HYPOTHESIS_LABELS: dict[str, str] = dict(HYPOTHESES)
