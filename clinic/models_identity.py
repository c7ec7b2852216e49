"""Who a patient is and the links sent to them: merges of duplicate records, and the stored,
revocable rows that every signed patient link names. Imported by ``clinic.models``."""

import datetime

from django.db import models
from django.utils import timezone

from clinic.models import Appointment, Patient, User


class PatientMerge(models.Model):
    """The trace of the front desk merging a possible duplicate into a patient's record."""

    from_patient_id = models.PositiveBigIntegerField(help_text="The merged record's id (gone).")
    from_summary = models.CharField(max_length=300, help_text="Its name and email when merged.")
    into = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_in")
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()
    moved = models.JSONField(default=dict, help_text="Rows moved, by model.")

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.from_summary} into {self.into} ({self.at:%Y-%m-%d %H:%M})"


class PatientLink(models.Model):
    """A link sent to a patient: each signed token names one row, so it can be revoked, and
    it expires when the row says (``clinic.links``)."""

    class Purpose(models.TextChoices):
        MANAGE = "manage", "Manage the appointment"
        INTAKE = "intake", "Intake questionnaire"
        REASSESSMENT = "reassessment", "Re-assessment"
        SIGN_IN = "sign_in", "Sign in"
        WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="links")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="What else it opens (a re-assessment request's id)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(
        default=0, help_text="Wrong dates of birth typed on a new device; at five it is revoked."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["appointment", "purpose"])]

    def __str__(self):
        return f"{self.get_purpose_display()} link {self.pk}"

    def is_open(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
