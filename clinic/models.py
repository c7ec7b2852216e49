"""The practice: people, places and the schedule's building blocks.

Models hold invariants only; business rules live in ``clinic/services.py`` and
``clinic/selectors.py``.
"""

import datetime
import zoneinfo
from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python

from clinic.formatting import local_datetime, stamp


def email_normalized(value: str) -> str:
    """An email address as accounts and patients are matched by: trimmed, in lower case."""
    return value.strip().lower()


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as America/Chicago.")


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.ADMIN)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Everyone who signs in: patients, therapists, the front desk and clinic admins."""

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        THERAPIST = "therapist", "Therapist"
        FRONT_DESK = "front_desk", "Front desk"
        ADMIN = "admin", "Clinic admin"

    username = None
    email = models.EmailField("email address", unique=True, help_text="Used to sign in.")
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.PATIENT,
        help_text="Decides which pages and navigation the person gets.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_staff_member(self) -> bool:
        """Therapists, front desk and admins: the people who work at the clinic."""
        return self.role != self.Role.PATIENT


class Location(models.Model):
    """A clinic site. Its time zone decides how hours are read and times are shown."""

    name = models.CharField(max_length=100, help_text="Short name, e.g. “NE Minneapolis”.")
    slug = models.SlugField(unique=True)
    street = models.CharField(max_length=200, help_text="Street address with suite.")
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, default="MN")
    postal_code = models.CharField(max_length=10)
    short_address = models.CharField(
        max_length=60, help_text="Brief form used in text messages, e.g. “2112 Broadway St NE”."
    )
    phone = PhoneNumberField(help_text="The front desk's number, shown to patients.")
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def full_address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.postal_code}"


class Therapist(models.Model):
    """A Doctor of Physical Therapy who sees patients at one or more locations."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="therapist")
    credentials = models.CharField(max_length=60, default="PT, DPT")
    bio = models.TextField(blank=True, help_text="Shown to patients choosing a therapist.")
    locations = models.ManyToManyField(Location, related_name="therapists", blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive therapists take no bookings.")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"Dr. {self.user.first_name} {self.user.last_name}".strip()


class Patient(models.Model):
    """A person the clinic treats. May exist before they ever sign in."""

    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="patient"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(db_index=True)
    phone = PhoneNumberField(blank=True, help_text="Mobile number in E.164, for texts.")
    date_of_birth = models.DateField(null=True, blank=True)
    sms_consent = models.BooleanField(
        default=False, help_text="The patient agreed to appointment texts."
    )
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_opted_out_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the patient replied STOP; no texts after it."
    )
    email_verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the patient first used a link sent to this email."
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        help_text="A record this booking resembled (same email, or same phone and name) but was "
        "not proven to be. The front desk merges it or clears this.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["phone"])]
        constraints = [
            # Booking matches a returning patient by email; two at once must not make two.
            # A possible duplicate (someone else booking with a shared email) is not matched by
            # email, so it may share one until the front desk decides.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(possible_duplicate_of__isnull=True),
                name="patient_email_ci_unique",
                violation_error_message="A patient with this email address already exists.",
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Heartbeat(models.Model):
    """Last time a background process checked in; ``/healthz`` reports it."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class AppointmentType(models.Model):
    """What a patient books: a discovery call, an evaluation, a follow-up, a gait analysis."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, help_text="Shown to patients when they choose.")
    duration_minutes = models.PositiveSmallIntegerField(help_text="Length of the visit.")
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Time the therapist keeps free after the visit (notes, room)."
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    online_bookable = models.BooleanField(
        default=True, help_text="Patients can book it online; otherwise only the front desk."
    )
    needs_intake = models.BooleanField(
        default=False, help_text="The patient is asked to complete the intake before the visit."
    )
    price_cents = models.PositiveIntegerField(default=0, help_text="0 means free.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5), name="appointmenttype_duration_min"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)

    @property
    def buffer(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.buffer_after_minutes)

    @property
    def is_in_person(self) -> bool:
        """Seen at the location; otherwise the therapist calls the patient."""
        return self.mode == self.Mode.IN_PERSON


HOURS_OVERLAP_SAVED = "This overlaps another block: {block}."
HOURS_OVERLAP_ENTERED = "Two blocks on {day} overlap: {first} and {second}."


class WorkingHours(models.Model):
    """A weekly block when a therapist sees patients at a location, in its local time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Local time at the location.")
    end_time = models.TimeField(help_text="Local time at the location.")

    class Meta:
        verbose_name_plural = "working hours"
        ordering = ["therapist", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="workinghours_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["location", "therapist"])]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.times} at {self.location}"

    @property
    def times(self) -> str:
        """Start and end as the schedule writes them, e.g. 08:00–12:00."""
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def overlaps(self, other: "WorkingHours") -> bool:
        """The same weekday, and each block starts before the other ends (touching is fine).

        A therapist is in one place at a time, so blocks at different locations count too.
        """
        return (
            self.weekday == other.weekday
            and self.start_time < other.end_time
            and other.start_time < self.end_time
        )

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "The block must end after it starts."})
        if not (self.therapist_id and self.start_time and self.end_time):
            return
        same_day = (
            WorkingHours.objects.filter(therapist_id=self.therapist_id, weekday=self.weekday)
            .exclude(pk=self.pk)
            .select_related("location")
            .order_by("start_time")
        )
        clash = next((block for block in same_day if self.overlaps(block)), None)
        if clash:
            raise ValidationError(HOURS_OVERLAP_SAVED.format(block=clash))


class TimeOff(models.Model):
    """A period a therapist takes no appointments: leave, a course, a holiday."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="timeoff_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.therapist}: {stamp(self.start)} – {stamp(self.end)}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "Time off must end after it starts."})


