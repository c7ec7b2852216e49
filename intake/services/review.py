"""The clinician's writes on an intake: acknowledging an urgent one (sent or not), marking a
sent one reviewed, and the clinical assessment at the evaluation.

Called by the staff review pages (intake/views/review.py) and the demo data. Each write is
audited in its transaction (field names; no clinical value). Nothing clinical is logged: log
lines name ids only.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import AuditEvent, Therapist
from clinic.services.audit import audit_record
from intake import scoring
from intake.models import (
    ClinicalAssessment,
    ClinicalAssessmentVersion,
    IntakeAssessment,
    UrgentAcknowledgement,
)
from intake.services import errors
from intake.services.errors import IntakeError

logger = logging.getLogger(__name__)

CADENCE_RANGE = "Cadence is steps per minute at easy pace: enter a number from 100 to 260."
HIP_ABDUCTOR_RANGE = "Manual muscle test grades go from 0 to 5."
SLR_RANGE = "Straight-leg raise is measured from 0 to 120 degrees."
UNKNOWN_HYPOTHESIS = "Choose working hypotheses from the list."
NOT_SUBMITTED = "The patient has not sent this intake yet."
NOT_URGENT = "This intake has no red flags to acknowledge."
ALREADY_ACKNOWLEDGED = "Someone acknowledged this intake already; see what they recorded."
UNKNOWN_ACTION = "Choose what was done."
NOTE_REQUIRED = "Say what was done: a note is needed for “Other”."

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
    problems: dict[str, list[str]] = {}
    for name, (low, high, message) in ASSESSMENT_RANGES.items():
        value = data.get(name)
        if value is not None and not low <= value <= high:
            problems[name] = [message]
    known = {code for code, _ in scoring.HYPOTHESES}
    if any(code not in known for code in data.get("hypotheses") or []):
        problems["hypotheses"] = [UNKNOWN_HYPOTHESIS]
    return problems


@transaction.atomic
def clinical_assessment_save(
    *, intake: IntakeAssessment, therapist: Therapist, data: dict, author=None, now=None
) -> ClinicalAssessment:
    """Create or update the clinician's assessment of ``intake`` from ``data``.

    Measured values must be plausible: cadence 100–260 steps/min, hip abductor manual muscle
    test 0–5 (Oxford scale), straight-leg raise 0–120°. Hypotheses are codes from
    ``scoring.HYPOTHESES``; several may apply. Raises ValidationError keyed by field.
    ``therapist`` (the treating therapist) is recorded on the first save; ``author`` (default:
    ``therapist``'s user) signs every save. Each save is a new version, kept with its author
    and time (``ClinicalAssessmentVersion``), and an audit event in the same transaction.
    Assessing an intake marks it reviewed.
    """
    unknown = set(data) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not assessment fields: {', '.join(sorted(unknown))}.")
    problems = _range_errors(data)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    author = author or therapist.user
    try:
        assessment = ClinicalAssessment.objects.select_for_update().get(intake=intake)
        before = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    except ClinicalAssessment.DoesNotExist:
        assessment = ClinicalAssessment(intake=intake, therapist=therapist, version=0)
        before = None
    for name, value in data.items():
        if name == "hypotheses":
            # Stored in the list's own order, so the same choice always reads the same way.
            value = [code for code, _ in scoring.HYPOTHESES if code in set(value or [])]
        setattr(assessment, name, value)
    if assessment.assessed_on is None:
        assessment.assessed_on = timezone.localdate(now)
    assessment.author = author
    assessment.version += 1
    assessment.full_clean()
    assessment.save()
    after = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    changed = sorted(after) if before is None else sorted(n for n in after if after[n] != before[n])
    ClinicalAssessmentVersion.objects.create(
        assessment=assessment,
        version=assessment.version,
        author=author,
        saved_at=now,
        data=after,
        changed_fields=changed,
    )
    audit_record(
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.CHANGE,
        user=author,
        patient_id=intake.patient_id,
        obj=assessment,
        changed_fields=changed,  # names only: every value here is clinical
        now=now,
    )
    if intake.is_submitted and intake.reviewed_at is None:
        intake_mark_reviewed(intake=intake, user=author, now=now)
    logger.info("intake %s: clinical assessment %s saved", intake.pk, assessment.pk)
    return assessment


@transaction.atomic
def intake_mark_reviewed(*, intake: IntakeAssessment, user=None, now=None) -> IntakeAssessment:
    """A clinician (``user``, by default the request's) has read the submitted intake. Only a
    submitted intake can be reviewed; marking it again changes nothing."""
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    if not intake.is_submitted:
        raise IntakeError(errors.NOT_SUBMITTED, NOT_SUBMITTED)
    if intake.reviewed_at is None:
        intake.reviewed_at = now or timezone.now()
        intake.save(update_fields=["reviewed_at", "updated_at"])
        audit_record(
            action=AuditEvent.Action.CHANGE,
            user=user,
            patient_id=intake.patient_id,
            obj=intake,
            changed_fields=["reviewed_at"],
            changed_values={"reviewed_at": intake.reviewed_at.isoformat()},
            now=intake.reviewed_at,
        )
    return intake


@transaction.atomic
def intake_urgent_acknowledge(
    *, intake: IntakeAssessment, user, action: str, note: str = "", now=None
) -> UrgentAcknowledgement:
    """A clinician has acted on an urgent intake: record what was done (``action``, one of
    ``UrgentAcknowledgement.Action``; a ``note`` is required for "other"), by whom and when.

    The intake stops needing attention for everyone at once: the banner, the lists and the
    escalation all read ``urgent_acknowledged_at``. Set by a conditional UPDATE, so of two
    clinicians acknowledging together one records and the other is told it was done
    (IntakeError ``already_acknowledged``). Raises ValidationError keyed by field.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    if action not in UrgentAcknowledgement.Action.values:
        raise ValidationError({"action": [UNKNOWN_ACTION]})
    if action == UrgentAcknowledgement.Action.OTHER and not note:
        raise ValidationError({"note": [NOTE_REQUIRED]})
    intake = IntakeAssessment.objects.select_for_update().get(pk=intake.pk)
    if not intake.is_urgent:
        raise IntakeError(errors.NOT_URGENT, NOT_URGENT)
    acknowledged = IntakeAssessment.objects.filter(
        pk=intake.pk, urgent_acknowledged_at__isnull=True
    ).update(urgent_acknowledged_at=now, urgent_acknowledged_by=user)
    if not acknowledged:
        raise IntakeError(errors.ALREADY_ACKNOWLEDGED, ALREADY_ACKNOWLEDGED)
    acknowledgement = UrgentAcknowledgement.objects.create(
        intake=intake,
        urgent_since=intake.urgent_since or now,
        action=action,
        note=note,
        acknowledged_by=user,
        acknowledged_at=now,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=user,
        patient_id=intake.patient_id,
        obj=acknowledgement,
        # What was done and the note are clinical: names only.
        changed_fields=["action", "note", "urgent_acknowledged_at", "urgent_acknowledged_by"],
        now=now,
    )
    logger.info("intake %s: urgency acknowledged by user %s", intake.pk, user.pk)
    return acknowledgement
