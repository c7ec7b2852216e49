"""Exercise reminders: "Today's exercises", by text or email, on the days and at the local time
the patient chose, at most once per plan and day.

The rules, each in one place:

- A reminder is due on a chosen weekday from the chosen local time until quiet hours begin
  (``SMS_QUIET_START_HOUR``, for texts and emails alike), while it is on, its plan version is the
  patient's active one (a plan that ends or is replaced pauses it), and the patient has logged
  no session that local day (``reminder_due``).
- Once per plan and day: the sweep creates one ``ExerciseReminderDay`` per plan and local date
  (unique), and only the sweep that created it hands it on. A text is then a ``Message`` with a
  dedupe key per plan and day, sent exactly once by ``clinic.services.messaging`` (consent, STOP
  and the do-not-text list are checked there, at queueing and again at sending). An email is
  claimed (queued → sending) by one worker before it goes.
- The words carry no clinical detail: the clinic's name and a link to the "today" page.

Logs carry ids and statuses only.
"""

import datetime
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from careplans.models import CarePlan, SessionLog
from careplans.models_reminders import ExerciseReminder, ExerciseReminderDay
from careplans.selectors import ADHERENCE_WINDOWS, Adherence, adherence_for
from clinic import guardians, links
from clinic.models import Appointment, AuditEvent, Message, Patient
from clinic.services.audit import audit_record
from clinic.services.messaging import message_queue

logger = logging.getLogger(__name__)

REMINDER_TEXT = (
    "{clinic}: time for today's exercises. Open them here, one tap logs the session: {link} "
    "Reply STOP to opt out."
)
REMINDER_EMAIL_SUBJECT = "Today's exercises"
REMINDER_EMAIL_BODY = (
    "Hello {first_name},\n\n"
    "It's time for {whose} exercises today. Open them here; one tap logs the session:\n{link}\n\n"
    "You chose these reminders on your plan page, where you can change or turn them off.\n\n"
    "{clinic}\n"
)
NO_DAYS = "Choose at least one day."
IN_QUIET_HOURS = "Choose a time between {start}:00 and {end}:00, so we never write at night."
CANNOT_TEXT = (
    "We can't text you: we need your mobile number and your agreement to texts. Choose email, "
    "or ask the front desk to add them."
)
NOT_ACTIVE = "Reminders are set on your current plan."


class ReminderError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def in_quiet_hours(hour: int) -> bool:
    start, end = settings.SMS_QUIET_START_HOUR, settings.SMS_QUIET_END_HOUR
    return hour >= start or hour < end


def patient_time_zone(patient: Patient) -> str:
    """The zone of the location of the patient's latest visit that is not cancelled, else the
    clinic's (``TIME_ZONE``): reminder times are read in it."""
    zone = (
        Appointment.objects.filter(patient=patient, status__in=Appointment.ACTIVE_STATUSES)
        .order_by("-start")
        .values_list("location__time_zone", flat=True)
        .first()
    )
    return zone or settings.TIME_ZONE


def can_text(patient: Patient) -> bool:
    return bool(patient.sms_consent and not patient.sms_opted_out_at and patient.phone)


# --- The patient's settings ----------------------------------------------------------------------


REMINDER_FIELDS = ("days", "local_time", "channel", "is_on")


def reminder_save(
    *,
    plan: CarePlan,
    days: Iterable[int],
    local_time: datetime.time,
    channel: str,
    is_on: bool = True,
    now: datetime.datetime | None = None,
) -> ExerciseReminder:
    """Set (or change, or turn off) the reminder of the patient's active plan."""
    now = now or timezone.now()
    if plan.status != CarePlan.Status.ACTIVE:
        raise ReminderError(NOT_ACTIVE, "not_active")
    digits = "".join(str(day) for day in sorted(set(days)))
    if is_on and not digits:
        raise ReminderError(NO_DAYS, "no_days")
    if is_on and in_quiet_hours(local_time.hour):
        raise ReminderError(
            IN_QUIET_HOURS.format(
                start=settings.SMS_QUIET_END_HOUR, end=settings.SMS_QUIET_START_HOUR
            ),
            "quiet_hours",
        )
    if is_on and channel == ExerciseReminder.Channel.SMS and not can_text(plan.patient):
        raise ReminderError(CANNOT_TEXT, "cannot_text")
    with transaction.atomic():
        reminder = ExerciseReminder.objects.filter(plan=plan).first()
        created = reminder is None
        if reminder is None:
            reminder = ExerciseReminder(plan=plan, first_on_at=now)
        reminder.days = digits or reminder.days or "0"
        reminder.local_time = local_time
        reminder.channel = channel
        reminder.is_on = is_on
        reminder.time_zone = patient_time_zone(plan.patient)
        reminder.full_clean()
        reminder.save()
        # The reminder's settings are not clinical, but they belong to the plan: names only.
        audit_record(
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            patient_id=plan.patient_id,
            obj=reminder,
            changed_fields=REMINDER_FIELDS,
        )
    logger.info("careplan %s: exercise reminder %s", plan.pk, "on" if is_on else "off")
    return reminder


