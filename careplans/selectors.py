"""Reads for care plans: the library, cautions, versions, adherence, pain, flare-ups, and the
plan card of the patient's home page (``patient_home_section``).

Who may see a patient's plans is ``clinic.access`` (``patients_for_care`` and
``careplans_for_staff`` for staff, ``careplans_for_patient`` for the patient).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from careplans import outcomes
from careplans.library_file import library_current
from careplans.models import (
    CarePlan,
    CarePlanTemplate,
    Equipment,
    Exercise,
    PainFlare,
    PrescribedExercise,
    SessionLog,
)
from clinic import access
from clinic.models import Appointment, Patient
from intake.models import ClinicalAssessment, IntakeAssessment
from intake.scoring import HYPOTHESIS_LABELS

ADHERENCE_WINDOWS = (7, 28)
PAIN_TREND_DAYS_LIST = 28
PAIN_TREND_DAYS_PATIENT = 84
RED_FLAG_REASON = "The intake reported a red flag"
HYPOTHESIS_REASON = "Working hypothesis: {label}"


def careplan_active_for_patient(*, patient: Patient) -> CarePlan | None:
    return (
        CarePlan.objects.filter(patient=patient, status=CarePlan.Status.ACTIVE)
        .select_related("author__user")
        .first()
    )


def careplan_items(*, plan: CarePlan) -> list[PrescribedExercise]:
    """The plan's exercises in order, with everything a card shows: two queries."""
    return list(plan.items.select_related("exercise").prefetch_related("exercise__equipment").all())


