"""The exercise library, care plan templates, patients' care plans, session logs and flare-ups.

Models hold invariants only. Loading the library, building, publishing and revising plans and
logging sessions live in ``careplans/services.py``; reads (lists, warnings, adherence, version
differences) in ``careplans/selectors.py``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from careplans import flare
from clinic.models import Patient, Therapist
from intake.models import ClinicalAssessment, IntakeAssessment

SETS_MIN, SETS_MAX = 1, 10
TIMES_PER_WEEK_MIN, TIMES_PER_WEEK_MAX = 1, 14
REPS_MAX = 100
HOLD_SECONDS_MAX = 3600
PAIN_MAX = 10
FALLBACK_REPS = 10  # a prescription's reps when its exercise has neither reps nor a hold
DOSE_NEEDS_ONE = "Give either repetitions or a hold time (one of the two, not both)."


def dose_text(*, sets: int, reps: int | None, hold_seconds: int | None, sides: str) -> str:
    """The dose as a patient reads it: “3 × 12 each side”, “2 × 30 s”, “1 × 20 min”.

    Seconds are a hold, or the time of one set for timed work (rolling, cardio, run intervals);
    whole minutes from two minutes up read better as minutes.
    """
    if reps is not None:
        amount = str(reps)
    elif hold_seconds is not None and hold_seconds >= 120 and hold_seconds % 60 == 0:
        amount = f"{hold_seconds // 60} min"
    elif hold_seconds is not None:
        amount = f"{hold_seconds} s"
    else:
        amount = "?"
    suffix = {"each": " each side", "left": " (left side)", "right": " (right side)"}.get(sides, "")
    return f"{sets} × {amount}{suffix}"


def region_label(key: str) -> str:
    """A body region's label from the library (``body_regions``), else the key, tidied (a
    region typed in the admin that the library does not declare)."""
    from careplans.library_file import library_current  # it imports this module

    return library_current().body_regions.get(key) or key.replace("_", " ").capitalize()


def frequency_text(times_per_week: int) -> str:
    return f"{times_per_week}×/week"


def _reps_xor_hold() -> Q:
    return Q(reps__isnull=False, hold_seconds__isnull=True) | Q(
        reps__isnull=True, hold_seconds__isnull=False
    )


# --- The library ---------------------------------------------------------------------------------


class Muscle(models.Model):
    """A muscle or muscle group an exercise works, e.g. “gluteus medius”."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Equipment(models.Model):
    """Something an exercise needs: a mat, a resistance band, a step, a foam roller."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self):
        return self.name


class Exercise(models.Model):
    """One exercise in the library, with how to do it and the dose it usually starts at."""

    class Category(models.TextChoices):
        STRENGTH = "strength", "Strength"
        MOTOR_CONTROL = "motor_control", "Motor control"
        MOBILITY = "mobility", "Mobility"
        STRETCH = "stretch", "Stretch"
        RUNNING_DRILL = "running_drill", "Running drill"
        CARDIO_ALTERNATIVE = "cardio_alternative", "Cardio alternative"

    class Difficulty(models.IntegerChoices):
        EASY = 1, "Easy"
        MODERATE = 2, "Moderate"
        HARD = 3, "Hard"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, help_text="Stable key for the library.")
    category = models.CharField(max_length=30, choices=Category.choices)
    body_region = models.CharField(
        max_length=40,
        help_text="Where it acts: a key of body_regions in the library, e.g. “core”, “hips”.",
    )
    muscles = models.ManyToManyField(
        Muscle, through="ExerciseMuscle", related_name="exercises", blank=True
    )
    equipment = models.ManyToManyField(Equipment, related_name="exercises", blank=True)
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.EASY
    )
    instructions = models.JSONField(default=list, blank=True, help_text="Steps, in order.")
    cues = models.JSONField(default=list, blank=True, help_text="Short coaching cues.")
    common_mistakes = models.JSONField(default=list, blank=True)
    default_sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(SETS_MIN), MaxValueValidator(SETS_MAX)]
    )
    default_reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(REPS_MAX)]
    )
    default_hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HOLD_SECONDS_MAX)],
        help_text="For holds and timed work; leave empty when the dose is repetitions.",
    )
    per_side = models.BooleanField(default=False, help_text="Done on each side in turn.")
    contraindications = models.JSONField(
        default=list,
        blank=True,
        help_text="Caution tags (contraindication_tags in the library); the builder warns on them.",
    )
    image = models.FileField(
        upload_to="exercises/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif", "svg"])],
        help_text="Optional picture shown to the patient.",
    )
    video_url = models.URLField(blank=True, help_text="Optional demonstration video.")
    easier = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="harder_than",
        help_text="A regression to offer when this is too hard.",
    )
    harder = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="easier_than",
        help_text="A progression once this is easy.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive exercises cannot be added.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="exercise_difficulty_1_3"
            ),
            models.CheckConstraint(
                condition=Q(default_sets__gte=SETS_MIN, default_sets__lte=SETS_MAX),
                name="exercise_default_sets_range",
            ),
            models.CheckConstraint(
                condition=~Q(default_reps__isnull=False, default_hold_seconds__isnull=False),
                name="exercise_default_reps_or_hold",
                violation_error_message=DOSE_NEEDS_ONE,
            ),
        ]
        indexes = [models.Index(fields=["category", "body_region"])]

    def __str__(self):
        return self.name

    def clean(self):
        # "Reps or hold, not both" is the constraint's own message (full_clean checks it).
        if self.pk and self.pk in (self.easier_id, self.harder_id):
            raise ValidationError("An exercise cannot be its own variation.")

    @property
    def body_region_label(self) -> str:
        return region_label(self.body_region)

    @property
    def default_dose(self) -> str:
        return dose_text(
            sets=self.default_sets,
            reps=self.default_reps,
            hold_seconds=self.default_hold_seconds,
            sides="each" if self.per_side else "both",
        )

    def starting_amount(self) -> tuple[int | None, int | None]:
        """(reps, hold_seconds) a prescription of this exercise starts at: its default dose,
        or ``FALLBACK_REPS`` repetitions when it has neither (an exercise staff added may not)."""
        if self.default_reps is None and self.default_hold_seconds is None:
            return FALLBACK_REPS, None
        return self.default_reps, self.default_hold_seconds


class ExerciseMuscle(models.Model):
    """Which muscles an exercise works, and whether each is a primary or secondary mover."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="muscle_links")
    muscle = models.ForeignKey(Muscle, on_delete=models.CASCADE, related_name="exercise_links")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PRIMARY)

    class Meta:
        ordering = ["role", "muscle__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "muscle"], name="exercisemuscle_once_per_exercise"
            ),
        ]

    def __str__(self):
        return f"{self.muscle} ({self.get_role_display().lower()})"


