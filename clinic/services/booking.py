"""Booking, rescheduling and cancelling appointments: the rules live here once.

No double booking: every write re-checks the slot inside a transaction. On SQLite that
transaction is IMMEDIATE (settings), so writers queue and the check cannot race; on
PostgreSQL the exclusion constraint ``appointment_no_overlap`` refuses the loser of a race,
which we turn into ``SLOT_TAKEN`` with the nearest free times.
"""

import datetime
import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic import links
from clinic.models import (
    Appointment,
    AppointmentType,
    AuditEvent,
    Location,
    Patient,
    Therapist,
    email_normalized,
)
from clinic.selectors.availability import (
    Schedule,
    Slot,
    booking_window,
    schedule_for_start,
    slot_nearest,
)
from clinic.selectors.catalog import therapist_works_at
from clinic.services.audit import audit_record

if TYPE_CHECKING:
    from clinic.services import booker

logger = logging.getLogger(__name__)

SLOT_TAKEN = "That time was just taken — here are the nearest free times."
SLOT_UNAVAILABLE = "That time is not one we can offer. Please choose one of the free times shown."
SLOT_IN_PAST = "That time has already passed. Please choose a later time."
SLOT_TOO_SOON = "Online bookings need at least {hours} hours' notice. Please choose a later time."
SLOT_TOO_FAR = "We take bookings up to {days} days ahead. Please choose an earlier date."
NOT_BOOKABLE_ONLINE = "This type of appointment is booked by calling the clinic."
THERAPIST_NOT_HERE = "That therapist does not see patients at this location."
LATE_CHANGE = (
    "Your appointment starts within {hours} hours, so it can't be changed online. "
    "Please call us at {phone}."
)
ALREADY_CANCELLED = "This appointment has already been cancelled."
NOT_CHANGEABLE = "This appointment can no longer be changed."
BAD_STATUS_CHANGE = "An appointment that is {current} cannot be marked {new}."
NO_SHOW_TOO_EARLY = "This visit has not started yet, so it cannot be marked no-show."


@dataclass
class BookingError(Exception):
    """A booking rule said no. ``alternatives`` holds nearby free slots when a time was taken."""

    message: str
    code: str = "invalid"
    alternatives: list[Slot] = field(default_factory=list)

    def __str__(self):
        return self.message


def _late_change_message(location: Location) -> str:
    return LATE_CHANGE.format(
        hours=settings.BOOKING_LATE_CHANGE_HOURS, phone=location.phone.as_national
    )


