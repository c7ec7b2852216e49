"""Writes for the intake, one module per part of it, all importable from here.

- ``questionnaire``: the patient's steps, sending (scores) and reopening.
- ``urgency``: red flags found as answers are saved; the intake becoming urgent, once.
- ``review``: the clinician's acknowledgement (what was done), "reviewed" mark and clinical
  assessment.
- ``reassessment``: the therapist's request, the patient's signed link and its answers.
- ``alerts``: the urgent-intake emails to the clinic (the alert and the escalations).
- ``escalation``: the sweep that escalates urgent intakes nobody acknowledged in time.
- ``errors``: ``IntakeError`` and its codes, raised by all of them.

Code in intake imports from the modules; the package gathers the public writes for callers
outside it.
"""

from intake.services.alerts import urgent_alert_send
from intake.services.errors import IntakeError
from intake.services.questionnaire import (
    intake_draft_save,
    intake_for_appointment,
    intake_reopen,
    intake_scores,
    intake_step_save,
    intake_submit,
)
from intake.services.reassessment import reassessment_request_create, reassessment_submit
from intake.services.review import (
    clinical_assessment_save,
    intake_mark_reviewed,
    intake_urgent_acknowledge,
)

__all__ = [
    "IntakeError",
    "clinical_assessment_save",
    "intake_draft_save",
    "intake_for_appointment",
    "intake_mark_reviewed",
    "intake_reopen",
    "intake_scores",
    "intake_step_save",
    "intake_submit",
    "intake_urgent_acknowledge",
    "reassessment_request_create",
    "reassessment_submit",
    "urgent_alert_send",
]
