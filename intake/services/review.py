"""Writes from the therapist's side of the intake: review, clinical assessment, re-assessment.

The patient-side writes (steps, submission, reopening, acknowledging red flags) are in
intake/services.py; errors use its ``IntakeError`` so every view maps one exception class.
Nothing clinical is logged: log lines name ids only.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic import links
from clinic.models import Patient, Therapist
from intake import scoring, selectors
from intake.instruments import ODI_STATEMENTS
from intake.models import ClinicalAssessment, IntakeAssessment, OutcomeMeasure, ReassessmentRequest
from intake.services.questionnaire import IntakeError

logger = logging.getLogger(__name__)

REASSESSMENT_SALT = "stride.reassessment"

CADENCE_RANGE = "Cadence is steps per minute at easy pace: enter a number from 100 to 260."
HIP_ABDUCTOR_RANGE = "Manual muscle test grades go from 0 to 5."
SLR_RANGE = "Straight-leg raise is measured from 0 to 120 degrees."
UNKNOWN_HYPOTHESIS = "Choose working hypotheses from the list."
NOT_SUBMITTED = "The patient has not sent this intake yet."

REASSESSMENT_ALREADY_SENT = (
    "You have already sent these answers, thank you. They can't be changed online; "
    "here is how your scores have changed."
)
REASSESSMENT_RATINGS = "Rate each of your activities from 0 to 10."
REASSESSMENT_EMAIL_SUBJECT = "A few questions from your physical therapist"

# (lowest, highest, message) for the measured values a therapist types.
ASSESSMENT_RANGES: dict[str, tuple[int, int, str]] = {
    "cadence_spm": (100, 260, CADENCE_RANGE),
    "hip_abductor_left": (0, 5, HIP_ABDUCTOR_RANGE),
    "hip_abductor_right": (0, 5, HIP_ABDUCTOR_RANGE),
    "slr_left_degrees": (0, 120, SLR_RANGE),
    "slr_right_degrees": (0, 120, SLR_RANGE),
}
# What the therapist fills in; everything else on the model is set here or automatically.
ASSESSMENT_FIELDS: tuple[str, ...] = (
    "assessed_on",
    "standing_posture",
    "lumbar_lordosis",
    "pelvic_tilt",
    "leg_length_notes",
    "cadence_spm",
    "overstriding",
    "forward_trunk_lean",
    "foot_strike",
    "pelvic_drop",
    "arm_swing",
    "gait_video_url",
    "thomas_test_left",
    "thomas_test_right",
    "slr_left_degrees",
    "slr_right_degrees",
    "prone_plank_seconds",
    "side_plank_left_seconds",
    "side_plank_right_seconds",
    "single_leg_squat_left",
    "single_leg_squat_right",
    "hip_abductor_left",
    "hip_abductor_right",
    "hypotheses",
    "notes",
)


def _range_errors(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, (low, high, message) in ASSESSMENT_RANGES.items():
        value = data.get(name)
        if value is not None and not low <= value <= high:
            errors[name] = [message]
    known = {code for code, _ in scoring.HYPOTHESES}
    if any(code not in known for code in data.get("hypotheses") or []):
        errors["hypotheses"] = [UNKNOWN_HYPOTHESIS]
    return errors


@transaction.atomic
def clinical_assessment_save(
    *, intake: IntakeAssessment, therapist: Therapist, data: dict, now=None
) -> ClinicalAssessment:
    """Create or update the clinician's assessment of ``intake`` from ``data``.

    Measured values must be plausible: cadence 100–260 steps/min, hip abductor manual muscle
    test 0–5 (Oxford scale), straight-leg raise 0–120°. Hypotheses are codes from
    ``scoring.HYPOTHESES``; several may apply. Raises ValidationError keyed by field.
    ``therapist`` is recorded on the first save. Assessing an intake marks it reviewed.
    """
    unknown = set(data) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not assessment fields: {', '.join(sorted(unknown))}.")
    errors = _range_errors(data)
    if errors:
        raise ValidationError(errors)
    try:
        assessment = ClinicalAssessment.objects.select_for_update().get(intake=intake)
    except ClinicalAssessment.DoesNotExist:
        assessment = ClinicalAssessment(intake=intake, therapist=therapist)
    for name, value in data.items():
        if name == "hypotheses":
            # Stored in the list's own order, so the same choice always reads the same way.
            value = [code for code, _ in scoring.HYPOTHESES if code in set(value or [])]
        setattr(assessment, name, value)
    if assessment.assessed_on is None:
        assessment.assessed_on = timezone.localdate(now or timezone.now())
    assessment.full_clean()
    assessment.save()
    if intake.is_submitted and intake.reviewed_at is None:
        intake_mark_reviewed(intake=intake, now=now)
    logger.info("intake %s: clinical assessment %s saved", intake.pk, assessment.pk)
    return assessment


@transaction.atomic
def intake_mark_reviewed(*, intake: IntakeAssessment, now=None) -> IntakeAssessment:
    """A clinician has read the submitted intake. Only a submitted intake can be reviewed."""
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    if not intake.is_submitted:
        raise IntakeError(NOT_SUBMITTED)
    if intake.reviewed_at is None:
        intake.reviewed_at = now or timezone.now()
        intake.save(update_fields=["reviewed_at", "updated_at"])
    return intake


# --- Re-assessment ------------------------------------------------------------------------------


def reassessment_token(reassessment: ReassessmentRequest) -> str:
    return links.token_for(reassessment.pk, salt=REASSESSMENT_SALT)


def reassessment_url(reassessment: ReassessmentRequest) -> str:
    """The absolute, signed link the patient opens (expires like the other patient links)."""
    return links.absolute(reverse("intake:reassess", args=[reassessment_token(reassessment)]))


def reassessment_from_token(token: str) -> ReassessmentRequest | None:
    request_id = links.appointment_id_from(token, salt=REASSESSMENT_SALT)
    if request_id is None:
        return None
    return (
        ReassessmentRequest.objects.select_related("patient", "requested_by__user", "completed")
        .filter(pk=request_id)
        .first()
    )


@transaction.atomic
def reassessment_request_create(*, patient: Patient, therapist: Therapist) -> ReassessmentRequest:
    """Ask ``patient`` for a short re-assessment (ODI, pain now, PSFS) through a signed link.

    The email carries the link and nothing clinical; it is sent once the request is committed.
    """
    reassessment = ReassessmentRequest.objects.create(patient=patient, requested_by=therapist)
    url = reassessment_url(reassessment)
    message = (
        f"Hello {patient.first_name},\n\n"
        f"{therapist.name} would like to know how you are getting on. Please answer a few "
        f"short questions (about 3 minutes):\n{url}\n\n"
        f"{settings.CLINIC_NAME}\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=REASSESSMENT_EMAIL_SUBJECT,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[patient.email],
        )
    )
    logger.info("reassessment %s requested for patient %s", reassessment.pk, patient.pk)
    return reassessment


@transaction.atomic
def reassessment_submit(
    *,
    reassessment: ReassessmentRequest,
    odi_answers: list[int | None],
    nprs_now: int,
    psfs_ratings: list[int],
    now: datetime.datetime | None = None,
) -> OutcomeMeasure:
    """Record the patient's answers as an OutcomeMeasure(source=reassessment); once only.

    Scores come from intake.scoring: ODI (Fairbank & Pynsent 2000), NPRS now, and the PSFS
    mean over the *same* activities the patient named at intake (Stratford et al. 1995), one
    rating per activity in the same order. A second submission raises IntakeError.
    """
    now = now or timezone.now()
    reassessment = ReassessmentRequest.objects.select_for_update().get(pk=reassessment.pk)
    if reassessment.completed_id is not None:
        raise IntakeError(REASSESSMENT_ALREADY_SENT)
    if len(odi_answers) != len(ODI_STATEMENTS):
        raise IntakeError("The Oswestry questionnaire has ten sections.")
    activities = selectors.reassessment_activities(reassessment=reassessment)
    if len(psfs_ratings) != len(activities) or any(
        not isinstance(r, int) or not 0 <= r <= 10 for r in psfs_ratings
    ):
        raise IntakeError(REASSESSMENT_RATINGS)
    odi = scoring.oswestry(odi_answers)
    scoring.nprs_band(nprs_now)  # validates 0–10
    psfs = scoring.psfs(psfs_ratings) if psfs_ratings else None
    measure = OutcomeMeasure(
        patient_id=reassessment.patient_id,
        source=OutcomeMeasure.Source.REASSESSMENT,
        measured_at=now,
        odi_percent=odi.percent,
        nprs=nprs_now,
        psfs_mean=psfs.mean if psfs else None,
        answers={
            "oswestry": {"answers": list(odi_answers)},
            "nprs_now": nprs_now,
            "psfs": [
                {"activity": a["activity"], "rating": r}
                for a, r in zip(activities, psfs_ratings, strict=True)
            ],
        },
    )
    measure.full_clean()
    measure.save()
    reassessment.completed = measure
    reassessment.save(update_fields=["completed"])
    logger.info("reassessment %s answered (measure %s)", reassessment.pk, measure.pk)
    return measure
