"""Reads for the staff side of the intake: lists, the review screen, outcomes.

Which intakes a user may see is ``clinic.access`` (``intakes_clinical`` for answers,
``intakes_status`` for the desk's status-only view); every list here starts from those.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clinic import access
from intake import charts, schema, scoring
from intake.models import IntakeAssessment, OutcomeMeasure, ReassessmentRequest

# --- Counts for staff ----------------------------------------------------------------------------


def urgent_intake_count(*, user) -> int:
    """Unacknowledged urgent intakes: a therapist's own; everyone's for the desk and admins.

    One query.
    """
    return (
        access.intakes_status(user=user)
        .filter(is_urgent=True, urgent_acknowledged_at__isnull=True)
        .count()
    )


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


@dataclass(frozen=True)
class Change:
    """How a score moved since an earlier measure, judged by intake.scoring's MCID rules."""

    measure: str
    since: datetime.date
    before: float
    after: float

    @property
    def delta(self) -> float:
        return float(Decimal(str(self.after)) - Decimal(str(self.before)))

    @property
    def important(self) -> bool:
        return scoring.change_is_important(self.measure, self.before, self.after)

    @property
    def improved(self) -> bool:
        return scoring.improved(self.measure, self.before, self.after)

    @property
    def worse(self) -> bool:
        return self.delta != 0 and not self.improved

    @property
    def text(self) -> str:
        sign = "+" if self.delta > 0 else "−" if self.delta < 0 else "±"
        return f"{sign}{_num(abs(self.delta))}{MEASURE_UNITS[self.measure]}"


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


def psfs_score(mean: float | None, activities=(), change: Change | None = None) -> Score | None:
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


def _changes(current: OutcomeMeasure | None, previous: OutcomeMeasure | None) -> dict:
    """The change in each score from ``previous`` to ``current``, where both have it."""
    if current is None or previous is None:
        return {}
    since = timezone.localdate(previous.measured_at)
    changes = {}
    for key, attr in (("odi", "odi_percent"), ("nprs", "nprs"), ("psfs", "psfs_mean")):
        before, after = getattr(previous, attr), getattr(current, attr)
        if before is not None and after is not None:
            changes[key] = Change(measure=key, since=since, before=before, after=after)
    return changes


# --- The list -----------------------------------------------------------------------------------

LIST_RELATED = ("patient", "appointment__location", "appointment__therapist__user")


