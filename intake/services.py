"""Writes for the intake: saving steps, submitting (scores and red flags), reopening."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic import links
from clinic.formatting import local_datetime
from clinic.models import Appointment
from intake import scoring
from intake.forms import STEP_NAMES
from intake.models import IntakeAssessment, OutcomeMeasure

logger = logging.getLogger(__name__)

INTAKE_LOCKED = (
    "You've already sent this questionnaire, so it can't be changed online. "
    "If something has changed, tell your therapist at your visit or call the clinic."
)
INTAKE_INCOMPLETE = "Please finish these sections first: {steps}."
UNKNOWN_STEP = "That section does not exist."


class IntakeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def intake_for_appointment(*, appointment: Appointment) -> IntakeAssessment:
    """The intake that prepares ``appointment`` (created on first use)."""
    intake, _ = IntakeAssessment.objects.get_or_create(
        appointment=appointment, defaults={"patient": appointment.patient}
    )
    return intake


def _first_unfinished(intake: IntakeAssessment) -> str:
    for name in STEP_NAMES:
        if name not in intake.answers:
            return name
    return "review"


def _ensure_open(intake: IntakeAssessment) -> None:
    if intake.is_submitted:
        raise IntakeError(INTAKE_LOCKED)


@transaction.atomic
def intake_step_save(*, intake: IntakeAssessment, step: str, data: dict) -> IntakeAssessment:
    """Store a valid step (from its form's ``to_json``) and move on to the next unfinished one."""
    if step not in STEP_NAMES:
        raise IntakeError(UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.answers[step] = data
    intake.drafts.pop(step, None)
    following = STEP_NAMES[STEP_NAMES.index(step) + 1 :]
    intake.current_step = next((s for s in following if s not in intake.answers), None) or (
        _first_unfinished(intake)
    )
    intake.save(update_fields=["answers", "drafts", "current_step", "updated_at"])
    return intake


@transaction.atomic
def intake_draft_save(*, intake: IntakeAssessment, step: str, raw: dict) -> IntakeAssessment:
    """Keep what was typed in a step that is not valid yet (or not finished), as typed."""
    if step not in STEP_NAMES:
        raise IntakeError(UNKNOWN_STEP)
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    _ensure_open(intake)
    intake.drafts[step] = raw
    intake.save(update_fields=["drafts", "updated_at"])
    return intake


def intake_scores(*, intake: IntakeAssessment) -> dict:
    """Every computed value, by the published rules in intake/scoring.py (never typed)."""
    pain = intake.step("pain")
    odi = scoring.oswestry(intake.step("oswestry")["answers"])
    start_back_step = intake.step("start_back")
    start_back = scoring.start_back(
        [*start_back_step["items"], scoring.start_back_item9(start_back_step["bothersome"])]
    )
    ratings = [g["rating"] for g in intake.step("goals").get("activities", [])]
    psfs = scoring.psfs(ratings) if ratings else None
    onset = pain.get("onset_date")
    hits = scoring.red_flags_found(
        intake.step("red_flags"),
        date_of_birth=intake.patient.date_of_birth,
        onset=datetime.date.fromisoformat(onset) if onset else None,
    )
    return {
        "nprs_now": pain["nprs_now"],
        "nprs_best": pain["nprs_best"],
        "nprs_worst": pain["nprs_worst"],
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
    missing = [s for s in STEP_NAMES if s not in intake.answers]
    if missing:
        raise IntakeError(
            INTAKE_INCOMPLETE.format(steps=", ".join(s.replace("_", " ") for s in missing))
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
    intake.current_step = "review"
    intake.save(update_fields=["status", "reopened_at", "current_step", "updated_at"])
    return intake


@transaction.atomic
def intake_urgent_acknowledge(*, intake: IntakeAssessment, user, now=None) -> IntakeAssessment:
    """A clinician has seen the red flags and acted; the banner goes away."""
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    intake.urgent_acknowledged_at = now or timezone.now()
    intake.urgent_acknowledged_by = user
    intake.save(update_fields=["urgent_acknowledged_at", "urgent_acknowledged_by", "updated_at"])
    return intake


RED_FLAG_GROUP_TEXT = {
    "cauda_equina": "possible cauda equina syndrome (patient told to go to an emergency "
    "department today)",
    "serious": "possible serious cause (patient told the clinic will call before the visit)",
}


def intake_red_flag_alert_send(*, intake_id: int) -> int:
    """Email the appointment's therapist and the front desk that an intake is urgent.

    The email names the kind of red flag and links to the page each may open (the clinical
    review for the therapist, the intake list for the desk); it carries no answers. Returns
    the number of recipients.
    """
    intake = IntakeAssessment.objects.select_related(
        "patient", "appointment__therapist__user", "appointment__location"
    ).get(pk=intake_id)
    User = get_user_model()
    desk = set(
        User.objects.filter(role=User.Role.FRONT_DESK, is_active=True).values_list(
            "email", flat=True
        )
    )
    therapist = {intake.appointment.therapist.user.email} if intake.appointment_id else set()
    group_of = {flag.code: flag.group for flag in scoring.RED_FLAGS}
    groups = sorted(
        {group_of.get(code, "serious") for code in intake.red_flags},
        key=lambda g: g != "cauda_equina",
    )
    kinds = "; ".join(RED_FLAG_GROUP_TEXT[g] for g in groups)
    when = ""
    if intake.appointment_id:
        appointment = intake.appointment
        start = local_datetime(appointment.start, appointment.location.zone, with_zone=True)
        when = f" before their visit on {start}"
    subject = f"URGENT intake: red flag for {intake.patient.full_name}"
    said = f"{intake.patient.full_name} reported a red flag on their intake{when}: {kinds}."
    # The therapist opens the clinical review; the front desk, who may not see answers,
    # opens the list of intakes to call the patient.
    for recipients, page in [
        (therapist, reverse("intake:review", args=[intake.pk])),
        (desk - therapist, reverse("intake:list")),
    ]:
        if recipients:
            send_mail(
                subject=subject,
                message=f"{said}\n\nPlease contact the patient today:\n{links.absolute(page)}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=sorted(recipients),
            )
    recipients = therapist | desk
    logger.info("intake %s: red-flag alert sent to %d staff", intake_id, len(recipients))
    return len(recipients)