def reminder_turn_off(*, plan: CarePlan) -> None:
    ExerciseReminder.objects.filter(plan=plan).update(is_on=False, updated_at=timezone.now())


# --- The sweep ------------------------------------------------------------------------------------


def today_url() -> str:
    return links.absolute(reverse("careplans:my_today"))


def _due_in_zone(zone_name: str, now: datetime.datetime):
    """Reminders in ``zone_name`` due at ``now``, with the local date, or None when none can be."""
    local = now.astimezone(zoneinfo.ZoneInfo(zone_name))
    if in_quiet_hours(local.hour):
        return None, None
    day = local.date()
    sent = ExerciseReminderDay.objects.filter(plan=OuterRef("plan"), day=day)
    logged = SessionLog.objects.filter(patient=OuterRef("plan__patient"), performed_on=day)
    due = (
        ExerciseReminder.objects.filter(
            is_on=True,
            time_zone=zone_name,
            plan__status=CarePlan.Status.ACTIVE,
            days__contains=str(local.weekday()),
            local_time__lte=local.time(),
        )
        .exclude(Exists(sent))
        .exclude(Exists(logged))
    )
    return due, day


def reminder_due(
    *, now: datetime.datetime | None = None
) -> list[tuple[ExerciseReminder, datetime.date]]:
    """Every reminder due now, with the local day it is for (one query per time zone in use)."""
    now = now or timezone.now()
    found = []
    zones = (
        ExerciseReminder.objects.filter(is_on=True)
        .order_by("time_zone")
        .values_list("time_zone", flat=True)
        .distinct()
    )
    for zone_name in zones:
        due, day = _due_in_zone(zone_name, now)
        if due is not None:
            found.extend((reminder, day) for reminder in due.select_related("plan__patient"))
    return found


def _claim_day(reminder: ExerciseReminder, day: datetime.date) -> ExerciseReminderDay | None:
    """The day's row, if this call created it; None when another sweep has it already."""
    try:
        with transaction.atomic():
            return ExerciseReminderDay.objects.create(
                plan_id=reminder.plan_id, day=day, channel=reminder.channel
            )
    except IntegrityError:
        return None


@dataclass(frozen=True)
class SweepResult:
    message_ids: list[int]  # texts to send
    email_day_ids: list[int]  # emails to send