# --- Templates -----------------------------------------------------------------------------------


class CarePlanTemplate(models.Model):
    """A starting point for a plan, e.g. “Core control for facet irritation”."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    suggested_for = models.JSONField(
        default=list,
        blank=True,
        help_text="Hypothesis codes (intake.scoring.HYPOTHESES) this template suits.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CarePlanTemplateItem(models.Model):
    """One exercise of a template, with its dose; copied into a plan built from the template."""

    template = models.ForeignKey(CarePlanTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SETS_MIN), MaxValueValidator(SETS_MAX)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(REPS_MAX)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HOLD_SECONDS_MAX)],
    )
    per_side = models.BooleanField(default=False)
    times_per_week = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(TIMES_PER_WEEK_MIN),
            MaxValueValidator(TIMES_PER_WEEK_MAX),
        ]
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="templateitem_unique_position"
            ),
            models.CheckConstraint(
                condition=_reps_xor_hold(),
                name="templateitem_reps_xor_hold",
                violation_error_message=DOSE_NEEDS_ONE,
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=SETS_MIN, sets__lte=SETS_MAX), name="templateitem_sets_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    times_per_week__gte=TIMES_PER_WEEK_MIN, times_per_week__lte=TIMES_PER_WEEK_MAX
                ),
                name="templateitem_times_per_week_range",
            ),
        ]

    def __str__(self):
        return f"{self.template}: {self.exercise}"


# --- Care plans ----------------------------------------------------------------------------------


class CarePlan(models.Model):
    """A patient's exercise programme, written by a therapist. One version of it.

    A plan is built as a draft, then published: it becomes the patient's single active plan
    and is never edited again. Changing it means a new draft version (``previous`` points to
    the version it revises; all versions share ``lineage``) that supersedes it when published.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_plans")
    intake = models.ForeignKey(
        IntakeAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_plans",
        help_text="The intake whose goals and red flags this plan answers.",
    )
    assessment = models.ForeignKey(
        ClinicalAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_plans",
        help_text="The clinical assessment (and its hypotheses) this plan answers.",
    )
    template = models.ForeignKey(
        CarePlanTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The template the first version started from, if any.",
    )
    author = models.ForeignKey(
        Therapist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plans",
        help_text="The therapist who wrote this version.",
    )
    title = models.CharField(max_length=120)
    goals = models.TextField(blank=True, help_text="What the plan works towards, in plain words.")
    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True, help_text="When to look at it again.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    lineage = models.UUIDField(
        default=uuid.uuid4, db_index=True, help_text="Shared by every version of one plan."
    )
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The version this one revises.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    patient_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the patient was emailed that it was published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="careplan_one_active_per_patient",
            ),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="draft"),
                name="careplan_one_draft_per_lineage",
            ),
            models.UniqueConstraint(fields=["lineage", "version"], name="careplan_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="careplan_version_positive"),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=models.F("start_date")),
                name="careplan_review_after_start",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self):
        return f"{self.title} (v{self.version}, {self.get_status_display().lower()})"

    def clean(self):
        if self.review_date and self.start_date and self.review_date < self.start_date:
            raise ValidationError({"review_date": "The review date cannot be before the start."})

    @property
    def goal_lines(self) -> list[str]:
        """The goals one per line, without the "- " a list was typed with, for a list on the
        page (never a literal dash)."""
        lines = (line.strip() for line in self.goals.splitlines())
        return [line.lstrip("-•* ").strip() for line in lines if line.lstrip("-•* ").strip()]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PrescribedExercise(models.Model):
    """One exercise in a plan, in order, with the dose the therapist set."""

    class Sides(models.TextChoices):
        BOTH = "both", "Both sides together"
        LEFT = "left", "Left only"
        RIGHT = "right", "Right only"
        EACH = "each", "Each side"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="prescriptions")
    position = models.PositiveSmallIntegerField(help_text="Order in the plan, from 1.")
    sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(SETS_MIN), MaxValueValidator(SETS_MAX)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(REPS_MAX)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HOLD_SECONDS_MAX)],
    )
    sides = models.CharField(max_length=5, choices=Sides.choices, default=Sides.BOTH)
    times_per_week = models.PositiveSmallIntegerField(
        default=3,
        validators=[
            MinValueValidator(TIMES_PER_WEEK_MIN),
            MaxValueValidator(TIMES_PER_WEEK_MAX),
        ],
    )
    load = models.CharField(
        max_length=60, blank=True, help_text="Weight or band colour, e.g. “red band”, “8 kg”."
    )
    notes = models.TextField(blank=True, help_text="The therapist's note to the patient.")

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=_reps_xor_hold(),
                name="prescribed_reps_xor_hold",
                violation_error_message=DOSE_NEEDS_ONE,
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=SETS_MIN, sets__lte=SETS_MAX), name="prescribed_sets_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    times_per_week__gte=TIMES_PER_WEEK_MIN, times_per_week__lte=TIMES_PER_WEEK_MAX
                ),
                name="prescribed_times_per_week_range",
            ),
            # An exercise may appear more than once: a progression by week (walk-run intervals
            # in week 1, 2, 3…) is one exercise at several doses.
            models.UniqueConstraint(fields=["plan", "position"], name="prescribed_unique_position"),
        ]

    def __str__(self):
        return f"{self.exercise} in {self.plan}"

    # "Reps or hold, exactly one" is checked by full_clean through the constraint above, with
    # DOSE_NEEDS_ONE as its message.

    @property
    def dose(self) -> str:
        return dose_text(
            sets=self.sets, reps=self.reps, hold_seconds=self.hold_seconds, sides=self.sides
        )

    @property
    def frequency(self) -> str:
        return frequency_text(self.times_per_week)

    @property
    def dose_and_frequency(self) -> str:
        """“3 × 12 each side, 4×/week”."""
        return f"{self.dose}, {self.frequency}"


