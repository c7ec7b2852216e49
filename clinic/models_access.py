"""The records of who may see a patient's record and who did: care teams, break-glass
grants and the audit trail. Imported by ``clinic.models``; the rules that read them are in
``clinic.access``, the writes in ``clinic.audit``."""

from django.conf import settings
from django.db import models


class CareTeamMember(models.Model):
    """A therapist covering for a patient until a date: a treatment relationship without an
    appointment. Added by the front desk or the patient's therapist."""

    patient = models.ForeignKey(
        "clinic.Patient", on_delete=models.CASCADE, related_name="care_team"
    )
    therapist = models.ForeignKey(
        "clinic.Therapist", on_delete=models.CASCADE, related_name="care_team_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    until = models.DateField(help_text="The last day the colleague covers for this patient.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "care team member"
        indexes = [models.Index(fields=["therapist", "until"])]

    def __str__(self):
        return f"{self.therapist} until {self.until:%b %-d, %Y}"


class BreakGlassAccess(models.Model):
    """A therapist opened a record outside any care relationship, giving a reason. It lasts
    until ``expires_at`` (``BREAK_GLASS_HOURS`` after it was opened)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("clinic.Patient", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "patient", "expires_at"])]

    def __str__(self):
        return f"{self.user} opened {self.patient}'s record"


class AuditEvent(models.Model):
    """One look at, or change to, a patient's record; a sign-in. Append-only: the app never
    changes or deletes a row, and on PostgreSQL a trigger refuses UPDATE and DELETE."""

    class Action(models.TextChoices):
        VIEW = "view", "View"
        CREATE = "create", "Create"
        CHANGE = "change", "Change"
        DELETE = "delete", "Delete"
        EXPORT = "export", "Export"
        PRINT = "print", "Print"
        MERGE = "merge", "Merge"
        BREAK_GLASS = "break_glass", "Break glass"
        SIGN_IN = "sign_in", "Sign in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"

    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    username = models.CharField(max_length=254, blank=True, help_text="As typed, on sign-in.")
    # No database constraint: an event keeps the id of a patient merged into another record
    # (the merge's own events say which), since the trail is never rewritten.
    patient = models.ForeignKey(
        "clinic.Patient",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    changed_values = models.JSONField(
        default=dict, blank=True, help_text="New values of non-clinical fields only."
    )
    reason = models.TextField(blank=True, help_text="The reason given to break the glass.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "-at"]),
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["action", "-at"]),
            models.Index(fields=["role", "-at"]),
            models.Index(fields=["-at"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or self.username or 'unknown'}"
