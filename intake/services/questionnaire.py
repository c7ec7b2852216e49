"""The patient's questionnaire: saving each step (and drafts), sending it, and reopening it.

Called by the questionnaire pages (intake/views/questionnaire.py) as the patient goes
through their signed link, by the demo data, and by the front desk's admin action that
reopens a sent intake. Saving a step or a draft that can hold a red flag looks for one at
once (intake/services/urgency.py): the intake becomes urgent and the clinic is alerted the
moment the answer is saved, whether or not the patient ever sends it. Sending computes every
score with intake.scoring, and any red flag not found before (none, unless the answers
changed) in the same way. Each write is audited in its transaction (``_audited``): which step
changed, never an answer.
"""

import logging

from django.db import transaction
from django.utils import timezone

from clinic.models import Appointment, AuditEvent
from clinic.services.audit import audit_record
from intake import schema, scoring
from intake.models import IntakeAssessment, OutcomeMeasure
from intake.services import errors, urgency
from intake.services.errors import IntakeError

logger = logging.getLogger(__name__)

INTAKE_LOCKED = (
    "You've already sent this questionnaire, so it can't be changed online. "
    "If something has changed, tell your therapist at your visit or call the clinic."
)
INTAKE_INCOMPLETE = "Please finish these sections first: {steps}."
UNKNOWN_STEP = "That section does not exist."

# What sending computes and stores (intake_scores); red flags are urgency.py's.
SCORE_FIELDS = (
    "nprs_now",
    "nprs_best",
    "nprs_worst",
    "odi_percent",
    "odi_band",
    "start_back_total",
    "start_back_psychosocial",
    "start_back_risk",
    "psfs_mean",
)


def _audited(action: str, intake: IntakeAssessment, fields, values=None, now=None) -> None:
    """The audit event of a write to ``intake``; the actor is the request's user (none on a
    patient's signed link: the event keeps the address)."""
    audit_record(
        action=action,
        patient_id=intake.patient_id,
        obj=intake,
        changed_fields=fields,
        changed_values=values,
        now=now,
    )


def intake_for_appointment(*, appointment: Appointment) -> IntakeAssessment:
    """The intake that prepares ``appointment`` (created on first use)."""
    intake, _ = IntakeAssessment.objects.get_or_create(
        appointment=appointment, defaults={"patient": appointment.patient}
    )
    return intake


def _ensure_open(intake: IntakeAssessment) -> None:
    if intake.is_submitted:
        raise IntakeError(errors.LOCKED, INTAKE_LOCKED)


