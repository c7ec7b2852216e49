"""The patient's intake questionnaire, the clinician's assessment and outcome measures.

Answers are stored per step as JSON written only by the step forms
(intake/forms/questionnaire.py), so each step is validated in one place; their shape, and the
accessors that read them back, are intake/schema.py's. The scores and red flags are computed
on submission by intake/scoring.py and stored in plain columns for lists, filters and charts.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from clinic.models import Appointment, Patient, Therapist
from intake import schema


class IntakeAssessment(models.Model):
    """What the patient tells us before the first visit. Locked once submitted."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake",
        help_text="The visit this intake prepares.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(
        default=dict, blank=True, help_text="Validated answers by step: {step: {field: value}}."
    )
    drafts = models.JSONField(
        default=dict,
        blank=True,
        help_text="What was typed but not yet valid, by step, so nothing is lost.",
    )
    current_step = models.CharField(max_length=20, default=schema.STEP_NAMES[0])
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    # Computed on submission (scoring.py); never typed.
    nprs_now = models.PositiveSmallIntegerField(null=True, blank=True)
    nprs_best = models.PositiveSmallIntegerField(null=True, blank=True)
    nprs_worst = models.PositiveSmallIntegerField(null=True, blank=True)
    odi_percent = models.FloatField(null=True, blank=True, help_text="Oswestry index, %.")
    odi_band = models.CharField(max_length=20, blank=True)
    start_back_total = models.PositiveSmallIntegerField(null=True, blank=True)
    start_back_psychosocial = models.PositiveSmallIntegerField(null=True, blank=True)
    start_back_risk = models.CharField(max_length=10, blank=True)
    psfs_mean = models.FloatField(null=True, blank=True)
    red_flags = models.JSONField(
        default=list, blank=True, help_text="Codes of the red flags found on submission."
    )
    is_urgent = models.BooleanField(default=False, db_index=True)
    urgent_acknowledged_at = models.DateTimeField(null=True, blank=True)
    urgent_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_urgent", "-submitted_at"]
        indexes = [models.Index(fields=["status", "is_urgent"])]

    def __str__(self):
        return f"Intake for {self.patient} ({self.get_status_display().lower()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ClinicalAssessment(models.Model):
    """The therapist's findings at the evaluation: posture, running form, tests, hypotheses."""

    class Side(models.TextChoices):
        NONE = "", "—"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both"

    class Grade(models.TextChoices):
        NONE = "", "—"
        GOOD = "good", "Good"
        FAIR = "fair", "Fair"
        POOR = "poor", "Poor"

    intake = models.OneToOneField(
        IntakeAssessment, on_delete=models.CASCADE, related_name="clinical_assessment"
    )
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    # Posture
    standing_posture = models.TextField(blank=True, help_text="Standing observations.")
    lumbar_lordosis = models.CharField(
        max_length=20,
        blank=True,
        choices=[("reduced", "Reduced"), ("normal", "Normal"), ("increased", "Increased")],
    )
    pelvic_tilt = models.CharField(
        max_length=20,
        blank=True,
        choices=[("posterior", "Posterior"), ("neutral", "Neutral"), ("anterior", "Anterior")],
    )
    leg_length_notes = models.CharField(max_length=200, blank=True)
    # Running form
    cadence_spm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Steps per minute at easy pace."
    )
    overstriding = models.BooleanField(null=True, blank=True)
    forward_trunk_lean = models.BooleanField(null=True, blank=True)
    foot_strike = models.CharField(
        max_length=20,
        blank=True,
        choices=[("heel", "Heel"), ("midfoot", "Midfoot"), ("forefoot", "Forefoot")],
    )
    pelvic_drop = models.CharField(max_length=10, blank=True, choices=Side.choices)
    arm_swing = models.CharField(max_length=200, blank=True)
    gait_video_url = models.URLField(blank=True)
    # Imbalance and flexibility tests (left / right where they apply)
    thomas_test_left = models.BooleanField(null=True, blank=True, help_text="Positive = tight.")
    thomas_test_right = models.BooleanField(null=True, blank=True, help_text="Positive = tight.")
    slr_left_degrees = models.PositiveSmallIntegerField(null=True, blank=True)
    slr_right_degrees = models.PositiveSmallIntegerField(null=True, blank=True)
    prone_plank_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    side_plank_left_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    side_plank_right_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    single_leg_squat_left = models.CharField(max_length=10, blank=True, choices=Grade.choices)
    single_leg_squat_right = models.CharField(max_length=10, blank=True, choices=Grade.choices)
    hip_abductor_left = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Manual muscle test 0–5."
    )
    hip_abductor_right = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Manual muscle test 0–5."
    )
    hypotheses = models.JSONField(
        default=list, blank=True, help_text="Codes from intake.scoring.HYPOTHESES."
    )
    notes = models.TextField(blank=True)
    # Who signed the latest save: the user themselves (an admin signs as the admin), while
    # ``therapist`` stays the treating therapist of record.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who signed the latest version.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadence_spm__isnull=True)
                | models.Q(cadence_spm__gte=100, cadence_spm__lte=260),
                name="clinical_cadence_range",
            ),
        ]

    def __str__(self):
        return f"Clinical assessment of {self.intake.patient} on {self.assessed_on}"


class ClinicalAssessmentVersion(models.Model):
    """Every saved version of an assessment, as it was saved and by whom; never changed."""

    assessment = models.ForeignKey(
        ClinicalAssessment, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saved_at = models.DateTimeField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    changed_fields = models.JSONField(default=list)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="assessment_version_unique"
            )
        ]

    def __str__(self):
        return f"Version {self.version} of {self.assessment_id}"


class OutcomeMeasure(models.Model):
    """ODI, NPRS and PSFS at one point in time: at intake and at each re-assessment."""

    class Source(models.TextChoices):
        INTAKE = "intake", "Intake"
        REASSESSMENT = "reassessment", "Re-assessment"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="outcomes")
    intake = models.OneToOneField(
        IntakeAssessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outcome",
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    measured_at = models.DateTimeField()
    odi_percent = models.FloatField(null=True, blank=True)
    nprs = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Pain now, 0–10.")
    psfs_mean = models.FloatField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["measured_at"]
        indexes = [models.Index(fields=["patient", "measured_at"])]

    def __str__(self):
        return f"{self.get_source_display()} for {self.patient} on {self.measured_at:%Y-%m-%d}"


class ReassessmentRequest(models.Model):
    """A short questionnaire a therapist sends; answered once, through a signed link."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reassessments")
    requested_by = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    completed = models.OneToOneField(
        OutcomeMeasure, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )

    def __str__(self):
        return f"Re-assessment for {self.patient} ({self.requested_at:%Y-%m-%d})"
