"""Writes for the intake, one module per part of it, all importable from here."""

from intake.services.questionnaire import (
    IntakeError,
    intake_draft_save,
    intake_for_appointment,
    intake_red_flag_alert_send,
    intake_reopen,
    intake_scores,
    intake_step_save,
    intake_submit,
    intake_urgent_acknowledge,
)
from intake.services.review import (
    clinical_assessment_save,
    intake_mark_reviewed,
    reassessment_request_create,
    reassessment_submit,
)

__all__ = [
    "IntakeError",
    "clinical_assessment_save",
    "intake_draft_save",
    "intake_for_appointment",
    "intake_mark_reviewed",
    "intake_red_flag_alert_send",
    "intake_reopen",
    "intake_scores",
    "intake_step_save",
    "intake_submit",
    "intake_urgent_acknowledge",
    "reassessment_request_create",
    "reassessment_submit",
]
