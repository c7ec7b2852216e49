"""A plan of care booked in one step: a series of visits, previewed, then booked all or none.

The preview lists every date the rhythm asks for (weekly, twice a week, every other week, on
the chosen day(s) and time) and whether it is free; a date that is not says why (the clinic is
closed, the therapist's time off, already taken, outside the therapist's hours) and offers the
nearest free time with the same therapist that week. Availability is the one rule
(``clinic.selectors.availability``), read in one schedule for the whole plan.

Booking goes through ``appointment_book`` for every visit, inside one transaction: a visit
that cannot be had (a lost race) rolls back every visit booked before it, and the caller gets
a fresh preview to choose from. The patient is told once, listing the dates, with one calendar
file; each visit keeps its own reminder and manage link. From a visit's manage link the
patient can cancel that visit, or it and the rest of the series.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic import guardians
from clinic.formatting import local_date, local_time
from clinic.models import (
    Appointment,
    AppointmentType,
    AuditEvent,
    Location,
    Message,
    Patient,
    Therapist,
    User,
)
from clinic.models_scheduling import AppointmentSeries, SeriesVisit
from clinic.selectors.availability import Conflict, schedule_load
from clinic.services.audit import audit_record
from clinic.services.booking import BookingError, appointment_book, appointment_cancel

logger = logging.getLogger(__name__)

Frequency = AppointmentSeries.Frequency

SERIES_TOO_MANY = "A series books at most {max} visits at once."
SERIES_TOO_FEW = "A series has at least one visit."
SERIES_DAYS_WEEKLY = "Choose one day of the week."
SERIES_DAYS_TWICE = "Choose two different days of the week."
SERIES_NOTHING_CHOSEN = "Choose at least one visit to book."
SERIES_IN_PAST = "The first date must be today or later."
SERIES_DATE_LOST = (
    "{when} was just taken, so nothing was booked. The plan below is up to date: choose again."
)
NOT_IN_SERIES = "This appointment is not part of a series."

WEEKS_BETWEEN = {Frequency.WEEKLY: 1, Frequency.TWICE_WEEKLY: 1, Frequency.EVERY_OTHER_WEEK: 2}
DAYS_PER_WEEK = {Frequency.WEEKLY: 1, Frequency.TWICE_WEEKLY: 2, Frequency.EVERY_OTHER_WEEK: 1}


@dataclass
class SeriesError(Exception):
    """A series could not be planned or booked; ``preview`` is a fresh plan after a lost race."""

    message: str
    code: str = "invalid"
    preview: list = field(default_factory=list)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class SeriesPlan:
    """What the therapist or the desk asks for."""

    patient: Patient
    appointment_type: AppointmentType
    location: Location
    therapist: Therapist
    frequency: str
    weekdays: tuple[int, ...]
    time: datetime.time
    first_date: datetime.date
    count: int


@dataclass(frozen=True)
class SeriesDate:
    """One date of the plan: its start, why it is not free (``Conflict``, "" when free), and
    the nearest free start with the same therapist that week (None when there is none)."""

    number: int
    start: datetime.datetime
    conflict: str = ""
    alternative: datetime.datetime | None = None

    @property
    def is_free(self) -> bool:
        return not self.conflict

    @property
    def conflict_label(self) -> str:
        return Conflict.LABELS.get(self.conflict, "")


def series_plan_check(plan: SeriesPlan, *, today: datetime.date | None = None) -> None:
    """The plan's own rules: a count within ``SERIES_MAX_VISITS``, the right number of days."""
    if plan.count < 1:
        raise SeriesError(SERIES_TOO_FEW, code="count")
    if plan.count > settings.SERIES_MAX_VISITS:
        raise SeriesError(SERIES_TOO_MANY.format(max=settings.SERIES_MAX_VISITS), code="count")
    wanted = DAYS_PER_WEEK[plan.frequency]
    if len(set(plan.weekdays)) != wanted:
        message = SERIES_DAYS_TWICE if wanted == 2 else SERIES_DAYS_WEEKLY
        raise SeriesError(message, code="weekdays")
    if plan.first_date < (today or _location_today(plan.location)):
        raise SeriesError(SERIES_IN_PAST, code="first_date")


def _location_today(location: Location) -> datetime.date:
    return timezone.now().astimezone(location.zone).date()


def series_dates(plan: SeriesPlan) -> list[datetime.date]:
    """The dates the rhythm asks for, from the first date on: ``count`` of them."""
    monday = plan.first_date - datetime.timedelta(days=plan.first_date.weekday())
    step = datetime.timedelta(weeks=WEEKS_BETWEEN[plan.frequency])
    days = sorted(set(plan.weekdays))
    dates: list[datetime.date] = []
    week = monday
    while len(dates) < plan.count:
        for weekday in days:
            day = week + datetime.timedelta(days=weekday)
            if day >= plan.first_date and len(dates) < plan.count:
                dates.append(day)
        week += step
    return dates


