"""The patient's intake questionnaire, the clinician's assessment and outcome measures.

Answers are stored per step as JSON written only by the step forms
(intake/forms/questionnaire.py), so each step is validated in one place; their shape, and the
accessors that read them back, are intake/schema.py's. The scores are computed on submission
by intake/scoring.py and stored in plain columns for lists, filters and charts. Red flags are
computed as soon as an answer that holds one is saved, and the intake becomes urgent then
(intake/services/urgency.py); ``UrgentAlert`` rows record each email that tells staff.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from clinic.models import Appointment, Patient, Therapist
from intake import schema

# The staff's review list (intake.selectors.intake_review_list): which intakes it holds and its
# order. Migration 0006 indexes the same expressions on PostgreSQL: change both together.
REVIEW_LISTED = models.Q(status="submitted") | models.Q(is_urgent=True)
REVIEW_NEEDS_ACTION = models.Case(
    models.When(is_urgent=True, urgent_acknowledged_at__isnull=True, then=models.Value(True)),
    default=models.Value(False),
    output_field=models.BooleanField(),
)
REVIEW_LISTED_AT = Coalesce("submitted_at", "urgent_since")


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
        default=list,
        blank=True,
        help_text="Codes of every red flag found since the intake was started, as each answer "
        "was saved; a flag stays here when the patient changes the answer.",
    )
    is_urgent = models.BooleanField(
        default=False,
        db_index=True,
        help_text="A red flag was found; stays on once set (acknowledging does not clear it).",
    )
    urgent_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the intake last became urgent: its first red flag, or a new one after "
        "an acknowledgement. Escalation counts from here.",
    )
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
        # On PostgreSQL the review list's order has an index of its own
        # (intake_review_order, migration 0006); SQLite cannot index NULLS LAST.
        indexes = [
            models.Index(fields=["status", "is_urgent"]),
            # The urgent banner's count on every staff page: the few still unacknowledged.
            models.Index(
                fields=["patient"],
                condition=models.Q(is_urgent=True, urgent_acknowledged_at__isnull=True),
                name="intake_urgent_open",
            ),
        ]

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


class RedFlagAnswer(models.Model):
    """One answer to a red-flag question, added each time the patient's answer changes (the
    first answer included), so staff see what was answered and when even after a correction.
    Never changed or removed while the intake exists."""

    intake = models.ForeignKey(
        IntakeAssessment, on_delete=models.CASCADE, related_name="red_flag_answers"
    )
    code = models.CharField(max_length=40, help_text="A code of intake.scoring.RED_FLAGS.")
    answer = models.BooleanField(help_text="True for yes, False for no.")
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at", "pk"]
        indexes = [models.Index(fields=["intake", "code"])]

    def __str__(self):
        return f"Red-flag answer {self.code} on intake {self.intake_id}"


class UrgentAcknowledgement(models.Model):
    """What a clinician did about an urgent intake, who and when: one each time the intake
    became urgent (a red flag found after an acknowledgement makes it urgent again).

    The intake's ``urgent_acknowledged_at`` and ``urgent_acknowledged_by`` mirror the latest,
    for the banner's count and the lists.
    """

    class Action(models.TextChoices):
        CALLED_ADVISED_EMERGENCY = "called_advised_emergency", "Called and advised emergency care"
        CALLED_NO_ANSWER = "called_no_answer", "Called, no answer, message left"
        SEEN_IN_CLINIC = "seen_in_clinic", "Seen in clinic"
        OTHER = "other", "Other"

    intake = models.ForeignKey(
        IntakeAssessment, on_delete=models.CASCADE, related_name="urgent_acknowledgements"
    )
    urgent_since = models.DateTimeField(help_text="The intake's urgent_since acknowledged.")
    action = models.CharField(max_length=30, choices=Action.choices)
    note = models.TextField(blank=True, help_text="Required for “Other”.")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "urgent_since"], name="urgent_acknowledged_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(action="other") | ~models.Q(note=""),
                name="urgent_acknowledgement_other_has_note",
            ),
        ]

    def __str__(self):
        return f"Acknowledgement of intake {self.intake_id} ({self.action})"


class UrgentAlert(models.Model):
    """One email telling staff that an urgent intake needs attention: the alert when the intake
    became urgent (step 0), then each escalation step while nobody acknowledges it.

    Unique per (intake, urgent_since, step), so each step of each time an intake becomes urgent
    is recorded, and sent, once however many requests or sweeps race to create it.
    ``claimed_at`` and ``sent_at`` make sending safe to run twice (intake/services/alerts.py).
    """

    ALERT = 0  # the first email, when the intake becomes urgent

    intake = models.ForeignKey(
        IntakeAssessment, on_delete=models.CASCADE, related_name="urgent_alerts"
    )
    urgent_since = models.DateTimeField(help_text="The intake's urgent_since this alert is for.")
    step = models.PositiveSmallIntegerField(help_text="0 the alert; 1, 2 … each escalation.")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began sending it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["intake", "urgent_since", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "urgent_since", "step"], name="urgent_alert_once_per_step"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        what = "Alert" if self.step == self.ALERT else f"Escalation {self.step}"
        return f"{what} for intake {self.intake_id}"

    @property
    def is_escalation(self) -> bool:
        return self.step > self.ALERT

    def is_current(self, intake: IntakeAssessment) -> bool:
        """Still about the intake's present urgency (not one acknowledged since)."""
        return intake.urgent_since == self.urgent_since and intake.urgent_acknowledged_at is None