class Appointment(models.Model):
    """A booked visit. ``start``/``end`` are stored in UTC and shown in the location's zone.

    ``blocked_until`` is the end plus the type's buffer: the therapist's time this visit takes.
    The database refuses two active appointments of one therapist whose
    [start, blocked_until) ranges overlap (migration 0003 on PostgreSQL).
    """

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CONFIRMED = "confirmed", "Confirmed"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        FRONT_DESK = "front_desk", "Front desk"
        WAITLIST = "waitlist", "Waitlist offer"

    # Visits that hold the therapist's time: every status but cancelled. The database's
    # exclusion constraint (migration 0003) draws the same line.
    ACTIVE_STATUSES = (
        Status.BOOKED,
        Status.CONFIRMED,
        Status.ARRIVED,
        Status.COMPLETED,
        Status.NO_SHOW,
    )
    # Active visits that have not begun. Only these can still be confirmed, moved or cancelled
    # by the patient, marked arrived or no-show, reminded of, or answered with C or R by text:
    # an arrived, completed or no-show visit is active (it held the time) but past all that.
    UPCOMING_STATUSES = (Status.BOOKED, Status.CONFIRMED)
    # What the patient's "Upcoming" list shows (with the visit's end still ahead): visits to
    # come or under way. A no-show or completed visit has left it.
    COMING_STATUSES = (Status.BOOKED, Status.CONFIRMED, Status.ARRIVED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    blocked_until = models.DateTimeField(help_text="End plus the type's buffer.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ONLINE)
    reason_for_visit = models.TextField(blank=True, help_text="What brings the patient in.")
    # What the booker typed: the booking's pages, emails and texts show these, never the
    # stored record's details, since a booking proves nothing about who is booking.
    booked_first_name = models.CharField(max_length=100, blank=True)
    booked_last_name = models.CharField(max_length=100, blank=True)
    booked_email = models.EmailField(blank=True)
    booked_phone = PhoneNumberField(blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(
        default=timezone.now, help_text="When this start time was set (booked or moved)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(blocked_until__gte=models.F("end")),
                name="appointment_blocked_covers_end",
            ),
        ]
        indexes = [
            models.Index(fields=["therapist", "start"]),
            models.Index(fields=["status", "start"]),
        ]

    def __str__(self):
        when = local_datetime(self.start, self.location.zone)
        return f"{self.appointment_type} for {self.patient}, {when}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def greeting_name(self) -> str:
        """The first name typed when booking online; the record's for the front desk's."""
        return self.booked_first_name if self.booked_email else self.patient.first_name

    @property
    def contact_email(self) -> str:
        return self.booked_email or self.patient.email

    @property
    def contact_phone(self):
        return self.booked_phone if self.booked_email else self.patient.phone

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.location.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.location.zone)


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
        indexes = [models.Index(fields=["status", "updated_at"])]

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


# The do-not-text list lives in its own module, like the models below.
# Care teams, break-glass grants and the audit trail live in their own module.
from clinic import models_scheduling  # noqa: E402, F401 (closures, series, waitlist)
from clinic.models_access import AuditEvent, BreakGlassAccess, CareTeamMember  # noqa: E402, F401

# Who a patient is and the links sent to them: their own module, imported here so Django finds
# them (it needs ``Patient`` and ``Appointment`` above).
from clinic.models_identity import PatientLink, PatientMerge  # noqa: E402, F401
from clinic.models_texts import SmsOptOut  # noqa: E402, F401
