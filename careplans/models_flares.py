"""A pain flare the therapist must handle. Imported by ``careplans.models``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from careplans import flare
from careplans.models import SessionLog
from clinic.models import Patient


class PainFlare(models.Model):
    """A flare-up that needs the therapist's attention until they mark it handled, with a note.

    A patient has at most one open: a later flaring session while one is open is marked on its
    log (``SessionLog.flare_reason``) but opens nothing new (``careplans.services_flares``).
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="pain_flares")
    session_log = models.OneToOneField(
        SessionLog, on_delete=models.PROTECT, related_name="pain_flare"
    )
    reason = models.CharField(max_length=10, choices=flare.REASON_CHOICES)
    previous_mean = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    therapist_notified_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_note = models.TextField(blank=True, help_text="What the therapist did about it.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(handled_at__isnull=True),
                name="painflare_one_open_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True) | ~Q(handled_note=""),
                name="painflare_handled_with_note",
            ),
        ]

    def __str__(self):
        return f"Pain flare {self.pk} ({'open' if self.handled_at is None else 'handled'})"