def careplan_items_this_week(
    *, plan: CarePlan, items: Sequence[PrescribedExercise], on: datetime.date
) -> list[PrescribedExercise]:
    """The prescribed exercises a patient is meant to do in the plan's week that ``on`` falls in.

    An exercise prescribed once is done every week. One prescribed several times is a
    progression by week, in plan order (walk-run intervals in week 1, 2, 3…): week N's row is
    its Nth, and past the last row the last one holds.
    """
    week = max(0, (on - plan.start_date).days // 7)
    rows: dict[int, list[PrescribedExercise]] = defaultdict(list)
    for item in sorted(items, key=lambda item: item.position):
        rows[item.exercise_id].append(item)
    due = {progression[min(week, len(progression) - 1)].pk for progression in rows.values()}
    return [item for item in items if item.pk in due]


# --- The library ---------------------------------------------------------------------------------


def exercise_list(
    *,
    q: str = "",
    category: str = "",
    body_region: str = "",
    equipment: str = "",
    difficulty: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Exercise]:
    """Exercises matching a name search and filters, by name. Equipment is its slug."""
    exercises = Exercise.objects.all()
    if not include_inactive:
        exercises = exercises.filter(is_active=True)
    if q.strip():
        exercises = exercises.filter(name__icontains=q.strip())
    if category:
        exercises = exercises.filter(category=category)
    if body_region:
        exercises = exercises.filter(body_region=body_region)
    if equipment:
        exercises = exercises.filter(equipment__slug=equipment)
    if difficulty:
        exercises = exercises.filter(difficulty=difficulty)
    return exercises.order_by("name")


def exercise_filter_options() -> dict:
    """The choices for the library filters: categories, regions in use, equipment, difficulty."""
    return {
        "categories": Exercise.Category.choices,
        "regions": list(
            Exercise.objects.filter(is_active=True)
            .exclude(body_region="")
            .order_by("body_region")
            .values_list("body_region", flat=True)
            .distinct()
        ),
        "equipment": list(Equipment.objects.order_by("name").values_list("slug", "name")),
        "difficulties": Exercise.Difficulty.choices,
    }


def exercise_get(*, slug: str) -> Exercise:
    return (
        Exercise.objects.select_related("easier", "harder")
        .prefetch_related("equipment", "muscle_links__muscle")
        .get(slug=slug)
    )


# --- Templates and where a plan starts -----------------------------------------------------------


def intake_latest_for_patient(*, patient: Patient) -> IntakeAssessment | None:
    """The patient's most recent submitted intake, with its clinical assessment if any."""
    return (
        patient.intakes.filter(status=IntakeAssessment.Status.SUBMITTED)
        .select_related("clinical_assessment")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def assessment_of(intake: IntakeAssessment | None) -> ClinicalAssessment | None:
    if intake is None:
        return None
    try:
        return intake.clinical_assessment
    except ClinicalAssessment.DoesNotExist:
        return None


@dataclass(frozen=True)
class TemplateChoice:
    template: CarePlanTemplate
    matched: tuple[str, ...]  # labels of the hypotheses it was written for

    @property
    def suggested(self) -> bool:
        return bool(self.matched)


def template_choice_list(*, hypotheses: Iterable[str] = ()) -> list[TemplateChoice]:
    """Active templates, those written for the assessment's hypotheses first (most matches)."""
    codes = list(hypotheses)
    choices = []
    templates = CarePlanTemplate.objects.filter(is_active=True).order_by("name")
    for template in templates:
        suited = set(template.suggested_for or [])
        matched = tuple(HYPOTHESIS_LABELS.get(code, code) for code in codes if code in suited)
        choices.append(TemplateChoice(template=template, matched=matched))
    return sorted(choices, key=lambda c: (-len(c.matched), c.template.name))


# --- Cautions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CautionContext:
    """What an exercise's contraindication tags are checked against."""

    hypotheses: tuple[str, ...] = ()
    red_flags: bool = False


@dataclass(frozen=True)
class Caution:
    tag: str
    label: str
    reason: str


def caution_context_for(
    *, intake: IntakeAssessment | None, assessment: ClinicalAssessment | None
) -> CautionContext:
    if assessment is None:
        assessment = assessment_of(intake)
    if intake is None and assessment is not None:
        intake = assessment.intake
    return CautionContext(
        hypotheses=tuple(assessment.hypotheses or ()) if assessment else (),
        red_flags=bool(intake and (intake.is_urgent or intake.red_flags)),
    )


def careplan_caution_context(*, plan: CarePlan) -> CautionContext:
    return caution_context_for(intake=plan.intake, assessment=plan.assessment)


def exercise_cautions(*, exercise: Exercise, context: CautionContext) -> list[Caution]:
    """Why this exercise needs care for this patient, if it does.

    An exercise's contraindication tags clash with a working hypothesis when the library's
    ``hypothesis_cautions`` lists the tag for it, and with any red flag on the intake when the
    tag is in ``red_flag_caution_tags``. A clash is a warning for the therapist, not a refusal.
    A tag the library does not declare (typed in the admin) is shown as it is.
    """
    tags = set(exercise.contraindications or ())
    if not tags:
        return []
    library = library_current()
    labels = library.contraindication_tags
    by_hypothesis = library.hypothesis_cautions
    cautions = []
    for code in context.hypotheses:
        for tag in by_hypothesis.get(code, ()):
            if tag in tags:
                reason = HYPOTHESIS_REASON.format(label=HYPOTHESIS_LABELS.get(code, code))
                cautions.append(Caution(tag=tag, label=labels.get(tag, tag), reason=reason))
    if context.red_flags:
        for tag in library.red_flag_caution_tags:
            if tag in tags:
                cautions.append(
                    Caution(tag=tag, label=labels.get(tag, tag), reason=RED_FLAG_REASON)
                )
    return cautions


def careplan_cautions(
    *, plan: CarePlan, items: Sequence[PrescribedExercise]
) -> dict[int, list[Caution]]:
    """Cautions per item id, for the items that have any."""
    context = careplan_caution_context(plan=plan)
    found = {item.pk: exercise_cautions(exercise=item.exercise, context=context) for item in items}
    return {pk: cautions for pk, cautions in found.items() if cautions}


# --- Versions ------------------------------------------------------------------------------------

DOSE_FIELDS = ("sets", "reps", "hold_seconds", "sides", "times_per_week")


def _by_exercise(items: Iterable[PrescribedExercise]) -> dict[tuple[int, int], PrescribedExercise]:
    """Items keyed by (exercise id, occurrence), the occurrence counted in plan order."""
    seen: dict[int, int] = defaultdict(int)
    keyed = {}
    for item in sorted(items, key=lambda i: (i.position, i.pk or 0)):
        keyed[(item.exercise_id, seen[item.exercise_id])] = item
        seen[item.exercise_id] += 1
    return keyed


@dataclass(frozen=True)
class DoseChange:
    exercise: Exercise
    before: str
    after: str
    load: tuple[str, str] | None = None
    notes_changed: bool = False


@dataclass
class VersionChanges:
    added: list[PrescribedExercise] = field(default_factory=list)
    removed: list[PrescribedExercise] = field(default_factory=list)
    changed: list[DoseChange] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def careplan_changes(
    *, items: Iterable[PrescribedExercise], previous_items: Iterable[PrescribedExercise]
) -> VersionChanges:
    """What changed from one version to the next, exercise by exercise: added, removed, and
    those whose dose, load or note changed. Reordering alone is not a change.

    Items are matched by exercise; an exercise that appears several times (a progression by
    week) is matched occurrence by occurrence, in plan order.
    """
    now = _by_exercise(items)
    before = _by_exercise(previous_items)
    changes = VersionChanges(
        added=[item for key, item in now.items() if key not in before],
        removed=[item for key, item in before.items() if key not in now],
    )
    for key, item in now.items():
        old = before.get(key)
        if old is None:
            continue
        dose_moved = any(getattr(item, f) != getattr(old, f) for f in DOSE_FIELDS)
        load_moved = item.load != old.load
        notes_moved = item.notes != old.notes
        if dose_moved or load_moved or notes_moved:
            changes.changed.append(
                DoseChange(
                    exercise=item.exercise,
                    before=old.dose_and_frequency,
                    after=item.dose_and_frequency,
                    load=(old.load, item.load) if load_moved else None,
                    notes_changed=notes_moved,
                )
            )
    return changes


@dataclass(frozen=True)
class Version:
    plan: CarePlan
    items: list[PrescribedExercise]
    previous: CarePlan | None
    changes: VersionChanges | None  # None for the first version


def careplan_history(*, plan: CarePlan) -> list[Version]:
    """Every version of ``plan``, newest first, each with what changed from the one it revised.

    Three queries however many versions there are.
    """
    versions = list(
        CarePlan.objects.filter(lineage=plan.lineage, patient_id=plan.patient_id)
        .select_related("author__user")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PrescribedExercise.objects.select_related("exercise").order_by("position"),
            )
        )
        .order_by("-version")
    )
    by_pk = {version.pk: version for version in versions}
    history = []
    for version in versions:
        items = list(version.items.all())
        previous = by_pk.get(version.previous_id)
        changes = (
            careplan_changes(items=items, previous_items=previous.items.all())
            if previous is not None
            else None
        )
        history.append(Version(plan=version, items=items, previous=previous, changes=changes))
    return history