@transaction.atomic
def intake_step_save(
    *, intake: IntakeAssessment, step: str, data: dict, now=None
) -> IntakeAssessment:
    """Store a valid step (from its form's ``to_json``) and move on to the next unfinished one.

    A step that can hold a red flag is checked at once, and the intake marked urgent.
    """
    if step not in schema.STEP_NAMES:
        raise IntakeError(errors.UNKNOWN_STEP, UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.answers[step] = data
    intake.drafts.pop(step, None)
    intake.current_step = schema.next_step(intake.answers, after=step)
    intake.save(update_fields=["answers", "drafts", "current_step", "updated_at"])
    _audited(AuditEvent.Action.CHANGE, intake, [f"answers.{step}"], now=now)
    if step in urgency.FEEDS_RED_FLAGS:
        typed = schema.red_flag_answers(intake.answers) if step == schema.RED_FLAGS else None
        urgency.red_flags_check(intake=intake, typed=typed, now=now or timezone.now())
    return intake


def _storable(value):
    """``value`` with NUL characters taken out of its text: PostgreSQL's JSON cannot hold them,
    and no answer needs one. A draft is kept as typed otherwise."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


@transaction.atomic
def intake_draft_save(
    *, intake: IntakeAssessment, step: str, raw: dict, now=None
) -> IntakeAssessment:
    """Keep what was typed in a step that is not valid yet (or not finished), as typed.

    A red-flag question answered yes counts as soon as it is in a draft: the autosave as the
    patient taps, or Back, marks the intake urgent without waiting for the step to be valid.
    """
    if step not in schema.STEP_NAMES:
        raise IntakeError(errors.UNKNOWN_STEP, UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.drafts[step] = _storable(raw)
    intake.save(update_fields=["drafts", "updated_at"])
    _audited(AuditEvent.Action.CHANGE, intake, [f"drafts.{step}"], now=now)
    if step == schema.RED_FLAGS:
        codes = [flag.code for flag in scoring.RED_FLAGS]
        typed = schema.red_flags_typed(raw, codes)
        urgency.red_flags_check(intake=intake, typed=typed, now=now or timezone.now())
    return intake


def intake_scores(*, intake: IntakeAssessment) -> dict:
    """Every computed value, by the published rules in intake/scoring.py (never typed)."""
    pain = schema.pain(intake.answers)
    odi = scoring.oswestry(schema.oswestry_answers(intake.answers))
    start_back_answers = schema.start_back(intake.answers)
    start_back = scoring.start_back(
        [*start_back_answers.items, scoring.start_back_item9(start_back_answers.bothersome)]
    )
    ratings = schema.psfs_ratings(intake.answers)
    psfs = scoring.psfs(ratings) if ratings else None
    hits = scoring.red_flags_found(
        schema.red_flag_answers(intake.answers),
        date_of_birth=intake.patient.date_of_birth,
        onset=pain.onset_date,
    )
    return {
        "nprs_now": pain.nprs_now,
        "nprs_best": pain.nprs_best,
        "nprs_worst": pain.nprs_worst,
        "odi": odi,
        "start_back": start_back,
        "psfs": psfs,
        "red_flag_hits": hits,
    }


@transaction.atomic
def intake_submit(*, intake: IntakeAssessment, now=None) -> IntakeAssessment:
    """Lock the answers and store the scores.

    Red flags and their advice follow NICE CKS low back pain pathways as summarised in the
    clinic's domain file; any positive answer marks the intake urgent. They were found as the
    answers were saved, so the clinic has been alerted already; a red flag found only now
    alerts it in the same way, and flags it has heard of do not alert it again.
    """
    now = now or timezone.now()
    intake = (
        IntakeAssessment.objects.select_for_update().select_related("patient").get(pk=intake.pk)
    )
    _ensure_open(intake)
    missing = schema.missing_steps(intake.answers)
    if missing:
        raise IntakeError(
            errors.INCOMPLETE,
            INTAKE_INCOMPLETE.format(steps=", ".join(s.replace("_", " ") for s in missing)),
        )
    scores = intake_scores(intake=intake)
    hits = scores["red_flag_hits"]
    intake.nprs_now = scores["nprs_now"]
    intake.nprs_best = scores["nprs_best"]
    intake.nprs_worst = scores["nprs_worst"]
    intake.odi_percent = scores["odi"].percent
    intake.odi_band = scores["odi"].band
    intake.start_back_total = scores["start_back"].total
    intake.start_back_psychosocial = scores["start_back"].psychosocial
    intake.start_back_risk = scores["start_back"].risk
    intake.psfs_mean = float(scores["psfs"].mean) if scores["psfs"] else None
    intake.status = IntakeAssessment.Status.SUBMITTED
    intake.submitted_at = now
    intake.drafts = {}
    intake.save(update_fields=[*SCORE_FIELDS, "status", "submitted_at", "drafts", "updated_at"])
    _audited(
        AuditEvent.Action.CHANGE,
        intake,
        [*SCORE_FIELDS, "status", "submitted_at"],
        {"status": intake.status},
        now=now,
    )
    urgency.intake_urgent_mark(intake=intake, codes=[hit.code for hit in hits], now=now)
    OutcomeMeasure.objects.update_or_create(
        intake=intake,
        defaults={
            "patient": intake.patient,
            "source": OutcomeMeasure.Source.INTAKE,
            "measured_at": now,
            "odi_percent": intake.odi_percent,
            "nprs": intake.nprs_now,
            "psfs_mean": intake.psfs_mean,
        },
    )
    logger.info("intake %s submitted (urgent=%s)", intake.pk, intake.is_urgent)
    return intake


@transaction.atomic
def intake_reopen(*, intake: IntakeAssessment, now=None) -> IntakeAssessment:
    """Staff unlock a submitted intake so the patient can correct it; scores stay until resent."""
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    intake.status = IntakeAssessment.Status.IN_PROGRESS
    intake.reopened_at = now or timezone.now()
    intake.current_step = schema.REVIEW
    intake.save(update_fields=["status", "reopened_at", "current_step", "updated_at"])
    _audited(
        AuditEvent.Action.CHANGE,
        intake,
        ["status", "reopened_at", "current_step"],
        {"status": intake.status},
        now=intake.reopened_at,
    )
    return intake
