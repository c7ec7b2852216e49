"""Exercise reminders: the patient's chosen days, time and channel per plan, and the one row
per plan and day that makes each reminder go at most once. Imported by ``careplans.models``.

The rules (when a reminder is due, sending it once) live in ``careplans/reminders.py``.
"""

from django.db import models
from django.db.models import Q

from careplans.models import CarePlan
from clinic.models import Message, validate_time_zone

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ExerciseReminder(models.Model):
    """The patient's reminder settings for one plan version: which weekdays, what local time,
    text or email, and whether it is on. A new version of the plan starts without one (the old
    one pauses with its plan)."""

    class Channel(models.TextChoices):
        SMS = "sms", "Text message"
        EMAIL = "email", "Email"

    plan = models.OneToOneField(CarePlan, on_delete=models.CASCADE, related_name="reminder")
    days = models.CharField(
        max_length=7, help_text="The weekdays, as digits 0 (Monday) to 6 (Sunday), e.g. “024”."
    )
    local_time = models.TimeField(help_text="When on those days, in ``time_zone``.")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    is_on = models.BooleanField(default=True)
    first_on_at = models.DateTimeField(
        help_text="When the patient first turned reminders on: adherence before and after it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["is_on", "time_zone"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__regex=r"^[0-6]{1,7}$"), name="exercisereminder_days_digits"
            ),
        ]

    def __str__(self):
        return f"Exercise reminder for plan {self.plan_id} ({'on' if self.is_on else 'off'})"

    @property
    def weekdays(self) -> list[int]:
        return sorted({int(day) for day in self.days})

    @property
    def days_text(self) -> str:
        """“Mon, Wed, Fri”; “every day” for all seven."""
        days = self.weekdays
        if len(days) == 7:
            return "every day"
        return ", ".join(WEEKDAY_LABELS[day] for day in days)


class ExerciseReminderDay(models.Model):
    """One plan's reminder on one local day: created once (unique), so a reminder goes at most
    once a day however many sweeps run. A text is a ``Message`` (sent exactly once by
    ``clinic.services.messaging``); an email is claimed here (queued → sending) before it goes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        TEXTED = "texted", "Handed to the text queue"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="reminder_days")
    day = models.DateField(help_text="The patient's local date the reminder is for.")
    channel = models.CharField(max_length=10, choices=ExerciseReminder.Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="exercisereminderday_once"),
        ]

    def __str__(self):
        return f"Exercise reminder for plan {self.plan_id} on {self.day}"