# --- Adherence and pain --------------------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Sessions logged against sessions prescribed over the last ``days`` days.

    Prescribed per week is the highest ``times_per_week`` among the plan's exercises: a
    session is one go through the plan, and the most frequent exercise sets how many sessions a
    week the plan asks for. Only days since the plan started count (the first version's start
    date, so a revision does not reset the count), and prescribed sessions are per_week × days
    / 7, rounded half up, and at least one once the plan has started (day one asks for a
    session). Logged sessions are those against any version of the plan in the same days; two
    sessions on one day count as two. Adherence counts at most the sessions prescribed
    (``counted``), so it never passes 100%: extra sessions are shown as such, not as a score
    ("2 of 2 · 100% · 1 extra", never "2 of 1 · 200%").
    """

    days: int
    logged: int
    prescribed: int
    counted_days: int = 0  # days of the window since the plan started

    @property
    def counted(self) -> int:
        """Logged sessions that count towards the prescribed ones."""
        return min(self.logged, self.prescribed)

    @property
    def extra(self) -> int:
        """Sessions logged beyond those prescribed."""
        return self.logged - self.counted

    @property
    def percent(self) -> int | None:
        if not self.prescribed:
            return None
        return (200 * self.counted + self.prescribed) // (2 * self.prescribed)

    @property
    def bar_percent(self) -> int:
        return self.percent or 0


def adherence_for(
    *,
    per_week: int,
    since: datetime.date | None,
    log_days: Iterable[datetime.date],
    today: datetime.date,
    days: int,
) -> Adherence:
    window_start = today - datetime.timedelta(days=days - 1)
    start = max(window_start, since) if since else window_start
    counted = (today - start).days + 1 if start <= today else 0
    prescribed = (2 * per_week * counted + 7) // 14  # per_week * counted / 7, half up
    if counted and per_week:
        prescribed = max(prescribed, 1)  # day one of a plan asks for its first session
    logged = sum(1 for day in log_days if start <= day <= today)
    return Adherence(days=days, logged=logged, prescribed=prescribed, counted_days=counted)


@dataclass
class CareRow:
    """One patient's care at a glance, for the therapist's list and the patient page."""

    patient: Patient
    active_plan: CarePlan | None = None
    draft_count: int = 0
    adherence: list[Adherence] = field(default_factory=list)
    pain: list[tuple[datetime.date, int]] = field(default_factory=list)  # worst per day
    flare_days: list[datetime.date] = field(default_factory=list)  # days with a flaring session
    last_session: datetime.date | None = None


def care_overview(
    *,
    patients: Sequence[Patient],
    today: datetime.date | None = None,
    pain_days: int = PAIN_TREND_DAYS_LIST,
) -> list[CareRow]:
    """Active plan, drafts, adherence (7 and 28 days) and the pain trend for each patient.

    Three queries whatever the number of patients. The pain trend has one point per day: the
    highest pain reported after a session that day, since the worst session is what matters;
    ``flare_days`` are the days of it with a session that was a flare-up.
    """
    today = today or timezone.localdate()
    ids = [patient.pk for patient in patients]
    first_start = (
        CarePlan.objects.filter(lineage=OuterRef("lineage"))
        .order_by("version")
        .values("start_date")[:1]
    )
    plans = (
        CarePlan.objects.filter(patient_id__in=ids)
        .exclude(status=CarePlan.Status.COMPLETED)
        .annotate(per_week=Max("items__times_per_week"), since=Subquery(first_start))
    )
    active: dict[int, CarePlan] = {}
    drafts: dict[int, int] = defaultdict(int)
    for plan in plans:
        if plan.status == CarePlan.Status.ACTIVE:
            active[plan.patient_id] = plan
        else:
            drafts[plan.patient_id] += 1
    earliest = today - datetime.timedelta(days=max(pain_days, *ADHERENCE_WINDOWS) - 1)
    logs = defaultdict(list)
    for patient_id, lineage, performed_on, pain, flare_reason in (
        SessionLog.objects.filter(
            patient_id__in=ids, performed_on__gte=earliest, performed_on__lte=today
        )
        .order_by("performed_on")
        .values_list("patient_id", "plan__lineage", "performed_on", "pain_after", "flare_reason")
    ):
        logs[patient_id].append((lineage, performed_on, pain, flare_reason))

    rows = []
    pain_from = today - datetime.timedelta(days=pain_days - 1)
    for patient in patients:
        plan = active.get(patient.pk)
        row = CareRow(patient=patient, active_plan=plan, draft_count=drafts[patient.pk])
        patient_logs = logs[patient.pk]
        if plan is not None:
            days = [day for lineage, day, _, _ in patient_logs if lineage == plan.lineage]
            row.adherence = [
                adherence_for(
                    per_week=plan.per_week or 0,
                    since=plan.since,
                    log_days=days,
                    today=today,
                    days=window,
                )
                for window in ADHERENCE_WINDOWS
            ]
        worst: dict[datetime.date, int] = {}
        flared: set[datetime.date] = set()
        for _, day, pain, flare_reason in patient_logs:
            if day >= pain_from:
                worst[day] = max(worst.get(day, 0), pain)
                if flare_reason:
                    flared.add(day)
        row.pain = sorted(worst.items())
        row.flare_days = sorted(flared)
        row.last_session = patient_logs[-1][1] if patient_logs else None
        rows.append(row)
    return rows


def session_log_list(*, patient: Patient, limit: int = 20) -> list[SessionLog]:
    """The patient's latest sessions, newest first, with the plan and what was done: 3 queries."""
    return list(
        SessionLog.objects.filter(patient=patient)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "exercises_done", queryset=PrescribedExercise.objects.select_related("exercise")
            )
        )
        .order_by("-performed_on", "-created_at")[:limit]
    )


