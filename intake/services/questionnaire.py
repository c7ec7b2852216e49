"""The patient's questionnaire: saving each step (and drafts), sending it, and reopening it.

Called by the questionnaire pages (intake/views/questionnaire.py) as the patient goes
through their signed link, by the demo data, and by the front desk's admin action that
reopens a sent intake. Sending computes every score and red flag with intake.scoring and,
when there is a red flag, queues the alert (intake/services/alerts.py).
"""

import logging

from django.db import transaction
from django.utils import timezone

from clinic.models import Appointment
from intake import schema, scoring
from intake.models import IntakeAssessment, OutcomeMeasure
from intake.services import errors
from intake.services.errors import IntakeError

logger = logging.getLogger(__name__)

INTAKE_LOCKED = (
    "You've already sent this questionnaire, so it can't be changed online. "
    "If something has changed, tell your therapist at your visit or call the clinic."
)
INTAKE_INCOMPLETE = "Please finish these sections first: {steps}."
UNKNOWN_STEP = "That section does not exist."


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
def intake_step_save(*, intake: IntakeAssessment, step: str, data: dict) -> IntakeAssessment:
    """Store a valid step (from its form's ``to_json``) and move on to the next unfinished one."""
    if step not in schema.STEP_NAMES:
        raise IntakeError(errors.UNKNOWN_STEP, UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.answers[step] = data
    intake.drafts.pop(step, None)
    intake.current_step = schema.next_step(intake.answers, after=step)
    intake.save(update_fields=["answers", "drafts", "current_step", "updated_at"])
    return intake


@transaction.atomic
def intake_draft_save(*, intake: IntakeAssessment, step: str, raw: dict) -> IntakeAssessment:
    """Keep what was typed in a step that is not valid yet (or not finished), as typed."""
    if step not in schema.STEP_NAMES:
        raise IntakeError(errors.UNKNOWN_STEP, UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.drafts[step] = raw
    intake.save(update_fields=["drafts", "updated_at"])
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
    """Lock the answers, store the scores, and alert the clinic at once if any red flag.

    Red flags and their advice follow NICE CKS low back pain pathways as summarised in the
    clinic's domain file; any positive answer marks the intake urgent.
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
    intake.red_flags = [hit.code for hit in hits]
    intake.is_urgent = bool(hits)
    intake.status = IntakeAssessment.Status.SUBMITTED
    intake.submitted_at = now
    intake.drafts = {}
    intake.save()
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
    if intake.is_urgent:
        from intake import tasks

        transaction.on_commit(lambda: tasks.intake_red_flag_alert.delay(intake.pk))
    return intake


@transaction.atomic
def intake_reopen(*, intake: IntakeAssessment, now=None) -> IntakeAssessment:
    """Staff unlock a submitted intake so the patient can correct it; scores stay until resent."""
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    intake.status = IntakeAssessment.Status.IN_PROGRESS
    intake.reopened_at = now or timezone.now()
    intake.current_step = schema.REVIEW
    intake.save(update_fields=["status", "reopened_at", "current_step", "updated_at"])
    return intake
