"""How intake data is shown to staff and on the patient's outcome page: score cards and
badges with their tones, bands and meanings; red-flag lines with their badges; labels for
the stored answers; and the outcome charts, marked safe for templates.

Used by the review and re-assessment pages (intake/views/review.py and reassessment.py),
which pass it what intake/selectors.py read, and by the templates under
templates/intake/staff/. Tones are Bootstrap's contextual colours. The rules behind the
bands and changes are intake.scoring's; this module only puts words and colours on them.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clinic.formatting import local_datetime
from intake import charts, schema, scoring
from intake.models import IntakeAssessment, OutcomeMeasure, ReassessmentRequest
from intake.selectors import MEASURE_FIELDS, Change, IntakeReview, OutcomeHistory

# --- Scores as shown everywhere -----------------------------------------------------------------

START_BACK_MEANING = {
    "low": "Low risk of persistent disabling pain: advice, reassurance and a simple exercise "
    "plan are usually enough.",
    "medium": "Medium risk: physical factors dominate; standard physical therapy is indicated.",
    "high": "High risk: worries and low mood are prominent; use a psychologically informed "
    "approach alongside physical therapy.",
}
ODI_MEANING = {
    "minimal": "Copes with most daily activities; advice on lifting, sitting and exercise.",
    "moderate": "More pain and difficulty sitting, lifting and standing; conservative care "
    "usually suffices.",
    "severe": "Pain is the main problem in daily life; needs a detailed assessment.",
    "crippling": "Back pain affects every part of life; active intervention is needed.",
    "bed-bound": "Bed-bound, or the answers overstate the problem; check with the patient.",
    scoring.ODI_INCOMPLETE: "Too few sections answered to give a number.",
}
TONE = {
    "minimal": "success",
    "moderate": "warning",
    "severe": "danger",
    "crippling": "danger",
    "bed-bound": "danger",
    "low": "success",
    "medium": "warning",
    "high": "danger",
    "none": "success",
    "mild": "info",
}
NPRS_TONE = {"none": "success", "mild": "info", "moderate": "warning", "severe": "danger"}
MEASURE_UNITS = {"odi": " points", "nprs": "", "psfs": ""}


def _num(value: float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.1'))}".removesuffix(".0")


def change_text(change: Change) -> str:
    """The change as a signed number with its unit: "−9 points", "+2.4", "±0"."""
    sign = "+" if change.delta > 0 else "−" if change.delta < 0 else "±"
    return f"{sign}{_num(abs(change.delta))}{MEASURE_UNITS[change.measure]}"


@dataclass(frozen=True)
class Score:
    """One score ready to show: the partial intake/staff/_score.html draws every one alike."""

    key: str
    name: str
    short: str
    value: str
    band: str = ""
    tone: str = "secondary"
    meaning: str = ""
    details: tuple[str, ...] = ()
    change: Change | None = None

    @property
    def change_text(self) -> str:
        return change_text(self.change) if self.change else ""


def odi_score(percent: float | None, band: str = "", change: Change | None = None) -> Score:
    band = scoring.ODI_INCOMPLETE if percent is None else band or scoring.oswestry_band(percent)
    return Score(
        key="odi",
        name="Oswestry Disability Index",
        short="ODI",
        value="—" if percent is None else f"{_num(percent)}%",
        band=scoring.ODI_BAND_LABELS.get(band, band),
        tone=TONE.get(band, "secondary"),
        meaning=ODI_MEANING.get(band, ""),
        change=change,
    )


def start_back_score(intake: IntakeAssessment) -> Score | None:
    if not intake.start_back_risk:
        return None
    risk = intake.start_back_risk
    return Score(
        key="start_back",
        name="STarT Back",
        short="STarT Back",
        value=f"{intake.start_back_total}/9",
        band=scoring.START_BACK_RISK_LABELS.get(risk, risk),
        tone=TONE.get(risk, "secondary"),
        meaning=START_BACK_MEANING.get(risk, ""),
        details=(f"Psychosocial subscale {intake.start_back_psychosocial}/5",),
    )


def nprs_score(now: int | None, *, best=None, worst=None, change: Change | None = None) -> Score:
    band = scoring.nprs_band(now) if now is not None else ""
    details = []
    if best is not None:
        details.append(
            f"Best last week {best} ({scoring.NPRS_BAND_LABELS[scoring.nprs_band(best)]})"
        )
    if worst is not None:
        details.append(
            f"Worst last week {worst} ({scoring.NPRS_BAND_LABELS[scoring.nprs_band(worst)]})"
        )
    return Score(
        key="nprs",
        name="Pain now (NPRS)",
        short="Pain",
        value="—" if now is None else f"{now}/10",
        band=scoring.NPRS_BAND_LABELS.get(band, ""),
        tone=NPRS_TONE.get(band, "secondary"),
        meaning="0 = no pain, 10 = worst imaginable.",
        details=tuple(details),
        change=change,
    )


def psfs_score(
    mean: float | None, activities: list[schema.Goal] = (), change: Change | None = None
) -> Score | None:
    if mean is None:
        return None
    return Score(
        key="psfs",
        name="Patient-Specific Functional Scale",
        short="PSFS",
        value=f"{_num(mean)}/10",
        meaning="Mean of the activities the patient finds hard: 0 = unable, 10 = as before.",
        details=tuple(f"{a['activity']}: {a['rating']}/10" for a in activities),
        change=change,
    )


def list_badges(intake: IntakeAssessment) -> list[Score]:
    """The compact scores on a list row: ODI and STarT Back risk."""
    badges = [odi_score(intake.odi_percent, intake.odi_band)]
    start_back = start_back_score(intake)
    if start_back:
        badges.append(start_back)
    return badges


# --- Red flags ----------------------------------------------------------------------------------

# (tone, label) of the badge beside each flag, by group.
RED_FLAG_BADGES = {
    scoring.CAUDA_EQUINA: ("danger", "possible cauda equina"),
    scoring.SERIOUS: ("warning", "possible serious cause"),
}
AGE_ONSET_QUESTION = "Computed from date of birth and onset (not asked)."


YES_NO_LABELS = {True: "Yes", False: "No"}


@dataclass(frozen=True)
class AnswerAt:
    """One red-flag answer as given: "Yes" or "No", and when, on the location's clock."""

    answer: str
    when: str