def _week(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _nearness(candidate: datetime.datetime, asked: datetime.datetime, zone) -> tuple:
    """How near a free time is to the one asked for: the same day first, then the fewest days
    away; among those the nearest time of day (the patient's routine), then the earlier."""
    a, b = candidate.astimezone(zone), asked.astimezone(zone)
    minutes = abs((a.hour * 60 + a.minute) - (b.hour * 60 + b.minute))
    return (abs((a.date() - b.date()).days), minutes, candidate)


def series_preview(*, plan: SeriesPlan, now: datetime.datetime | None = None) -> list[SeriesDate]:
    """Every date of the plan, free or with its conflict and the week's nearest free time.

    Two visits of one series never fall on the same day: an alternative is looked for on the
    days of the week taken by no other date of the plan, the same day first, then the nearest
    day at the nearest time of day.
    """
    now = now or timezone.now()
    series_plan_check(plan, today=now.astimezone(plan.location.zone).date())
    zone = plan.location.zone
    dates = series_dates(plan)
    schedule = schedule_load(
        appointment_type=plan.appointment_type,
        location=plan.location,
        therapist=plan.therapist,
        start_date=_week(dates[0]),
        end_date=_week(dates[-1]) + datetime.timedelta(days=6),
        now=now,
        enforce_window=False,
    )
    free_by_week: dict[datetime.date, list[datetime.datetime]] = {}
    for slot in schedule.slots():
        if slot.therapist_id == plan.therapist.pk and slot.start > now:
            day = slot.start.astimezone(zone).date()
            free_by_week.setdefault(_week(day), []).append(slot.start)
    starts = [datetime.datetime.combine(day, plan.time, zone) for day in dates]
    conflicts = [schedule.conflict(s, therapist_id=plan.therapist.pk) for s in starts]
    used_days = {s.astimezone(zone).date() for s, c in zip(starts, conflicts, strict=True) if not c}
    preview = []
    for number, (start, conflict) in enumerate(zip(starts, conflicts, strict=True), 1):
        alternative = None
        if conflict:
            candidates = [
                s
                for s in free_by_week.get(_week(start.date()), [])
                if s.astimezone(zone).date() not in used_days
            ]
            if candidates:
                alternative = min(candidates, key=lambda s: _nearness(s, start, zone))
                used_days.add(alternative.astimezone(zone).date())
        preview.append(
            SeriesDate(
                number=number,
                start=start.astimezone(datetime.UTC),
                conflict=conflict,
                alternative=alternative,
            )
        )
    return preview


@transaction.atomic
def series_book(
    *,
    plan: SeriesPlan,
    starts: list[datetime.datetime],
    created_by: User | None = None,
    now: datetime.datetime | None = None,
) -> AppointmentSeries:
    """Book every chosen start through the booking service, all or none.

    A start that cannot be had rolls back the whole series: ``SeriesError`` carries a fresh
    preview (read after the rollback) to choose from again. The patient is told once, after
    the commit: one email with one calendar file, one text.
    """
    from clinic import tasks  # tasks import services; import late to avoid a cycle

    now = now or timezone.now()
    if not starts:
        raise SeriesError(SERIES_NOTHING_CHOSEN, code="nothing")
    if len(starts) > settings.SERIES_MAX_VISITS:
        raise SeriesError(SERIES_TOO_MANY.format(max=settings.SERIES_MAX_VISITS), code="count")
    series = AppointmentSeries.objects.create(
        patient=plan.patient,
        therapist=plan.therapist,
        location=plan.location,
        appointment_type=plan.appointment_type,
        frequency=plan.frequency,
        created_by=created_by,
        created_at=now,
    )
    for start in sorted(starts):
        if start <= now:
            raise SeriesError(SERIES_DATE_LOST.format(when=_when(start, plan)), code="taken")
        try:
            appointment = appointment_book(
                appointment_type=plan.appointment_type,
                location=plan.location,
                therapist=plan.therapist,
                start=start,
                patient=plan.patient,
                source=Appointment.Source.FRONT_DESK,
                now=now,
                notify=False,
            )
        except BookingError as error:
            logger.info("series: %s not bookable (%s); nothing booked", start, error.code)
            raise SeriesError(
                SERIES_DATE_LOST.format(when=_when(start, plan)), code="taken"
            ) from error
        SeriesVisit.objects.create(series=series, appointment=appointment)
    # Each visit's booking wrote its own event (``appointment_book``); this one is the series'.
    audit_record(
        action=AuditEvent.Action.CREATE,
        user=created_by,
        patient_id=plan.patient.pk,
        obj=series,
        changed_fields=("therapist", "location", "appointment_type", "frequency", "visits"),
        changed_values={"frequency": plan.frequency, "visits": len(starts)},
        now=now,
    )
    logger.info("series: %s booked with %s visits", series.pk, len(starts))
    transaction.on_commit(lambda: tasks.series_changed.delay(series.pk, "confirmation", []))
    return series


def series_book_or_preview(*, plan: SeriesPlan, starts, created_by=None, now=None):
    """``series_book``, and after a lost race the error with a preview read anew."""
    try:
        return series_book(plan=plan, starts=starts, created_by=created_by, now=now)
    except SeriesError as error:
        if error.code == "taken":
            error.preview = series_preview(plan=plan, now=now)
        raise


def _when(start: datetime.datetime, plan: SeriesPlan) -> str:
    zone = plan.location.zone
    return f"{local_date(start, zone)} at {local_time(start, zone)}"


def series_of(appointment: Appointment) -> AppointmentSeries | None:
    visit = SeriesVisit.objects.select_related("series").filter(appointment=appointment).first()
    return visit.series if visit else None


def series_rest(appointment: Appointment) -> list[Appointment]:
    """This visit and the series' later visits that are still upcoming."""
    series = series_of(appointment)
    if series is None:
        return []
    return list(
        Appointment.objects.filter(
            series_visit__series=series,
            start__gte=appointment.start,
            status__in=Appointment.UPCOMING_STATUSES,
        ).order_by("start")
    )


@transaction.atomic
def series_cancel_rest(
    *,
    appointment: Appointment,
    reason: str = "",
    by_patient: bool = True,
    now: datetime.datetime | None = None,
) -> list[Appointment]:
    """Cancel this visit and the rest of its series (each through ``appointment_cancel``, so
    the late-change rule and the freed times' offers to the waitlist apply); the patient is
    told once, listing the dates."""
    from clinic import tasks

    series = series_of(appointment)
    if series is None:
        raise BookingError(NOT_IN_SERIES, code="not_series")
    cancelled = [
        appointment_cancel(
            appointment=visit, reason=reason, by_patient=by_patient, now=now, notify=False
        )
        for visit in series_rest(appointment)
    ]
    ids = [a.pk for a in cancelled]
    if ids:
        transaction.on_commit(lambda: tasks.series_changed.delay(series.pk, "cancellation", ids))
    return cancelled


# --- Telling the patient ------------------------------------------------------------------


def series_visits(series: AppointmentSeries, appointment_ids=None) -> list[Appointment]:
    rows = Appointment.objects.filter(series_visit__series=series).select_related(
        "patient", "therapist__user", "location", "appointment_type"
    )
    if appointment_ids:
        rows = rows.filter(pk__in=appointment_ids)
    else:
        rows = rows.filter(status__in=Appointment.ACTIVE_STATUSES)
    return list(rows.order_by("start"))


def series_text(*, series: AppointmentSeries, visits: list[Appointment], kind: str) -> str:
    """One text for the whole series: the dates, never what the visits are for."""
    whose = guardians.appointment_addressing(visits[0]).whose if visits else "your"
    clinic = settings.CLINIC_SHORT_NAME
    zone = series.location.zone
    dates = ", ".join(f"{local_date(a.start, zone)} {local_time(a.start, zone)}" for a in visits)
    if kind == "cancellation":
        return f"{clinic}: these visits are cancelled: {dates}. Questions? Call us."
    return (
        f"{clinic}: {whose} {len(visits)} visits with {series.therapist.name} are booked: {dates}. "
        "We'll remind you the day before each. To change or cancel: [link]"
    )


def series_texts_queue(*, series_id: int, kind: str, appointment_ids=()) -> list[int]:
    """Queue the series' one text (once); the ids of those to send now."""
    from clinic.services.messaging import message_queue

    series = AppointmentSeries.objects.select_related("therapist__user", "location").get(
        pk=series_id
    )
    visits = series_visits(series, appointment_ids)
    if not visits:
        return []
    message_kind = (
        Message.Kind.CANCELLATION if kind == "cancellation" else Message.Kind.SERIES_CONFIRMATION
    )
    message, _ = message_queue(
        kind=message_kind,
        patient=visits[0].patient,
        appointment=visits[0],
        dedupe_key=f"series:{series.pk}:{kind}:{visits[0].pk}",
        body=series_text(series=series, visits=visits, kind=kind),
    )
    return [message.pk] if message.status == Message.Status.QUEUED else []
