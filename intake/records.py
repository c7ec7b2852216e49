"""Intake's part of the patient's records (the right of access, ``clinic.selectors.records``,
through ``IntakeConfig.patient_records``): questionnaires with their answers and scores, the
clinician's assessments, outcome scores and re-assessment requests."""

from django.forms.models import model_to_dict

from clinic.models import Patient
from clinic.selectors.records import section, when
from intake.models import ClinicalAssessment, IntakeAssessment, OutcomeMeasure, ReassessmentRequest

_ASSESSMENT_SKIP = {"id", "intake", "therapist", "author"}


def _intakes(patient: Patient) -> list[dict]:
    rows = IntakeAssessment.objects.filter(patient=patient).order_by("started_at", "pk")
    return [
        {
            "status": i.get_status_display(),
            "started_at": when(i.started_at),
            "submitted_at": when(i.submitted_at),
            "answers": i.answers,
            "scores": {
                "pain_now_0_10": i.nprs_now,
                "pain_best_0_10": i.nprs_best,
                "pain_worst_0_10": i.nprs_worst,
                "oswestry_percent": i.odi_percent,
                "oswestry_band": i.odi_band,
                "start_back_total": i.start_back_total,
                "start_back_psychosocial": i.start_back_psychosocial,
                "start_back_risk": i.start_back_risk,
                "psfs_mean": i.psfs_mean,
            },
            "red_flags": i.red_flags,
        }
        for i in rows
    ]


def _assessments(patient: Patient) -> list[dict]:
    rows = (
        ClinicalAssessment.objects.filter(intake__patient=patient)
        .select_related("therapist__user")
        .order_by("assessed_on", "pk")
    )
    items = []
    for a in rows:
        fields = model_to_dict(a, exclude=_ASSESSMENT_SKIP)
        items.append(
            {
                "therapist": a.therapist.user.get_full_name(),
                **{k: when(v) if hasattr(v, "isoformat") else v for k, v in fields.items()},
            }
        )
    return items


def _outcomes(patient: Patient) -> list[dict]:
    rows = OutcomeMeasure.objects.filter(patient=patient).order_by("measured_at", "pk")
    return [
        {
            "measured_at": when(o.measured_at),
            "source": o.get_source_display(),
            "oswestry_percent": o.odi_percent,
            "pain_now_0_10": o.nprs,
            "psfs_mean": o.psfs_mean,
            "answers": o.answers,
        }
        for o in rows
    ]


def _reassessments(patient: Patient) -> list[dict]:
    rows = ReassessmentRequest.objects.filter(patient=patient).order_by("requested_at", "pk")
    return [
        {"requested_at": when(r.requested_at), "completed": r.completed_id is not None}
        for r in rows
    ]


def patient_records(*, patient: Patient) -> list[dict]:
    return [
        section("intakes", "Intake questionnaires (answers and scores)", _intakes(patient)),
        section("assessments", "Clinical assessments", _assessments(patient)),
        section("outcomes", "Outcome scores", _outcomes(patient)),
        section("reassessments", "Re-assessment requests", _reassessments(patient)),
    ]
