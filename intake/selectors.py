"""Reads for the intake: the staff lists and the urgent count, one intake for the review page,
a patient's outcome measures over time, and the activities a re-assessment asks about.

Called by the review and re-assessment pages (intake/views/), the urgent-intakes banner and
the re-assessment service. Selectors return data: models, and the judgements of
intake.scoring (red flags, changes). How it looks is intake/presentation.py's.

Which intakes a user may see is ``clinic.access`` (``intakes_clinical`` for answers,
``intakes_status`` for the desk's status-only view); every read here starts from those.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, F, Prefetch, QuerySet, Value, When
from django.utils import timezone

from clinic import access
from intake import schema, scoring
from intake.models import (
    REVIEW_LISTED,
    REVIEW_LISTED_AT,
    REVIEW_NEEDS_ACTION,
    IntakeAssessment,
    OutcomeMeasure,
    ReassessmentRequest,
    UrgentAcknowledgement,
)

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


# --- Red flags in the answers --------------------------------------------------------------------


def red_flags_in(
    *, intake: IntakeAssessment, typed: Mapping[str, bool] | None = None
) -> list[scoring.RedFlagHit]:
    """The red flags in the intake's answers as they stand (or in ``typed``, the red-flag
    step's answers as just posted), with the age-at-onset flag computed from the pain step.

    What ``intake.red_flags`` holds is every flag found since the intake was started; this is
    only those still in the answers. No query beyond the intake's patient.
    """
    answers = typed if typed is not None else schema.red_flag_answers(intake.answers)
    return scoring.red_flags_found(
        answers,
        date_of_birth=intake.patient.date_of_birth,
        onset=schema.pain(intake.answers).onset_date,
    )


# --- The lists ----------------------------------------------------------------------------------

LIST_RELATED = ("patient__guardian", "appointment__location", "appointment__therapist__user")
# The answers (and unsent drafts) are what make an intake's row big; no list shows them.
LIST_DEFERRED = ("answers", "drafts")


def intake_review_list(*, user) -> QuerySet[IntakeAssessment]:
    """Intakes ``user`` may see that were sent or hold a red flag (sent or not): urgent and
    unacknowledged first, then newest (by when sent, or else when they became urgent).

    An intake the patient abandoned after a red-flag answer is here with the urgent ones, not
    among those merely started. One query (patient, appointment, location and therapist).
    """
    return (
        access.intakes_status(user=user)
        .filter(REVIEW_LISTED)
        .select_related(*LIST_RELATED)
        .defer(*LIST_DEFERRED)
        .annotate(needs_action=REVIEW_NEEDS_ACTION, listed_at=REVIEW_LISTED_AT)
        # The order of the index ``intake_review_order`` (intake.models), which serves it.
        .order_by("-needs_action", F("listed_at").desc(nulls_last=True), "-pk")
    )


def intake_started_list(*, user, limit: int = 50) -> QuerySet[IntakeAssessment]:
    """Intakes the patient has started but not sent, most recently touched first; those with a
    red flag are in ``intake_review_list`` instead."""
    return (
        access.intakes_status(user=user)
        .filter(status=IntakeAssessment.Status.IN_PROGRESS, is_urgent=False)
        .select_related(*LIST_RELATED)
        .defer(*LIST_DEFERRED)
        .order_by("-updated_at", "-pk")[:limit]
    )


# --- Change between measures --------------------------------------------------------------------

# The scores an outcome measure holds: measure (as intake.scoring names it) → model field.
MEASURE_FIELDS: dict[str, str] = {"odi": "odi_percent", "nprs": "nprs", "psfs": "psfs_mean"}


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


def changes_between(
    current: OutcomeMeasure | None, previous: OutcomeMeasure | None
) -> dict[str, Change]:
    """The change in each score from ``previous`` to ``current``, where both have it."""
    if current is None or previous is None:
        return {}
    since = timezone.localdate(previous.measured_at)
    changes = {}
    for key, attr in MEASURE_FIELDS.items():
        before, after = getattr(previous, attr), getattr(current, attr)
        if before is not None and after is not None:
            changes[key] = Change(measure=key, since=since, before=before, after=after)
    return changes


# --- Outcomes over time -------------------------------------------------------------------------


@dataclass
class OutcomeHistory:
    """A patient's measures, oldest first, and each one's change since the one before."""

    patient_id: int
    measures: list[OutcomeMeasure]
    changes: list[dict[str, Change]]  # one per measure, in the same order

    @property
    def has_follow_up(self) -> bool:
        return len(self.measures) > 1


def outcome_history(*, patient) -> OutcomeHistory:
    """All of a patient's outcome measures, oldest first. One query."""
    measures = list(OutcomeMeasure.objects.filter(patient=patient).order_by("measured_at", "pk"))
    changes = [
        changes_between(measure, measures[index - 1] if index else None)
        for index, measure in enumerate(measures)
    ]
    return OutcomeHistory(patient_id=patient.pk, measures=measures, changes=changes)