def reminder_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Queue every due reminder once; return what to hand to the senders.

    Emails still queued from an earlier sweep (a lost task) are handed on again: sending claims
    the row first, so that is harmless.
    """
    now = now or timezone.now()
    message_ids, email_ids = [], []
    for reminder, day in reminder_due(now=now):
        row = _claim_day(reminder, day)
        if row is None:
            continue
        if reminder.channel == ExerciseReminder.Channel.SMS:
            message, _ = message_queue(
                kind=Message.Kind.EXERCISE_REMINDER,
                patient=reminder.plan.patient,
                dedupe_key=f"careplan:{reminder.plan_id}:exercises:{day:%Y%m%d}",
                body=REMINDER_TEXT.format(clinic=settings.CLINIC_SHORT_NAME, link=today_url()),
            )
            row.message = message
            row.status = ExerciseReminderDay.Status.TEXTED
            row.save(update_fields=["message", "status", "updated_at"])
            if message.status == Message.Status.QUEUED:
                message_ids.append(message.pk)
        else:
            email_ids.append(row.pk)
    lost_before = now - datetime.timedelta(seconds=settings.SMS_REDISPATCH_AFTER_SECONDS)
    email_ids += [
        pk
        for pk in ExerciseReminderDay.objects.filter(
            status=ExerciseReminderDay.Status.QUEUED,
            channel=ExerciseReminder.Channel.EMAIL,
            updated_at__lt=lost_before,
        ).values_list("pk", flat=True)
        if pk not in email_ids
    ]
    return SweepResult(message_ids=message_ids, email_day_ids=email_ids)


def reminder_email_send(*, day_id: int) -> bool:
    """Email one day's reminder, once: the row is claimed (queued → sending) before sending, so
    of two workers with the same task one sends. A plan that ended, a reminder turned off or a
    session logged meanwhile sends nothing. Returns whether it sent."""
    row = ExerciseReminderDay.objects.select_related("plan__patient", "plan__reminder").get(
        pk=day_id
    )
    claimed = ExerciseReminderDay.objects.filter(
        pk=row.pk, status=ExerciseReminderDay.Status.QUEUED
    ).update(status=ExerciseReminderDay.Status.SENDING, updated_at=timezone.now())
    if not claimed:
        return False
    plan, patient = row.plan, row.plan.patient
    still_due = (
        plan.status == CarePlan.Status.ACTIVE
        and plan.reminder.is_on
        and not SessionLog.objects.filter(patient=patient, performed_on=row.day).exists()
    )
    contact = guardians.contact_for(patient)  # a guardian's, for a dependent
    if not still_due or not contact.email:
        row.status = ExerciseReminderDay.Status.FAILED
        row.save(update_fields=["status", "updated_at"])
        return False
    words = guardians.addressing(patient)
    try:
        send_mail(
            subject=REMINDER_EMAIL_SUBJECT,
            message=REMINDER_EMAIL_BODY.format(
                first_name=words.greeting,
                whose=words.whose,
                link=today_url(),
                clinic=settings.CLINIC_NAME,
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[contact.email],
        )
    except OSError:  # the mail server: back in the queue for the task's retry
        ExerciseReminderDay.objects.filter(pk=row.pk).update(
            status=ExerciseReminderDay.Status.QUEUED, updated_at=timezone.now()
        )
        raise
    row.status, row.sent_at = ExerciseReminderDay.Status.SENT, timezone.now()
    row.save(update_fields=["status", "sent_at", "updated_at"])
    logger.info("careplan %s: exercise reminder emailed", plan.pk)
    return True


# --- What the therapist sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSummary:
    """Whether the active plan's reminders are on, and adherence in the weeks before and since."""

    reminder: ExerciseReminder | None
    before: Adherence | None
    since: Adherence | None

    @property
    def is_on(self) -> bool:
        return bool(self.reminder and self.reminder.is_on)


def reminder_summary(
    *, plan: CarePlan | None, today: datetime.date | None = None, days: int = ADHERENCE_WINDOWS[-1]
) -> ReminderSummary:
    """Adherence (``selectors.Adherence``) over the ``days`` before reminders were first turned
    on, and from that day to today (at most ``days``). Three queries."""
    if plan is None:
        return ReminderSummary(None, None, None)
    reminder = ExerciseReminder.objects.filter(plan=plan).first()
    if reminder is None:
        return ReminderSummary(None, None, None)
    today = today or timezone.localdate()
    first_on = timezone.localdate(reminder.first_on_at)
    per_week = max(plan.items.values_list("times_per_week", flat=True), default=0)
    log_days = list(
        SessionLog.objects.filter(patient=plan.patient, plan__lineage=plan.lineage).values_list(
            "performed_on", flat=True
        )
    )
    since_plan = (
        CarePlan.objects.filter(lineage=plan.lineage)
        .order_by("version")
        .values_list("start_date", flat=True)[:1]
    )
    plan_start = next(iter(since_plan), plan.start_date)
    before = adherence_for(
        per_week=per_week,
        since=plan_start,
        log_days=log_days,
        today=first_on - datetime.timedelta(days=1),
        days=days,
    )
    since = adherence_for(
        per_week=per_week,
        since=max(plan_start, first_on),
        log_days=log_days,
        today=today,
        days=min(days, (today - first_on).days + 1),
    )
    return ReminderSummary(reminder, before, since)