def appointment_change_allowed(*, appointment: Appointment, now=None) -> bool:
    """Patients may change a visit online until the late-change window before it starts."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.BOOKING_LATE_CHANGE_HOURS)
    return appointment.status in Appointment.UPCOMING_STATUSES and appointment.start - now > window


def therapist_location_check(*, therapist: Therapist, location: Location) -> None:
    """Refuse a therapist who does not see patients at ``location``: THERAPIST_NOT_HERE."""
    if not therapist_works_at(therapist=therapist, location=location):
        raise BookingError(THERAPIST_NOT_HERE, code="unavailable")


def _check_time(*, start: datetime.datetime, now: datetime.datetime) -> None:
    """Clear messages for the common ways a requested start falls outside the window."""
    if start <= now:
        raise BookingError(SLOT_IN_PAST, code="past")
    earliest, last_day = booking_window(now=now)
    if start < earliest:
        raise BookingError(
            SLOT_TOO_SOON.format(hours=settings.BOOKING_MIN_NOTICE_HOURS), code="too_soon"
        )
    if start.date() > last_day:
        raise BookingError(SLOT_TOO_FAR.format(days=settings.BOOKING_HORIZON_DAYS), code="too_far")


def _taken_or_unavailable(schedule: Schedule, start: datetime.datetime) -> BookingError:
    """Tell a slot someone else holds apart from a time that was never on offer."""
    if schedule.booked_at(start):
        return _slot_taken(schedule, start)
    return BookingError(SLOT_UNAVAILABLE, code="unavailable")


def _slot_taken(
    schedule: Schedule, start: datetime.datetime, *, lost_race: bool = False
) -> BookingError:
    """SLOT_TAKEN with the nearest free times the same patient could book instead.

    After a lost race the schedule in hand is out of date, so the nearest times are read anew.
    """
    return BookingError(
        SLOT_TAKEN,
        code="taken",
        alternatives=slot_nearest(
            appointment_type=schedule.appointment_type,
            location=schedule.location,
            around=start,
            therapist=schedule.therapist,
            now=schedule.now,
            enforce_window=schedule.enforce_window,
            same_day=None if lost_race else schedule,
        ),
    )


def _least_busy_first(slots: list[Slot], *, schedule: Schedule) -> list[int]:
    """For "any therapist": whoever has the fewest visits that local day goes first.

    Ties are broken at random: concurrent "any therapist" bookings of one start then try
    different therapists first instead of queueing on the same row lock.
    """
    ids = [s.therapist_id for s in slots]
    if len(ids) < 2:
        return ids
    day = slots[0].start.astimezone(schedule.zone).date()
    tie = {pk: random.random() for pk in ids}  # noqa: S311 (not security-relevant)
    return sorted(ids, key=lambda pk: (schedule.visits_on(pk, day), tie[pk]))


def _therapist_lock(candidates: list[int], *, wait: bool) -> Therapist | None:
    """Lock the first therapist of ``candidates`` (by preference) until the transaction ends.

    Bookings of one therapist then take turns: two inserts that clash under the exclusion
    constraint, each made before the other committed, would wait for each other until
    PostgreSQL broke the deadlock a second later. Without ``wait``, therapists another booking
    holds are passed over; None when all are held. (SQLite has no row locks: its bookings
    take turns on the whole database instead.)
    """
    # The therapist's row only (not their user's), read with the name the answer shows.
    locking = (
        Therapist.objects.select_for_update(skip_locked=not wait, of=("self",))
        .select_related("user")
        .order_by()
    )
    for pk in candidates:  # one short query each: usually the first one is free
        for therapist in locking.filter(pk=pk):
            return therapist
    return None


def _audited(appointment: Appointment, action: str, fields: list[str], **values) -> None:
    """The audit event of a write to a visit, in its transaction; the actor is the request's
    user (none on a patient's signed link). Times, status, therapist and place are kept as
    values; the reason for the visit only by name."""
    audit_record(
        action=action,
        patient_id=appointment.patient_id,
        obj=appointment,
        changed_fields=fields,
        changed_values=values,
    )


def _queue_after_commit(appointment: Appointment, kind: str) -> None:
    """Email and text the patient once the change is committed (never for a rolled-back one)."""
    from clinic import tasks  # tasks import services; import late to avoid a cycle

    transaction.on_commit(lambda: tasks.appointment_changed.delay(appointment.pk, kind))


def _time_freed_after_commit(appointment: Appointment, start: datetime.datetime) -> None:
    """A visit left ``start``: once committed, the waitlist is offered the time."""
    from clinic import tasks

    args = (appointment.therapist_id, appointment.location_id, start.isoformat())
    transaction.on_commit(lambda: tasks.waitlist_time_freed.delay(*args))


@transaction.atomic
def appointment_book(
    *,
    appointment_type: AppointmentType,
    location: Location,
    start: datetime.datetime,
    patient: "Patient | booker.PatientDetails",
    therapist: Therapist | None = None,
    source: str = Appointment.Source.ONLINE,
    reason_for_visit: str = "",
    now: datetime.datetime | None = None,
    notify: bool = True,
) -> Appointment:
    """Book ``start`` if availability offers it; refuse a double booking, never make one.

    Online bookings must use an online-bookable type, a start on the slot grid inside the
    therapist's hours, with minimum notice and within the horizon. The front desk books
    through this same function and constraint, but may ignore notice and horizon.
    Without a therapist, the least busy free therapist that day is assigned. A patient given
    as ``PatientDetails`` is checked first (date of birth, phone, a dependent's details), and
    matched or created only once the time is found free; ``booked_*`` keep what the booker
    typed about themselves (for a dependent, the guardian's name and contact). Without
    ``notify`` the caller tells the patient itself (a series sends one confirmation for all
    its visits).
    """
    now = now or timezone.now()
    from clinic.services import booker  # it raises this module's BookingError

    if isinstance(patient, booker.PatientDetails):
        patient = booker.patient_details_check(patient)
    online = source == Appointment.Source.ONLINE
    if online and not appointment_type.online_bookable:
        raise BookingError(NOT_BOOKABLE_ONLINE, code="not_bookable")
    if online:
        _check_time(start=start, now=now)
    schedule = schedule_for_start(
        appointment_type=appointment_type,
        location=location,
        start=start,
        therapist=therapist,
        now=now,
        enforce_window=online,
    )
    free = schedule.slots(at=start)
    if not free:
        # A therapist without hours here may not work here at all: say so.
        if therapist is not None and not schedule.hours:
            therapist_location_check(therapist=therapist, location=location)
        raise _taken_or_unavailable(schedule, start)
    booked = {}
    if isinstance(patient, booker.PatientDetails):
        booked = {
            "booked_first_name": patient.first_name.strip(),
            "booked_last_name": patient.last_name.strip(),
            "booked_email": email_normalized(patient.email),
            "booked_phone": patient.phone,
        }
        patient = booker.patient_for_booking(patient)
    end = start + appointment_type.duration
    candidates = _least_busy_first(free, schedule=schedule)
    holding = False
    while candidates:
        locked = _therapist_lock(candidates, wait=therapist is not None)
        if locked is None and not holding:
            # All are being booked this moment: wait for the first. Holding no lock yet, this
            # booking cannot be part of a cycle of waits.
            locked = _therapist_lock(candidates[:1], wait=True)
        if locked is None:
            break  # the rest are being booked by others; we hold one already and must not wait
        holding = True
        therapist_id = locked.pk
        candidates.remove(therapist_id)
        appointment = Appointment(
            patient=patient,
            therapist=locked,
            location=location,
            appointment_type=appointment_type,
            start=start,
            end=end,
            blocked_until=end + appointment_type.buffer,
            source=source,
            reason_for_visit=reason_for_visit.strip(),
            scheduled_at=now,
            **booked,
        )
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer one usable
                appointment.save()
        except IntegrityError:
            logger.info("booking: lost a race for therapist %s at %s", therapist_id, start)
            continue
        logger.info("booking: appointment %s booked (%s)", appointment.pk, source)
        _audited(
            appointment,
            AuditEvent.Action.CREATE,
            ["start", "therapist", "location", "appointment_type", "reason_for_visit"],
            start=appointment.start.isoformat(),
            therapist=appointment.therapist_id,
            location=appointment.location_id,
            status=appointment.status,
        )
        if notify:
            _queue_after_commit(appointment, "confirmation")
        return appointment
    raise _slot_taken(schedule, start, lost_race=True)


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    start: datetime.datetime,
    by_patient: bool = True,
    now: datetime.datetime | None = None,
) -> Appointment:
    """Move a visit to another free start with the same therapist, type and location.

    Patients may do so online until the late-change window; the front desk at any time.
    """
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_active:
        raise BookingError(ALREADY_CANCELLED, code="cancelled")
    if appointment.status not in Appointment.UPCOMING_STATUSES:
        raise BookingError(NOT_CHANGEABLE, code="status")
    if by_patient and not appointment_change_allowed(appointment=appointment, now=now):
        raise BookingError(_late_change_message(appointment.location), code="late")
    if by_patient:
        _check_time(start=start, now=now)
    _therapist_lock([appointment.therapist_id], wait=True)
    schedule = schedule_for_start(
        appointment_type=appointment.appointment_type,
        location=appointment.location,
        start=start,
        therapist=appointment.therapist,
        now=now,
        enforce_window=by_patient,
        exclude_appointment_id=appointment.pk,
    )
    if not schedule.slots(at=start):
        raise _taken_or_unavailable(schedule, start)
    freed = appointment.start
    appointment.start = start
    appointment.end = start + appointment.appointment_type.duration
    appointment.blocked_until = appointment.end + appointment.appointment_type.buffer
    appointment.status = Appointment.Status.BOOKED
    appointment.confirmed_at = None
    try:
        with transaction.atomic():
            appointment.save(
                update_fields=[
                    "start",
                    "end",
                    "blocked_until",
                    "status",
                    "confirmed_at",
                    "updated_at",
                ]
            )
    except IntegrityError as exc:  # someone else took it since the check
        raise _slot_taken(schedule, start, lost_race=True) from exc
    links.appointment_links_move(appointment=appointment)
    logger.info("booking: appointment %s rescheduled", appointment.pk)
    _audited(
        appointment,
        AuditEvent.Action.CHANGE,
        ["start", "end", "status"],
        start=appointment.start.isoformat(),
        status=appointment.status,
    )
    _queue_after_commit(appointment, "reschedule")
    if freed != start:
        _time_freed_after_commit(appointment, freed)
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    reason: str = "",
    by_patient: bool = True,
    now: datetime.datetime | None = None,
    notify: bool = True,
) -> Appointment:
    """Cancel a visit, freeing its time (offered to the waitlist). Patients may do so online
    until the late window. Without ``notify`` the caller tells the patient itself."""
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_active:
        raise BookingError(ALREADY_CANCELLED, code="cancelled")
    if by_patient and not appointment_change_allowed(appointment=appointment, now=now):
        raise BookingError(_late_change_message(appointment.location), code="late")
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now
    appointment.cancellation_reason = reason.strip()[:300]
    appointment.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    links.appointment_links_revoke(appointment=appointment, now=now)
    logger.info("booking: appointment %s cancelled", appointment.pk)
    _audited(
        appointment,
        AuditEvent.Action.CHANGE,
        ["status", "cancelled_at", "cancellation_reason"],
        status=appointment.status,
    )
    if notify:
        _queue_after_commit(appointment, "cancellation")
    _time_freed_after_commit(appointment, appointment.start)
    return appointment


STATUS_FLOW = {  # each status the front desk sets, and the statuses it may follow
    Appointment.Status.CONFIRMED: {Appointment.Status.BOOKED},
    Appointment.Status.ARRIVED: {*Appointment.UPCOMING_STATUSES},
    Appointment.Status.COMPLETED: {*Appointment.UPCOMING_STATUSES, Appointment.Status.ARRIVED},
    Appointment.Status.NO_SHOW: {*Appointment.UPCOMING_STATUSES},
}


def no_show_allowed(*, appointment: Appointment, now: datetime.datetime | None = None) -> bool:
    """A visit is marked no-show only once its start has passed (staff may confirm earlier)."""
    return appointment.start <= (now or timezone.now())


@transaction.atomic
def appointment_mark(
    *,
    appointment: Appointment,
    status: str,
    now: datetime.datetime | None = None,
    confirm_early: bool = False,
) -> Appointment:
    """Front-desk status changes: confirmed, arrived, completed, no-show (in that order).

    No-show only after the visit's start (``NO_SHOW_TOO_EARLY``, code ``too_early``), unless
    the staff member confirmed it explicitly (``confirm_early``). A no-show leaves the
    patient's coming visits (``Appointment.COMING_STATUSES``).
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    allowed = STATUS_FLOW.get(status, set())
    if appointment.status not in allowed:
        raise BookingError(
            BAD_STATUS_CHANGE.format(
                current=appointment.get_status_display().lower(),
                new=Appointment.Status(status).label.lower(),
            ),
            code="status",
        )
    if (
        status == Appointment.Status.NO_SHOW
        and not confirm_early
        and not no_show_allowed(appointment=appointment, now=now)
    ):
        raise BookingError(NO_SHOW_TOO_EARLY, code="too_early")
    appointment.status = status
    fields = ["status", "updated_at"]
    if status == Appointment.Status.CONFIRMED:
        appointment.confirmed_at = now or timezone.now()
        fields.append("confirmed_at")
    appointment.save(update_fields=fields)
    changed = [name for name in fields if name != "updated_at"]
    _audited(appointment, AuditEvent.Action.CHANGE, changed, status=status)
    return appointment