# --- One intake for the review page -------------------------------------------------------------


@dataclass
class IntakeReview:
    intake: IntakeAssessment
    red_flags: list[scoring.RedFlagHit]  # every flag found, most urgent group first
    red_flag_advice: list[str]  # what the patient was told, most urgent first
    changes: dict[str, Change]  # this intake's scores since the measure before it
    outcomes: OutcomeHistory
    pending_reassessments: list[ReassessmentRequest] = field(default_factory=list)
    # Every red-flag answer as given, oldest first (``RedFlagAnswer``).
    red_flag_answers: list = field(default_factory=list)
    # What clinicians did each time the intake was urgent, oldest first.
    acknowledgements: list[UrgentAcknowledgement] = field(default_factory=list)


def intake_review_get(*, user, pk: int) -> IntakeReview:
    """Everything the therapist's review screen shows, in a fixed number of queries.

    Raises IntakeAssessment.DoesNotExist when ``user`` may not read this intake.
    """
    intake = (
        access.intakes_clinical(user=user)
        .select_related(
            "patient__guardian",
            "appointment__location",
            "appointment__appointment_type",
            "appointment__therapist__user",
            "urgent_acknowledged_by",
            "clinical_assessment__therapist__user",
            "clinical_assessment__author",
        )
        .prefetch_related(
            "red_flag_answers",
            Prefetch(
                "urgent_acknowledgements",
                UrgentAcknowledgement.objects.select_related("acknowledged_by"),
            ),
        )
        .get(pk=pk)
    )
    outcomes = outcome_history(patient=intake.patient)
    own = next((m for m in outcomes.measures if m.intake_id == intake.pk), None)
    earlier = [m for m in outcomes.measures if own is not None and m.measured_at < own.measured_at]
    # Every flag found since the intake was started, a corrected one included: the patient
    # was shown its advice as they answered. The computed age-at-onset flag is not asked, so
    # its advice is shown only on the done page, once the intake is sent.
    hits = scoring.red_flag_hits(intake.red_flags)
    told = [hit for hit in hits if hit.code != scoring.AGE_ONSET or intake.is_submitted]
    return IntakeReview(
        intake=intake,
        red_flags=hits,
        red_flag_advice=scoring.advice_for(told),
        red_flag_answers=list(intake.red_flag_answers.all()),
        acknowledgements=list(intake.urgent_acknowledgements.all()),
        changes=changes_between(own, earlier[-1] if earlier else None),
        outcomes=outcomes,
        pending_reassessments=list(
            ReassessmentRequest.objects.filter(patient=intake.patient, completed__isnull=True)
            .select_related("requested_by__user")
            .order_by("-requested_at")
        ),
    )


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


def assessment_versions(*, assessment) -> list:
    """Every saved version of ``assessment``, newest first, with its author: one query."""
    return list(assessment.versions.select_related("author").order_by("-version"))
