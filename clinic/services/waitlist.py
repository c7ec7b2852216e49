"""The waitlist: patients who want a time that is not free, offered freed times automatically.

Joining: a patient on the times page (or the desk, for a caller) names the type, location,
therapist or any, a date range and the parts of the day that suit.

Offers: when a time comes free (a cancellation, a reschedule: ``booking`` queues
``waitlist_time_freed``; new hours or time off removed: the beat sweep finds it), it becomes a
``WaitlistOpening``, offered to the matching entries oldest first, ``WAITLIST_ROUND_SIZE`` at a
time, by text (consent and STOP respected, never in quiet hours) and email. Each offer holds
``WAITLIST_OFFER_MINUTES``; when every offer of a round has lapsed the sweep sends the next.

Exactly once: accepting locks the opening's row, so of two acceptances at once one books (through
``appointment_book``, with its constraint against double booking) and the other is told the time
was just taken; a time booked online at the same moment makes the acceptance's booking fail,
and it is told the same. Rounds are sent under the same lock, and each offer's text is a
``Message`` with a unique key, so a task run twice (a worker killed mid-offer) sends nothing twice.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from clinic import guardians
from clinic.formatting import local_date, local_datetime, local_time
from clinic.models import (
    Appointment,
    AppointmentType,
    AuditEvent,
    Location,
    Message,
    Patient,
    Therapist,
)
from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening
from clinic.selectors.availability import schedule_for_start
from clinic.services.audit import audit_record
from clinic.services.booker import PatientDetails, patient_details_check, patient_for_booking
from clinic.services.booking import BookingError, appointment_book
from clinic.services.messaging import message_queue

logger = logging.getLogger(__name__)

Entry, Opening, Offer = WaitlistEntry, WaitlistOpening, WaitlistOffer

JOIN_DATES_BACKWARDS = "The last date must be on or after the first."
JOIN_DATES_PAST = "Choose dates from today on."
JOIN_DATES_TOO_FAR = "We book up to {days} days ahead. Please choose an earlier last date."
OFFER_BOOKED = "It's yours: you're booked for {when}. We've sent the details."
OFFER_TAKEN = "Sorry — that time was just taken. You're still on the waitlist."
OFFER_LAPSED = "This offer has lapsed. You're still on the waitlist: we'll tell you of the next."
REPLY_BOOKED = "{clinic}: it's yours — booked for {when}. Details follow by email."
REPLY_TAKEN = "{clinic}: sorry, {when} was just taken. You're still on our waitlist."
REPLY_LAPSED = "{clinic}: that offer has lapsed. You're still on our waitlist."

# Parts of the day by the local hour a visit starts: [from, to).
TIMES_OF_DAY = {
    Entry.TimeOfDay.MORNING: (0, 12),
    Entry.TimeOfDay.AFTERNOON: (12, 17),
    Entry.TimeOfDay.EVENING: (17, 24),
}


@dataclass(frozen=True)
class OfferResult:
    """What answering an offer did: ``Offer.Status`` and, when booked, the appointment."""

    status: str
    message: str
    appointment: Appointment | None = None


def location_today(location: Location, now: datetime.datetime) -> datetime.date:
    return now.astimezone(location.zone).date()


def waitlist_dates_check(
    *, earliest: datetime.date, latest: datetime.date, today: datetime.date
) -> None:
    """A date range that can be offered: forwards, not past, within the booking horizon."""
    if latest < earliest:
        raise BookingError(JOIN_DATES_BACKWARDS, code="latest_date")
    if latest < today:
        raise BookingError(JOIN_DATES_PAST, code="earliest_date")
    if latest > today + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS):
        raise BookingError(
            JOIN_DATES_TOO_FAR.format(days=settings.BOOKING_HORIZON_DAYS), code="latest_date"
        )


# The fields of an entry named by its audit event (what the patient asked for; not clinical).
ENTRY_FIELDS = ("appointment_type", "location", "therapist", "earliest_date", "latest_date")


@transaction.atomic
def waitlist_join(
    *,
    appointment_type: AppointmentType,
    location: Location,
    therapist: Therapist | None,
    earliest_date: datetime.date,
    latest_date: datetime.date,
    times_of_day: list[str],
    patient: Patient | PatientDetails,
    source: str = Entry.Source.ONLINE,
    now: datetime.datetime | None = None,
) -> WaitlistEntry:
    """Put a patient on the waitlist. Details typed online are checked and matched as a
    booking's are (``patient_for_booking``): with ``PatientDetails.dependent`` the entry is the
    dependent's, under the record of the one who joined; offers go to the name and email typed
    (a guardian's), the texts to the guardian's phone (``guardians.contact_for``), and the
    visit booked on acceptance is the dependent's."""
    now = now or timezone.now()
    waitlist_dates_check(
        earliest=earliest_date, latest=latest_date, today=location_today(location, now)
    )
    if isinstance(patient, PatientDetails):
        details = patient_details_check(patient)
        first_name, email = details.first_name.strip(), details.email.strip().lower()
        patient = patient_for_booking(details)
    else:
        contact = guardians.contact_for(patient)
        first_name, email = contact.first_name, contact.email
    entry = Entry(
        patient=patient,
        appointment_type=appointment_type,
        location=location,
        therapist=therapist,
        earliest_date=max(earliest_date, location_today(location, now)),
        latest_date=latest_date,
        times_of_day=sorted({t for t in times_of_day if t in TIMES_OF_DAY}),
        first_name=first_name,
        email=email,
        source=source,
        created_at=now,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        action=AuditEvent.Action.CREATE,
        patient_id=patient.pk,
        obj=entry,
        changed_fields=ENTRY_FIELDS,
        changed_values={"source": source},
    )
    logger.info("waitlist: entry %s joined (%s)", entry.pk, source)
    return entry


@transaction.atomic
def waitlist_remove(*, entry: WaitlistEntry) -> bool:
    """Take an entry off the waitlist (the patient, or the desk); an offer it holds lapses
    now, so the sweep sends the time's next round."""
    removed = Entry.objects.filter(pk=entry.pk, status=Entry.Status.WAITING).update(
        status=Entry.Status.REMOVED, updated_at=timezone.now()
    )
    Offer.objects.filter(entry=entry, status=Offer.Status.SENT).update(status=Offer.Status.EXPIRED)
    if removed:
        audit_record(
            action=AuditEvent.Action.CHANGE,
            patient_id=entry.patient_id,
            obj=entry,
            changed_fields=("status",),
            changed_values={"status": Entry.Status.REMOVED},
        )
    return bool(removed)


def suits_time(entry: WaitlistEntry, local: datetime.datetime) -> bool:
    if not entry.earliest_date <= local.date() <= entry.latest_date:
        return False
    if not entry.times_of_day:
        return True
    return any(
        TIMES_OF_DAY[part][0] <= local.hour < TIMES_OF_DAY[part][1] for part in entry.times_of_day
    )


def offers_pending(now: datetime.datetime):
    return Offer.objects.filter(status=Offer.Status.SENT, expires_at__gt=now)


def entries_waiting(now: datetime.datetime):
    """Entries waiting and holding no offer that is still open."""
    return (
        Entry.objects.filter(status=Entry.Status.WAITING)
        .exclude(Exists(offers_pending(now).filter(entry=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )


def _candidates(opening: WaitlistOpening, now: datetime.datetime) -> list[WaitlistEntry]:
    """The entries this opening may be offered to next, oldest first: matching, not offered
    this time before (in this opening or an earlier one), holding no other open offer."""
    local = opening.start.astimezone(opening.location.zone)
    offered_before = Offer.objects.filter(
        entry=OuterRef("pk"),
        opening__therapist=opening.therapist_id,
        opening__start=opening.start,
    )
    rows = (
        entries_waiting(now)
        .filter(
            appointment_type=opening.appointment_type_id,
            location=opening.location_id,
            earliest_date__lte=local.date(),
            latest_date__gte=local.date(),
        )
        .filter(Q(therapist__isnull=True) | Q(therapist=opening.therapist_id))
        .exclude(Exists(offered_before))
        .select_related("patient__guardian")
    )
    return [entry for entry in rows if suits_time(entry, local)]


def _candidates_locked(opening: WaitlistOpening, now: datetime.datetime) -> list[WaitlistEntry]:
    """The candidates, their rows locked (in id order) and read again: another opening's
    round at the same moment cannot offer one of them a second time."""
    candidates = _candidates(opening, now)
    ids = [entry.pk for entry in candidates]
    list(Entry.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    free = set(entries_waiting(now).filter(pk__in=ids).values_list("pk", flat=True))
    return [entry for entry in candidates if entry.pk in free]


def _in_quiet_hours(opening: WaitlistOpening, now: datetime.datetime) -> bool:
    hour = now.astimezone(opening.location.zone).hour
    return hour >= settings.SMS_QUIET_START_HOUR or hour < settings.SMS_QUIET_END_HOUR


def offerable_from(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.WAITLIST_MIN_NOTICE_HOURS)


def _still_free(opening: WaitlistOpening, now: datetime.datetime) -> bool:
    schedule = schedule_for_start(
        appointment_type=opening.appointment_type,
        location=opening.location,
        start=opening.start,
        therapist=opening.therapist,
        now=now,
        enforce_window=False,
    )
    return bool(schedule.slots(at=opening.start))


def opening_open(
    *,
    therapist_id: int,
    location: Location,
    appointment_type: AppointmentType,
    start: datetime.datetime,
    now: datetime.datetime,
) -> WaitlistOpening:
    """The open opening for this time, made now if there is none (once, however often asked)."""
    fields = {
        "therapist_id": therapist_id,
        "start": start,
        "appointment_type": appointment_type,
        "status": Opening.Status.OPEN,
    }
    found = Opening.objects.filter(**fields).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Opening.objects.create(
                **fields,
                location=location,
                end=start + appointment_type.duration,
                created_at=now,
            )
    except IntegrityError:  # made at the same moment by another task
        return Opening.objects.get(**fields)


def waitlist_time_freed(
    *,
    therapist_id: int,
    location_id: int,
    start: datetime.datetime,
    now: datetime.datetime | None = None,
) -> list[int]:
    """A visit left ``start``: an opening for each visit type waiting entries want there and
    then, if the time is free for it and far enough ahead. Returns the openings' ids."""
    now = now or timezone.now()
    if start < offerable_from(now):
        return []
    location = Location.objects.get(pk=location_id)
    local = start.astimezone(location.zone)
    wanted = (
        Entry.objects.filter(
            status=Entry.Status.WAITING,
            location=location,
            earliest_date__lte=local.date(),
            latest_date__gte=local.date(),
        )
        .filter(Q(therapist__isnull=True) | Q(therapist=therapist_id))
        .values_list("appointment_type", flat=True)
        .distinct()
    )
    therapist = Therapist.objects.get(pk=therapist_id)
    opened = []
    for visit_type in AppointmentType.objects.filter(pk__in=list(wanted)):
        schedule = schedule_for_start(
            appointment_type=visit_type,
            location=location,
            start=start,
            therapist=therapist,
            now=now,
            enforce_window=False,
        )
        if schedule.slots(at=start):
            opening = opening_open(
                therapist_id=therapist_id,
                location=location,
                appointment_type=visit_type,
                start=start,
                now=now,
            )
            opened.append(opening.pk)
    return opened


def offer_text(*, offer: WaitlistOffer) -> str:
    """The offer's text: when, with whom and where, how to take it; never what it is for."""
    opening = offer.opening
    zone = opening.location.zone
    clinic = settings.CLINIC_SHORT_NAME
    when = local_datetime(opening.start, zone, with_zone=True)
    words = guardians.addressing(offer.entry.patient)
    about = f" for {offer.entry.patient.first_name.strip()}" if words.for_dependent else ""
    take = f"{local_date(opening.start, zone)} at {local_time(opening.start, zone)}"
    return (
        f"{clinic}: a time opened up{about}: {when} with {opening.therapist.name}, "
        f"{opening.location.short_address}. Reply Y to take {take}, or tap [link] "
        f"(first to answer gets it; held {settings.WAITLIST_OFFER_MINUTES} min)."
    )


def _taken_text(offer: WaitlistOffer) -> str:
    opening = offer.opening
    when = local_datetime(opening.start, opening.location.zone)
    return REPLY_TAKEN.format(clinic=settings.CLINIC_SHORT_NAME, when=when)


def offer_key(offer_id: int) -> str:
    return f"waitlist-offer:{offer_id}"


def offer_id_from_key(key: str) -> int | None:
    prefix = "waitlist-offer:"
    return int(key[len(prefix) :]) if key.startswith(prefix) else None


@dataclass(frozen=True)
class RoundSent:
    """What a round queued: texts to send, offers to email."""

    message_ids: list[int]
    offer_ids: list[int]


NOTHING = RoundSent([], [])


def _close(opening: WaitlistOpening, status: str, now: datetime.datetime) -> None:
    opening.status, opening.closed_at = status, now
    opening.save(update_fields=["status", "closed_at"])


def _lose_pending(
    opening: WaitlistOpening, now: datetime.datetime, *, answering: int | None = None
) -> list[int]:
    """The opening is gone: its unanswered offers are told so (texts to send), but for the
    one answering now, who hears it in the answer."""
    losing = list(
        opening.offers.filter(status=Offer.Status.SENT, expires_at__gt=now)
        .exclude(pk=answering)
        .select_related("entry__patient")
    )
    opening.offers.filter(status=Offer.Status.SENT).update(status=Offer.Status.TAKEN)
    ids = []
    for offer in losing:
        offer.opening = opening
        message, _ = message_queue(
            kind=Message.Kind.WAITLIST_TAKEN,
            patient=offer.entry.patient,
            dedupe_key=f"waitlist-taken:{offer.pk}",
            body=_taken_text(offer),
        )
        if message.status == Message.Status.QUEUED:
            ids.append(message.pk)
    return ids


@transaction.atomic
def opening_round(*, opening_id: int, now: datetime.datetime | None = None) -> RoundSent:
    """Send the opening's next round of offers, if it is due: none of its offers is still
    open, the time is still free and far enough ahead, and it is not quiet hours. Under the
    opening's row lock, so rounds never overlap and a repeat sends nothing."""
    now = now or timezone.now()
    opening = (
        Opening.objects.select_for_update()
        .select_related("location", "therapist__user", "appointment_type")
        .filter(pk=opening_id)
        .first()
    )
    if opening is None or opening.status != Opening.Status.OPEN:
        return NOTHING
    opening.offers.filter(status=Offer.Status.SENT, expires_at__lte=now).update(
        status=Offer.Status.EXPIRED
    )
    if opening.offers.filter(status=Offer.Status.SENT).exists():
        return NOTHING  # this round still holds
    if opening.start < offerable_from(now):
        _close(opening, Opening.Status.UNFILLED, now)
        return NOTHING
    if not _still_free(opening, now):
        _close(opening, Opening.Status.GONE, now)
        return NOTHING
    if _in_quiet_hours(opening, now):
        return NOTHING  # the sweep sends it when quiet hours end
    entries = _candidates_locked(opening, now)[: settings.WAITLIST_ROUND_SIZE]
    if not entries:
        _close(opening, Opening.Status.UNFILLED, now)
        return NOTHING
    opening.rounds += 1
    opening.save(update_fields=["rounds"])
    expires = now + datetime.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES)
    message_ids, offer_ids = [], []
    for entry in entries:
        offer = Offer.objects.create(
            opening=opening, entry=entry, round=opening.rounds, sent_at=now, expires_at=expires
        )
        message, _ = message_queue(
            kind=Message.Kind.WAITLIST_OFFER,
            patient=entry.patient,
            dedupe_key=offer_key(offer.pk),
            body=offer_text(offer=offer),
        )
        if message.status == Message.Status.QUEUED:
            message_ids.append(message.pk)
        offer_ids.append(offer.pk)
    logger.info(
        "waitlist: opening %s round %s, %s offers", opening.pk, opening.rounds, len(entries)
    )
    return RoundSent(message_ids, offer_ids)


def offer_accept(
    *, offer_id: int, via: str = "link", now: datetime.datetime | None = None
) -> tuple[OfferResult, list[int]]:
    """The patient takes the offered time. The first to accept gets it, booked through the
    booking service; whoever comes later, or after the time was booked otherwise, is told it
    was just taken and stays on the waitlist. Returns the result and the ids of texts to send
    (the others' "just taken")."""
    now = now or timezone.now()
    with transaction.atomic():
        opening_id = Offer.objects.filter(pk=offer_id).values_list("opening", flat=True).first()
        if opening_id is None:
            return OfferResult(Offer.Status.EXPIRED, OFFER_LAPSED), []
        opening = (
            Opening.objects.select_for_update()
            .select_related("location", "therapist__user", "appointment_type")
            .get(pk=opening_id)
        )
        offer = Offer.objects.select_related("entry__patient").get(pk=offer_id)
        offer.opening = opening
        when = local_datetime(opening.start, opening.location.zone, with_zone=True)
        if offer.status == Offer.Status.ACCEPTED:
            return OfferResult(
                offer.status, OFFER_BOOKED.format(when=when), opening.appointment
            ), []
        if offer.status == Offer.Status.TAKEN or opening.status != Opening.Status.OPEN:
            Offer.objects.filter(pk=offer.pk, status=Offer.Status.SENT).update(
                status=Offer.Status.TAKEN, answered_at=now, answered_by=via
            )
            return OfferResult(Offer.Status.TAKEN, OFFER_TAKEN), []
        if offer.status == Offer.Status.EXPIRED or offer.expires_at <= now:
            Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.EXPIRED)
            return OfferResult(Offer.Status.EXPIRED, OFFER_LAPSED), []
        try:
            appointment = appointment_book(
                appointment_type=opening.appointment_type,
                location=opening.location,
                therapist=opening.therapist,
                start=opening.start,
                patient=offer.entry.patient,
                source=Appointment.Source.WAITLIST,
                now=now,
            )
        except BookingError:
            logger.info("waitlist: opening %s was booked otherwise", opening.pk)
            _close(opening, Opening.Status.GONE, now)
            told = _lose_pending(opening, now, answering=offer.pk)
            Offer.objects.filter(pk=offer.pk).update(answered_at=now, answered_by=via)
            return OfferResult(Offer.Status.TAKEN, OFFER_TAKEN), told
        Offer.objects.filter(pk=offer.pk).update(
            status=Offer.Status.ACCEPTED, answered_at=now, answered_by=via
        )
        opening.appointment = appointment
        opening.save(update_fields=["appointment"])
        _close(opening, Opening.Status.FILLED, now)
        Entry.objects.filter(pk=offer.entry_id).update(
            status=Entry.Status.BOOKED, booked_appointment=appointment, updated_at=now
        )
        # The booking writes its own event (``appointment_book``); this one is the offer's.
        audit_record(
            action=AuditEvent.Action.CHANGE,
            patient_id=offer.entry.patient_id,
            obj=offer,
            changed_fields=("status", "answered_at", "answered_by"),
            changed_values={"status": Offer.Status.ACCEPTED, "answered_by": via},
            now=now,
        )
        told = _lose_pending(opening, now)
    logger.info("waitlist: offer %s accepted, appointment %s", offer_id, appointment.pk)
    return OfferResult(Offer.Status.ACCEPTED, OFFER_BOOKED.format(when=when), appointment), told


def offer_pending_for_number(*, number: str, now: datetime.datetime | None = None):
    """The offer a Y from this phone answers: the latest still waiting for an answer, or one
    that lapsed or was taken unanswered within the last two holds (told so, rather than the
    Y confirming some visit)."""
    now = now or timezone.now()
    recent = now - 2 * datetime.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES)
    return (
        Offer.objects.filter(
            Q(entry__patient__phone=number) | Q(entry__patient__guardian__phone=number)
        )
        .filter(
            Q(status=Offer.Status.SENT)
            | Q(
                status__in=[Offer.Status.TAKEN, Offer.Status.EXPIRED],
                answered_at__isnull=True,
                sent_at__gt=recent,
            )
        )
        .select_related("opening__location")
        .order_by("-sent_at", "-pk")
        .first()
    )


def reply_for(result: OfferResult, offer: WaitlistOffer) -> str:
    """The text answering a Y reply."""
    clinic = settings.CLINIC_SHORT_NAME
    when = local_datetime(offer.opening.start, offer.opening.location.zone)
    if result.status == Offer.Status.ACCEPTED:
        return REPLY_BOOKED.format(clinic=clinic, when=when)
    if result.status == Offer.Status.EXPIRED:
        return REPLY_LAPSED.format(clinic=clinic)
    return REPLY_TAKEN.format(clinic=clinic, when=when)


def offer_email_claim(*, offer_id: int, now: datetime.datetime | None = None) -> bool:
    """Whether this worker should email the offer: at most once (a claimed row)."""
    now = now or timezone.now()
    return bool(Offer.objects.filter(pk=offer_id, emailed_at__isnull=True).update(emailed_at=now))
