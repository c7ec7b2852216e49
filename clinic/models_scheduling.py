"""Plan-of-care scheduling: clinic closures, series of visits, and the waitlist with its offers.
Imported by ``clinic.models``; the rules are in ``clinic.services.series`` and
``clinic.services.waitlist``, availability (closures included) in
``clinic.selectors.availability``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from clinic.models import Appointment, AppointmentType, Location, Patient, Therapist, User

CLOSURE_ENDS_BEFORE_START = "The last closed day cannot be before the first."
WAITLIST_ENDS_BEFORE_START = "The last date cannot be before the first."


class ClinicClosure(models.Model):
    """Days a location (or every location) is closed: a holiday. No visit is offered or booked
    on them, whatever the therapists' weekly hours say."""

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text="Leave empty when every location is closed.",
    )
    start_date = models.DateField(help_text="The first closed day (the location's calendar).")
    end_date = models.DateField(help_text="The last closed day; the same as the first for one.")
    name = models.CharField(max_length=100, help_text="Shown to staff, e.g. “Christmas Day”.")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="clinicclosure_ends_after_start",
            ),
        ]

    def __str__(self):
        where = self.location or "All locations"
        if self.end_date == self.start_date:
            return f"{self.name}: {where}, {self.start_date:%Y-%m-%d}"
        return f"{self.name}: {where}, {self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": CLOSURE_ENDS_BEFORE_START})


class AppointmentSeries(models.Model):
    """A plan of care booked in one step: visits at a rhythm with one therapist and place."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        TWICE_WEEKLY = "twice_weekly", "Twice a week"
        EVERY_OTHER_WEEK = "every_other_week", "Every other week"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="series")
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="series")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="series")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="series"
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "plan-of-care series"
        verbose_name_plural = "plan-of-care series"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_frequency_display()} {self.appointment_type} for {self.patient}"


class SeriesVisit(models.Model):
    """One visit of a series: the appointment, booked like any other."""

    series = models.ForeignKey(AppointmentSeries, on_delete=models.CASCADE, related_name="visits")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="series_visit"
    )

    class Meta:
        ordering = ["appointment__start"]

    def __str__(self):
        return f"Visit {self.appointment_id} of series {self.series_id}"


class WaitlistEntry(models.Model):
    """A patient who wants a sooner or better time than the free ones: offered freed times."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        BOOKED = "booked", "Booked from an offer"
        REMOVED = "removed", "Removed"

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", "Morning (before noon)"
        AFTERNOON = "afternoon", "Afternoon (noon to 5 PM)"
        EVENING = "evening", "Evening (after 5 PM)"

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        FRONT_DESK = "front_desk", "Front desk"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="waitlist")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="waitlist"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="waitlist")
    therapist = models.ForeignKey(
        Therapist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waitlist",
        help_text="Leave empty for any therapist.",
    )
    earliest_date = models.DateField(help_text="The first day that suits (local).")
    latest_date = models.DateField(help_text="The last day that suits (local).")
    times_of_day = models.JSONField(
        default=list, blank=True, help_text="Parts of the day that suit; empty means any time."
    )
    # What was typed when joining, as a booking keeps it: offers go to these.
    first_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ONLINE)
    booked_appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "waitlist entries"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest_date__gte=models.F("earliest_date")),
                name="waitlistentry_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "location", "appointment_type"])]

    def __str__(self):
        return f"{self.patient} for {self.appointment_type} at {self.location}"

    def clean(self):
        if self.earliest_date and self.latest_date and self.latest_date < self.earliest_date:
            raise ValidationError({"latest_date": WAITLIST_ENDS_BEFORE_START})


class WaitlistOpening(models.Model):
    """A time that came free and is offered to the waitlist, a round of offers at a time."""

    class Status(models.TextChoices):
        OPEN = "open", "Being offered"
        FILLED = "filled", "Filled from the waitlist"
        GONE = "gone", "Booked otherwise or no longer free"
        UNFILLED = "unfilled", "Nobody took it"

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="openings")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="openings")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="openings"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    rounds = models.PositiveSmallIntegerField(default=0, help_text="Rounds of offers sent.")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A freed time is offered once at a time, however often its task runs.
            models.UniqueConstraint(
                fields=["therapist", "start", "appointment_type"],
                condition=models.Q(status="open"),
                name="waitlistopening_one_open",
            ),
        ]
        indexes = [models.Index(fields=["status", "start"])]

    def __str__(self):
        return f"{self.appointment_type} with {self.therapist} at {self.start:%Y-%m-%d %H:%M}Z"


class WaitlistOffer(models.Model):
    """One entry offered one opening, and what came of it."""

    class Status(models.TextChoices):
        SENT = "sent", "Offered, waiting for an answer"
        ACCEPTED = "accepted", "Accepted and booked"
        TAKEN = "taken", "Taken by someone else first"
        EXPIRED = "expired", "Lapsed without an answer"

    opening = models.ForeignKey(WaitlistOpening, on_delete=models.CASCADE, related_name="offers")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    round = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(
        max_length=10, blank=True, help_text="How the patient answered: text or link."
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "entry"], name="waitlistoffer_once"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"Offer {self.pk} ({self.get_status_display()})"