# --- What the patient did ------------------------------------------------------------------------


class SessionLog(models.Model):
    """One session the patient did at home: which exercises, and their pain afterwards."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="session_logs")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="session_logs")
    performed_on = models.DateField(help_text="The day the patient did the session.")
    pain_after = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(PAIN_MAX)], help_text="Pain afterwards, 0 (none) to 10."
    )
    note = models.TextField(blank=True)
    flare_reason = models.CharField(
        max_length=10,
        choices=flare.REASON_CHOICES,
        blank=True,
        help_text="Set when the pain afterwards made this session a flare-up; blank otherwise.",
    )
    exercises_done = models.ManyToManyField(
        PrescribedExercise, related_name="session_logs", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-performed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_after__gte=0, pain_after__lte=PAIN_MAX),
                name="sessionlog_pain_0_10",
            ),
        ]
        indexes = [models.Index(fields=["patient", "performed_on"])]

    def __str__(self):
        return f"Session on {self.performed_on} ({self.plan.title})"

    def clean(self):
        if self.plan_id and self.patient_id and self.plan.patient_id != self.patient_id:
            raise ValidationError("A session is logged against the patient's own plan.")

    @property
    def is_flare(self) -> bool:
        return bool(self.flare_reason)


# Flares, reminders and media live in their own modules; imported here so Django finds them.
from careplans.models_flares import PainFlare  # noqa: E402, F401
from careplans.models_media import ExerciseMedia  # noqa: E402, F401
from careplans.models_reminders import ExerciseReminder, ExerciseReminderDay  # noqa: E402, F401