@dataclass(frozen=True)
class RedFlagLine:
    code: str
    group: str
    question: str  # the patient's own question wording
    summary: str
    tone: str
    label: str
    answers: tuple[AnswerAt, ...] = ()  # every answer given, oldest first
    answer_now: str = "Yes"  # the latest answer ("Yes" for the computed flag)

    @property
    def changed(self) -> bool:
        """The patient answered yes, then changed it."""
        return self.answer_now != "Yes"


def _answers_by_code(answers, zone) -> dict[str, list[AnswerAt]]:
    by_code: dict[str, list[AnswerAt]] = {}
    for given in answers:
        by_code.setdefault(given.code, []).append(
            AnswerAt(YES_NO_LABELS[given.answer], local_datetime(given.answered_at, zone))
        )
    return by_code


def red_flag_lines(
    hits: list[scoring.RedFlagHit], answers=(), zone: datetime.tzinfo | str = ""
) -> list[RedFlagLine]:
    """Each flag in the patient's own question wording, in the order of ``hits``, with every
    answer the patient gave to it (``RedFlagAnswer`` rows, oldest first) and when."""
    by_code = _answers_by_code(answers, zone or settings.TIME_ZONE)
    lines = []
    for hit in hits:
        flag = scoring.RED_FLAGS_BY_CODE.get(hit.code)
        if flag is not None:
            question = flag.question
        elif hit.code == scoring.AGE_ONSET:
            question = AGE_ONSET_QUESTION
        else:
            question = hit.code
        tone, label = RED_FLAG_BADGES[hit.group]
        given = tuple(by_code.get(hit.code, ()))
        lines.append(
            RedFlagLine(
                hit.code,
                hit.group,
                question,
                hit.summary,
                tone,
                label,
                answers=given,
                answer_now=given[-1].answer if given else "Yes",
            )
        )
    return lines


@dataclass(frozen=True)
class RedFlagQuestion:
    """A red-flag question and the patient's latest answer, for the table of them all."""

    code: str
    question: str
    answer: str  # "Yes", "No" or "—" when not answered
    when: str
    changes: int  # how many times the answer changed after the first