def patient_home_section(*, patient: Patient, user) -> dict:
    """The plan card on the patient's home page (clinic's "My care"): the active plan, how many
    exercises it has, the latest sessions, the earlier plans and their progress (Oswestry and
    pain over time, sessions done: ``outcomes.patient_progress``). Named on
    ``CareplansConfig.patient_home``; rendered with ``careplans/_home_section.html``."""
    plan = careplan_active_for_patient(patient=patient)
    return {
        "plan": plan,
        "plan_item_count": plan.items.count() if plan else 0,
        "sessions": session_log_list(patient=patient, limit=3),
        "past_plans": access.careplans_for_patient(user=user)
        .filter(status=CarePlan.Status.COMPLETED)
        .order_by("-published_at")[:5],
        "progress": outcomes.patient_progress(patient=patient, plan=plan),
    }


# --- Flare-ups -----------------------------------------------------------------------------------


def pain_flare_open_list(*, patients: QuerySet[Patient]) -> list[PainFlare]:
    """The open flare of each of ``patients`` that has one, oldest first: "Needs attention".

    One query; ``patients`` is a queryset (``access.patients_for_care``), used as a subquery.
    """
    return list(
        PainFlare.objects.filter(handled_at__isnull=True, patient__in=patients)
        .select_related("patient", "session_log")
        .order_by("created_at", "pk")
    )


def pain_flare_list(*, patient: Patient) -> list[PainFlare]:
    """Every flare of the patient, newest first, with its session and who handled it."""
    return list(
        patient.pain_flares.select_related("session_log", "handled_by").order_by(
            "-created_at", "-pk"
        )
    )


def contact_phone_for(*, patient: Patient) -> PhoneNumber:
    """The number a patient calls: the location of their latest visit that is not cancelled
    (past or booked), else the clinic's main number (``CLINIC_PHONE``)."""
    visit = (
        patient.appointments.filter(status__in=Appointment.ACTIVE_STATUSES)
        .select_related("location")
        .order_by("-start")
        .first()
    )
    if visit is not None and visit.location.phone:
        return visit.location.phone
    return PhoneNumber.from_string(settings.CLINIC_PHONE)