def intake_review_list(*, user) -> QuerySet[IntakeAssessment]:
    """Submitted intakes ``user`` may see: urgent and unacknowledged first, then newest.

    One query (patient, appointment, location and therapist joined in).
    """
    return (
        access.intakes_status(user=user)
        .filter(status=IntakeAssessment.Status.SUBMITTED)
        .select_related(*LIST_RELATED)
        .annotate(
            needs_action=Case(
                When(is_urgent=True, urgent_acknowledged_at__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-needs_action", "-submitted_at", "-pk")
    )


def intake_started_list(*, user, limit: int = 50) -> QuerySet[IntakeAssessment]:
    """Intakes the patient has started but not sent, most recently touched first."""
    return (
        access.intakes_status(user=user)
        .filter(status=IntakeAssessment.Status.IN_PROGRESS)
        .select_related(*LIST_RELATED)
        .order_by("-updated_at", "-pk")[:limit]
    )


def list_badges(intake: IntakeAssessment) -> list[Score]:
    """The compact scores on a list row: ODI and STarT Back risk."""
    badges = [odi_score(intake.odi_percent, intake.odi_band)]
    start_back = start_back_score(intake)
    if start_back:
        badges.append(start_back)
    return badges


# --- The review screen --------------------------------------------------------------------------


def _labels(choices, values) -> list[str]:
    names = dict(choices)
    return [names.get(v, v) for v in values or []]


@dataclass
class RedFlagLine:
    code: str
    group: str
    question: str
    summary: str


@dataclass
class Review:
    intake: IntakeAssessment
    red_flags: list[RedFlagLine]
    red_flag_advice: list[str]
    scores: list[Score]
    pain: dict
    running: dict
    history: dict
    goals: schema.Goals | None  # None until the patient answers the step
    outcomes: "Outcomes"
    pending_reassessments: list[ReassessmentRequest] = field(default_factory=list)


def red_flag_lines(codes: list[str]) -> list[RedFlagLine]:
    """Each flag in the patient's own question wording, most urgent group first."""
    lines = []
    for hit in scoring.red_flag_hits(codes):
        flag = scoring.RED_FLAGS_BY_CODE.get(hit.code)
        if flag is not None:
            question = flag.question
        elif hit.code == scoring.AGE_ONSET:
            question = "Computed from date of birth and onset (not asked)."
        else:
            question = hit.code
        lines.append(RedFlagLine(hit.code, hit.group, question, hit.summary))
    return lines


def intake_review_get(*, user, pk: int) -> Review:
    """Everything the therapist's review screen shows, in a fixed number of queries.

    Raises IntakeAssessment.DoesNotExist when ``user`` may not read this intake.
    """
    intake = (
        access.intakes_clinical(user=user)
        .select_related(
            "patient",
            "appointment__location",
            "appointment__appointment_type",
            "appointment__therapist__user",
            "urgent_acknowledged_by",
            "clinical_assessment__therapist__user",
        )
        .get(pk=pk)
    )
    outcomes = outcome_history(patient=intake.patient)
    own = next((m for m in outcomes.measures if m.intake_id == intake.pk), None)
    earlier = [m for m in outcomes.measures if own is not None and m.measured_at < own.measured_at]
    changes = _changes(own, earlier[-1] if earlier else None)

    answers = intake.answers
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

    hits = scoring.red_flag_hits(intake.red_flags)
    pain = schema.pain(answers)
    running = schema.running(answers)
    history = schema.history(answers)
    return Review(
        intake=intake,
        red_flags=red_flag_lines(intake.red_flags),
        red_flag_advice=scoring.advice_for(hits),
        scores=scores,
        pain={
            "areas": _labels(schema.PAIN_AREAS, pain.areas),
            "legs": dict(schema.LEG_SIDES).get(pain.legs, ""),
            "times": _labels(schema.PAIN_TIMES, pain.times),
            "onset_date": pain.onset_date,
            "onset_how": dict(schema.ONSET).get(pain.onset_how, ""),
            "onset_story": pain.onset_story,
        },
        running={
            # What was typed, when the step is answered; the rest is worked out from it.
            **(asdict(running) if schema.is_answered(answers, schema.RUNNING) else {}),
            "weekly_mi": _km_to_mi(running.weekly_km),
            "longest_run_mi": _km_to_mi(running.longest_run_km),
            "recent_changes": _labels(schema.TRAINING_CHANGES, running.recent_changes),
            "surfaces": _labels(schema.SURFACES, running.surfaces),
            "next_race_date": running.next_race_date,
            "shoes_worn": (running.shoe_miles or 0) >= SHOE_MILES_WORN,
        },
        history={
            **(asdict(history) if schema.is_answered(answers, schema.HISTORY) else {}),
            "previous_episodes": history.previous_episodes,
            "imaging": _labels(schema.IMAGING, history.imaging),
        },
        goals=goals,
        outcomes=outcomes,
        pending_reassessments=list(
            ReassessmentRequest.objects.filter(patient=intake.patient, completed__isnull=True)
            .select_related("requested_by__user")
            .order_by("-requested_at")
        ),
    )


# The clinic's articles: replace running shoes every 300–500 miles.
SHOE_MILES_WORN = 300


def _km_to_mi(km: float | None) -> float | None:
    if km is None:
        return None
    return float((Decimal(str(km)) / schema.KM_PER_MILE).quantize(Decimal("0.1")))


# --- Outcomes over time -------------------------------------------------------------------------


@dataclass
class OutcomeRow:
    measure: OutcomeMeasure
    when: datetime.date
    scores: list[Score]


@dataclass
class Outcomes:
    measures: list[OutcomeMeasure]
    rows: list[OutcomeRow]
    charts: list[dict]

    @property
    def has_follow_up(self) -> bool:
        return len(self.measures) > 1


CHART_SPECS = (
    # (measure, attribute, title, axis max, tick step, lower is better, unit)
    ("odi", "odi_percent", "Oswestry Disability Index (%)", 100, 20, True, "%"),
    ("nprs", "nprs", "Pain now (NPRS, 0–10)", 10, 2, True, ""),
    ("psfs", "psfs_mean", "Patient-Specific Functional Scale (mean, 0–10)", 10, 2, False, ""),
)
CHART_CAPTION = (
    "The shaded band is the first measure ± the minimal clinically important difference "
    "(ODI 10 points, pain 2 points, PSFS 2 points). A filled dot is on or beyond the edge of the "
    "band: a clinically important change from the first measure. An open dot is inside it."
)


def outcome_history(*, patient) -> Outcomes:
    """All of a patient's measures, oldest first, with each row's change since the one before
    and one SVG chart per score. One query."""
    measures = list(OutcomeMeasure.objects.filter(patient=patient).order_by("measured_at", "pk"))
    rows = []
    for index, measure in enumerate(measures):
        changes = _changes(measure, measures[index - 1] if index else None)
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
    for key, attr, title, y_max, y_step, lower_is_better, unit in CHART_SPECS:
        series = [(timezone.localdate(m.measured_at), getattr(m, attr)) for m in measures]
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
            chart_id=f"chart-{key}-{patient.pk}",
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
    return Outcomes(measures=measures, rows=rows, charts=chart_list)


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 (escaped in intake.charts.line_chart)


# --- Re-assessment ------------------------------------------------------------------------------


def reassessment_activities(*, reassessment: ReassessmentRequest) -> list[schema.Goal]:
    """The PSFS activities the patient named on their intake, to be rated again.

    From the patient's latest intake submitted before the request (or, failing that, their
    latest submitted intake). One query.
    """
    submitted = IntakeAssessment.objects.filter(
        patient_id=reassessment.patient_id, status=IntakeAssessment.Status.SUBMITTED
    ).annotate(
        before_request=Case(
            When(submitted_at__lte=reassessment.requested_at, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    intake = submitted.order_by("-before_request", "-submitted_at", "-pk").first()
    if intake is None:
        return []
    return schema.goals(intake.answers).activities