def red_flag_questions(answers=(), zone: datetime.tzinfo | str = "") -> list[RedFlagQuestion]:
    """Every red-flag question in the order asked, with its latest answer and when."""
    by_code = _answers_by_code(answers, zone or settings.TIME_ZONE)
    rows = []
    for flag in scoring.RED_FLAGS:
        given = by_code.get(flag.code, [])
        last = given[-1] if given else AnswerAt("—", "")
        changes = max(len(given) - 1, 0)
        rows.append(RedFlagQuestion(flag.code, flag.question, last.answer, last.when, changes))
    return rows


@dataclass(frozen=True)
class Acknowledgement:
    who: str
    when: str
    action: str
    note: str


def acknowledgements(rows, zone: datetime.tzinfo | str = "") -> list[Acknowledgement]:
    """What clinicians recorded each time they acknowledged the intake, oldest first."""
    zone = zone or settings.TIME_ZONE
    return [
        Acknowledgement(
            who=str(row.acknowledged_by),
            when=local_datetime(row.acknowledged_at, zone),
            action=row.get_action_display(),
            note=row.note,
        )
        for row in rows
    ]


# --- The answers --------------------------------------------------------------------------------

# The clinic's articles: replace running shoes every 300–500 miles.
SHOE_MILES_WORN = 300


def _labels(choices, values) -> list[str]:
    names = dict(choices)
    return [names.get(v, v) for v in values or []]


def _km_to_mi(km: float | None) -> float | None:
    if km is None:
        return None
    return float((Decimal(str(km)) / schema.KM_PER_MILE).quantize(Decimal("0.1")))


def pain_facts(answers: dict) -> dict:
    pain = schema.pain(answers)
    return {
        "areas": _labels(schema.PAIN_AREAS, pain.areas),
        "legs": dict(schema.LEG_SIDES).get(pain.legs, ""),
        "times": _labels(schema.PAIN_TIMES, pain.times),
        "onset_date": pain.onset_date,
        "onset_how": dict(schema.ONSET).get(pain.onset_how, ""),
        "onset_story": pain.onset_story,
    }


def running_facts(answers: dict) -> dict:
    """What the patient typed (once the step is answered), with both units and labels."""
    running = schema.running(answers)
    return {
        **(asdict(running) if schema.is_answered(answers, schema.RUNNING) else {}),
        "weekly_mi": _km_to_mi(running.weekly_km),
        "longest_run_mi": _km_to_mi(running.longest_run_km),
        "recent_changes": _labels(schema.TRAINING_CHANGES, running.recent_changes),
        "surfaces": _labels(schema.SURFACES, running.surfaces),
        "next_race_date": running.next_race_date,
        "shoes_worn": (running.shoe_miles or 0) >= SHOE_MILES_WORN,
        "shoes": shoes_line(running.shoe_model, running.shoe_miles),
    }


def shoes_line(model: str | None, miles: int | None) -> str:
    """The shoes in words: "Pegasus, about 450 mi (due for replacing: past 300 mi)"; "Not given"
    when neither was typed."""
    parts = [model.strip()] if model and model.strip() else []
    if miles is not None:
        parts.append(f"about {miles} mi")
    if not parts:
        return "Not given"
    text = ", ".join(parts)
    text = text[0].upper() + text[1:]
    if (miles or 0) >= SHOE_MILES_WORN:
        text += f" (due for replacing at {SHOE_MILES_WORN} mi or more)"
    return text


def history_facts(answers: dict) -> dict:
    history = schema.history(answers)
    return {
        **(asdict(history) if schema.is_answered(answers, schema.HISTORY) else {}),
        "previous_episodes": history.previous_episodes,
        "imaging": _labels(schema.IMAGING, history.imaging),
    }


def hypothesis_labels(codes: list[str]) -> list[str]:
    return [scoring.HYPOTHESIS_LABELS.get(code, code) for code in codes]


# --- Outcomes over time -------------------------------------------------------------------------


@dataclass
class OutcomeRow:
    measure: OutcomeMeasure
    when: datetime.date
    scores: list[Score]


@dataclass
class Outcomes:
    """What templates/intake/staff/_outcomes.html draws: a row per measure, a chart per score."""

    measures: list[OutcomeMeasure]
    rows: list[OutcomeRow]
    charts: list[dict]

    @property
    def has_follow_up(self) -> bool:
        return len(self.measures) > 1


