"""The do-not-text list: numbers that said STOP. Imported by ``clinic.models``."""

from django.db import models


class SmsOptOut(models.Model):
    """A number that said STOP: no text goes to it, whoever it belongs to, until it says START.

    Kept by number, not by patient: a STOP from a number no patient has yet still holds when a
    patient with that number books later.
    """

    class Source(models.TextChoices):
        SMS = "sms", "STOP reply"
        STAFF = "staff", "Recorded by staff"
        CARRIER = "carrier", "Carrier report"

    phone = models.CharField(max_length=20, unique=True, help_text="E.164 number.")
    opted_out_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SMS)

    class Meta:
        verbose_name = "SMS opt-out"

    def __str__(self):
        return f"{self.phone} (opted out {self.opted_out_at:%Y-%m-%d})"
