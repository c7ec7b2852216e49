"""Texts: every one we send (``Message``), those patients send us (``InboundMessage``) and the
do-not-text list (``SmsOptOut``). Imported by ``clinic.models``."""

from django.db import models
from phonenumber_field.phonenumber import to_python

from clinic.formatting import stamp
from clinic.models import Appointment, Patient


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


class Message(models.Model):
    """Every text we send or decide not to send, and what happened to it.

    ``dedupe_key`` makes queueing idempotent: a second attempt to create the same message is a
    no-op. Kinds that happen once per appointment are also unique on (appointment, kind).
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Booking confirmation"
        REMINDER = "reminder", "Day-before reminder"
        RESCHEDULE = "reschedule", "Rescheduled"
        CANCELLATION = "cancellation", "Cancelled"
        CAREPLAN_PUBLISHED = "careplan_published", "Care plan published"
        INTAKE_REQUEST = "intake_request", "Intake request"
        REPLY = "reply", "Reply to the patient"
        LINK_RESENT = "link_resent", "Manage link sent again"
        INTAKE_LINK_RESENT = "intake_link_resent", "Intake link sent again"
        SERIES_CONFIRMATION = "series_confirmation", "Series of visits booked"
        WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"
        WAITLIST_TAKEN = "waitlist_taken", "Waitlist offer taken by another"
        EXERCISE_REMINDER = "exercise_reminder", "Exercise reminder"

    ONE_PER_APPOINTMENT = (Kind.CONFIRMATION, Kind.CANCELLATION, Kind.INTAKE_REQUEST)

    class Channel(models.TextChoices):
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    class SkipReason(models.TextChoices):
        NONE = "", "—"
        NO_CONSENT = "no_consent", "No SMS consent"
        OPTED_OUT = "opted_out", "Opted out"
        NO_PHONE = "no_phone", "No phone number"
        CANCELLED = "cancelled", "Appointment cancelled"
        COVERED = "covered", "Covered by the confirmation"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    dedupe_key = models.CharField(
        max_length=120, unique=True, help_text="One message per key, however often it is queued."
    )
    about_start = models.DateTimeField(
        null=True, blank=True, help_text="The appointment start the text was about."
    )
    to = models.CharField(max_length=20, blank=True, help_text="E.164 number.")
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_text = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began sending it (status sending)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"],
                condition=models.Q(kind__in=["confirmation", "cancellation", "intake_request"]),
                name="message_once_per_appointment",
            ),
            # One row per text the provider knows: a replayed callback finds the one row.
            models.UniqueConstraint(
                fields=["provider_id"],
                condition=~models.Q(provider_id=""),
                name="message_provider_id_unique",
            ),
        ]
        indexes = [  # the sender's sweep; the admin's order (with its pk); a number searched
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["-created_at", "-id"], name="message_newest_first"),
            models.Index(fields=["to"], name="message_to"),
        ]

    def __str__(self):
        to = self.to
        number = to_python(to) if to else None
        if number is not None and number.is_valid():
            to = number.as_national
        status = self.get_status_display().lower()
        return f"{self.get_kind_display()} to {to or self.patient} ({status})"


class InboundMessage(models.Model):
    """A text a patient sent us, and what we did with it."""

    from_number = models.CharField(max_length=20)
    body = models.TextField()
    patient = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    provider_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=40, blank=True, help_text="What the reply triggered.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # The provider retries a webhook it thinks failed: the same text is kept once.
            models.UniqueConstraint(
                fields=["provider_id"],
                condition=~models.Q(provider_id=""),
                name="inbound_provider_id_unique",
            ),
        ]

    def __str__(self):
        return f"From {self.from_number} at {stamp(self.received_at)}"