CHART_SPECS = (
    # (measure, title, axis max, tick step, lower is better, unit)
    ("odi", "Oswestry Disability Index (%)", 100, 20, True, "%"),
    ("nprs", "Pain now (NPRS, 0–10)", 10, 2, True, ""),
    ("psfs", "Patient-Specific Functional Scale (mean, 0–10)", 10, 2, False, ""),
)
CHART_CAPTION = (
    "The shaded band is the first measure ± the minimal clinically important difference "
    "(ODI 10 points, pain 2 points, PSFS 2 points). A filled dot is on or beyond the edge of the "
    "band: a clinically important change from the first measure. An open dot is inside it."
)


def outcomes(history: OutcomeHistory) -> Outcomes:
    """Each measure's scores with the change since the one before, and one SVG chart per
    score, each point judged against the first measure by the scoring rules."""
    rows = []
    for measure, changes in zip(history.measures, history.changes, strict=True):
        row_scores = [
            odi_score(measure.odi_percent, change=changes.get("odi")),
            nprs_score(measure.nprs, change=changes.get("nprs")),
        ]
        psfs = psfs_score(measure.psfs_mean, change=changes.get("psfs"))
        if psfs:
            row_scores.append(psfs)
        rows.append(
            OutcomeRow(
                measure=measure, when=timezone.localdate(measure.measured_at), scores=row_scores
            )
        )
    chart_list = []
    for key, title, y_max, y_step, lower_is_better, unit in CHART_SPECS:
        series = [
            (timezone.localdate(m.measured_at), getattr(m, MEASURE_FIELDS[key]))
            for m in history.measures
        ]
        series = [(day, value) for day, value in series if value is not None]
        first = series[0][1] if series else None
        points = [
            charts.Point(
                when=day,
                value=value,
                important=index > 0 and scoring.change_is_important(key, first, value),
            )
            for index, (day, value) in enumerate(series)
        ]
        svg = charts.line_chart(
            chart_id=f"chart-{key}-{history.patient_id}",
            title=title,
            points=points,
            y_max=y_max,
            y_step=y_step,
            mcid=scoring.MCID[key],
            lower_is_better=lower_is_better,
            unit=unit,
        )
        # line_chart escapes every text it writes, so its markup is safe to insert as is.
        chart_list.append({"key": key, "title": title, "svg": _safe(svg), "count": len(points)})
    return Outcomes(measures=history.measures, rows=rows, charts=chart_list)


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 (escaped in intake.charts.line_chart)


# --- The review page ----------------------------------------------------------------------------


@dataclass
class ReviewPage:
    """What templates/intake/staff/review.html shows of one intake."""

    intake: IntakeAssessment
    red_flags: list[RedFlagLine]
    red_flag_advice: list[str]
    red_flag_questions: list[RedFlagQuestion]
    acknowledgements: list[Acknowledgement]
    scores: list[Score]
    pain: dict
    running: dict
    history: dict
    goals: schema.Goals | None  # None until the patient answers the step
    outcomes: Outcomes
    pending_reassessments: list[ReassessmentRequest] = field(default_factory=list)


def review_page(review: IntakeReview) -> ReviewPage:
    intake, changes, answers = review.intake, review.changes, review.intake.answers
    goals = schema.goals(answers) if schema.is_answered(answers, schema.GOALS) else None
    scores = [odi_score(intake.odi_percent, intake.odi_band, changes.get("odi"))]
    start_back = start_back_score(intake)
    if start_back:
        scores.append(start_back)
    scores.append(
        nprs_score(
            intake.nprs_now,
            best=intake.nprs_best,
            worst=intake.nprs_worst,
            change=changes.get("nprs"),
        )
    )
    psfs = psfs_score(intake.psfs_mean, goals.activities if goals else [], changes.get("psfs"))
    if psfs:
        scores.append(psfs)
    zone = intake.appointment.location.zone if intake.appointment_id else settings.TIME_ZONE
    return ReviewPage(
        intake=intake,
        red_flags=red_flag_lines(review.red_flags, review.red_flag_answers, zone),
        red_flag_advice=review.red_flag_advice,
        red_flag_questions=red_flag_questions(review.red_flag_answers, zone),
        acknowledgements=acknowledgements(review.acknowledgements, zone),
        scores=scores,
        pain=pain_facts(answers),
        running=running_facts(answers),
        history=history_facts(answers),
        goals=goals,
        outcomes=outcomes(review.outcomes),
        pending_reassessments=review.pending_reassessments,
    )
