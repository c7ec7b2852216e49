"""Appointment texts: what they say, when they go, and sending each exactly once.

Exactly once: a text is first *queued* as a ``Message`` row whose ``dedupe_key`` is unique, so
queueing twice creates one row. Sending claims that row (queued → sending, an update only one
worker can make), calls the provider, then records the outcome; a second worker holding the
same task finds it sending or sent and leaves it. Tasks may therefore run twice (acks_late,
redelivery, the sweep re-dispatching rows it finds still queued) without a second text.
"""

import datetime
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from clinic import guardians, links
from clinic.formatting import local_datetime
from clinic.models import Appointment, Message, Patient
from clinic.selectors.catalog import location_queryset_active
from clinic.services.opt_outs import opted_out_numbers
from clinic.sms import get_backend
from clinic.sms.backends.base import SmsError

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500  # reminders queued per insert, and handed on to the senders together
SEND_READ_FRESH_SECONDS = 1.0  # how old a batch's copy of a row may be when it is claimed


def _when(appointment: Appointment) -> str:
    """When the visit starts, as texts say it: with the zone, e.g. Wed Dec 9, 2:00 PM CST."""
    return local_datetime(appointment.start, appointment.location.zone, with_zone=True)


def _where(appointment: Appointment) -> str:
    if appointment.appointment_type.is_in_person:
        return appointment.location.short_address
    return "by phone — we'll call you"


def appointment_text(*, appointment: Appointment, kind: str) -> str:
    """The words of each appointment text: short, always naming the clinic. A dependent's are
    read by their guardian: "Sam is booked", "Sam's Follow-up visit" (``guardians.addressing``)."""
    words = guardians.appointment_addressing(appointment)
    whose, who_is = words.whose, words.who_is
    clinic = settings.CLINIC_SHORT_NAME
    what = appointment.appointment_type.name
    who = appointment.therapist.name
    when = _when(appointment)
    where = _where(appointment)
    if kind == Message.Kind.CONFIRMATION:
        return (
            f"{clinic}: {who_is} booked for {what} with {who}, {when}, {where}. "
            "Reply R to reschedule. STOP to opt out."
        )
    if kind == Message.Kind.REMINDER:
        return (
            f"{clinic}: reminder of {whose} {what} with {who} tomorrow, {when}, {where}. "
            "Reply C to confirm, R to reschedule. STOP to opt out."
        )
    if kind == Message.Kind.RESCHEDULE:
        return f"{clinic}: {whose} {what} with {who} is now {when}, {where}. Reply R to change it."
    if kind == Message.Kind.CANCELLATION:
        return (
            f"{clinic}: {whose} {what} on {when} is cancelled. To book again: "
            f"{links.absolute(reverse('book'))} or call {appointment.location.phone.as_national}."
        )
    if kind in (Message.Kind.INTAKE_REQUEST, Message.Kind.INTAKE_LINK_RESENT):
        return (
            f"{clinic}: before {whose} visit on {when}, please fill in {whose} intake (10 min): "
            f"{links.LINK_PLACEHOLDER}"
        )
    if kind == Message.Kind.LINK_RESENT:
        link = links.LINK_PLACEHOLDER
        return f"{clinic}: {whose} {what} with {who}, {when}. To change or cancel: {link}"
    raise ValueError(f"no appointment text for {kind}")


def message_body_to_send(message: Message) -> str:
    """The text as it goes out: the stored body, with its ``[link]`` made a live link now.

    A ``Message`` row never holds a signed link (the front desk reads them); the link is the
    visit's open one, issued if it has none, so a text composed twice reads the same. The
    intake request carries the intake link, any other text the manage link.
    """
    if links.LINK_PLACEHOLDER not in message.body:
        return message.body
    if message.kind == Message.Kind.WAITLIST_OFFER:
        return _with_offer_link(message)
    if message.appointment is None:
        return message.body
    if message.kind in (Message.Kind.INTAKE_REQUEST, Message.Kind.INTAKE_LINK_RESENT):
        url = links.intake_url(message.appointment)
    else:
        url = links.manage_url(message.appointment)
    return message.body.replace(links.LINK_PLACEHOLDER, url or "")


def _number(patient: Patient) -> str:
    """The number the patient's texts go to: theirs, or their guardian's for a dependent."""
    contact = guardians.contact_for(patient)
    return str(contact.phone) if _has_phone(contact) else ""


def _with_offer_link(message: Message) -> str:
    """A waitlist offer's text with the offer's own link (``clinic.services.waitlist``)."""
    from clinic.models_scheduling import WaitlistOffer
    from clinic.services.waitlist import offer_id_from_key

    offer = (
        WaitlistOffer.objects.select_related("entry")
        .filter(pk=offer_id_from_key(message.dedupe_key))
        .first()
    )
    url = links.waitlist_offer_url(offer) if offer else ""
    return message.body.replace(links.LINK_PLACEHOLDER, url)


def _has_phone(patient: Patient) -> bool:
    # A blank phone reads as "" (or None); any other value is a PhoneNumber, whose truth value
    # would format and validate the number: too slow for every text of a sweep.
    return patient.phone not in (None, "")


def _skip_reason(
    *,
    patient: Patient,
    appointment: Appointment | None,
    kind: str,
    opted_out: set[str] | None = None,
) -> str:
    """Why a text must not go now: no consent, opted out (or the number is on the do-not-text
    list: ``opted_out``, read once per batch, or None to read it here), no phone, cancelled.
    A dependent's texts go by their guardian's consent and phone (``guardians.contact_for``)."""
    patient = guardians.contact_for(patient)
    if not patient.sms_consent:
        return Message.SkipReason.NO_CONSENT
    if patient.sms_opted_out_at:
        return Message.SkipReason.OPTED_OUT
    if not _has_phone(patient):
        return Message.SkipReason.NO_PHONE
    number = str(patient.phone)
    if number in (opted_out_numbers([number]) if opted_out is None else opted_out):
        return Message.SkipReason.OPTED_OUT
    if appointment is not None and kind != Message.Kind.CANCELLATION and not appointment.is_active:
        return Message.SkipReason.CANCELLED
    return ""


def _message_fields(
    *,
    kind: str,
    patient: Patient,
    body: str,
    appointment: Appointment | None,
    skip_reason: str,
    opted_out: set[str] | None = None,
) -> dict:
    """A new message's fields: queued, or skipped with the reason it must not go."""
    reason = skip_reason or _skip_reason(
        patient=patient, appointment=appointment, kind=kind, opted_out=opted_out
    )
    return {
        "kind": kind,
        "patient": patient,
        "appointment": appointment,
        "about_start": appointment.start if appointment else None,
        "to": _number(patient),
        "body": body,
        "status": Message.Status.SKIPPED if reason else Message.Status.QUEUED,
        "skip_reason": reason,
    }


def message_queue(
    *,
    kind: str,
    patient: Patient,
    dedupe_key: str,
    body: str,
    appointment: Appointment | None = None,
    skip_reason: str = "",
) -> tuple[Message, bool]:
    """Create the message once (a repeat with the same key returns the first one).

    Returns (message, created). A message that must not be sent is recorded as skipped with
    its reason, so the clinic can see why a patient got no text.
    """
    defaults = _message_fields(
        kind=kind, patient=patient, body=body, appointment=appointment, skip_reason=skip_reason
    )
    try:
        with transaction.atomic():
            return Message.objects.get_or_create(dedupe_key=dedupe_key, defaults=defaults)
    except IntegrityError:  # the same text queued at the same moment elsewhere
        return Message.objects.get(dedupe_key=dedupe_key), False


def _appointment_key(appointment: Appointment, kind: str) -> str:
    if kind in Message.ONE_PER_APPOINTMENT:
        return f"appointment:{appointment.pk}:{kind}"
    # Reminders and reschedule texts are about one start time: a moved visit gets new ones.
    return f"appointment:{appointment.pk}:{kind}:{appointment.start:%Y%m%dT%H%MZ}"


def appointment_texts_queue(*, appointment_id: int, kind: str) -> list[int]:
    """Queue the texts for a booking event; returns the ids of those to send now.

    A booking also asks for the intake when its type needs one.
    """
    appointment = Appointment.objects.select_related(
        "patient__guardian", "therapist__user", "location", "appointment_type"
    ).get(pk=appointment_id)
    kinds = [kind]
    if kind == Message.Kind.CONFIRMATION and appointment.appointment_type.needs_intake:
        kinds.append(Message.Kind.INTAKE_REQUEST)
    to_send = []
    for each in kinds:
        message, _ = message_queue(
            kind=each,
            patient=appointment.patient,
            appointment=appointment,
            dedupe_key=_appointment_key(appointment, each),
            body=appointment_text(appointment=appointment, kind=each),
        )
        if message.status == Message.Status.QUEUED:
            to_send.append(message.pk)
    return to_send


@dataclass(frozen=True)
class SendOutcome:
    status: str
    retry: bool = False


def _claim(
    *, message: Message, now: datetime.datetime, opted_out: set[str] | None = None
) -> SendOutcome | None:
    """Step 1, committed before the provider is called: queued → sending (or a decision).

    ``message`` is the row as read, with its patient and appointment. It is changed only if it
    is still as read (status, claim time, attempts): PostgreSQL re-checks that condition after
    any concurrent update of the row, so of two workers claiming one message exactly one
    changes it and the other stands back, however old its copy was.

    A message left ``sending`` longer than ``SMS_REDISPATCH_AFTER_SECONDS`` was claimed by a
    worker that died; it is taken over. None means: this worker owns it, go on and send (or
    reconcile, when ``message.taken_over``).
    """
    lost_after = datetime.timedelta(seconds=settings.SMS_REDISPATCH_AFTER_SECONDS)
    taken_over = message.status == Message.Status.SENDING and (
        message.claimed_at is None or message.claimed_at < now - lost_after
    )
    if message.status != Message.Status.QUEUED and not taken_over:
        return SendOutcome(message.status)  # done, or another worker is on it
    as_read = Message.objects.filter(
        pk=message.pk,
        status=message.status,
        claimed_at=message.claimed_at,
        attempts=message.attempts,
    )
    reason = _skip_reason(
        patient=message.patient,
        appointment=message.appointment,
        kind=message.kind,
        opted_out=opted_out,
    )
    if reason and not taken_over:
        if not as_read.update(status=Message.Status.SKIPPED, skip_reason=reason, updated_at=now):
            return _changed_meanwhile(message)
        message.status = Message.Status.SKIPPED
        return SendOutcome(message.status)
    attempts = message.attempts if taken_over else message.attempts + 1
    if not as_read.update(
        status=Message.Status.SENDING, claimed_at=now, attempts=attempts, updated_at=now
    ):
        return _changed_meanwhile(message)
    message.status, message.claimed_at, message.attempts = Message.Status.SENDING, now, attempts
    message.taken_over = taken_over
    return None


def _changed_meanwhile(message: Message) -> SendOutcome:
    """Another worker changed the message since it was read: it is theirs."""
    status = Message.objects.filter(pk=message.pk).values_list("status", flat=True).first()
    message.status = status or "missing"
    return SendOutcome(message.status)


def _send_claimed(*, message: Message, backend) -> SendOutcome:
    """Steps 2 and 3: call the provider (or find the text it already has), record the result."""
    retry = False
    fields = {"error_code": "", "error_text": ""}
    try:
        provider_id = None
        body = message_body_to_send(message)
        if message.taken_over:
            provider_id = backend.find(to=message.to, body=body, since=message.created_at)
            if provider_id and Message.objects.filter(provider_id=provider_id).exists():
                provider_id = None  # an earlier, identical text: this one was never sent
        provider_id = provider_id or backend.send(to=message.to, body=body)
    except SmsError as error:
        fields = {"error_code": error.code, "error_text": error.text[:300]}
        if error.transient and message.attempts < settings.SMS_MAX_ATTEMPTS:
            retry = True
            fields["status"] = Message.Status.QUEUED
        else:
            fields["status"] = Message.Status.FAILED
    else:
        fields.update(status=Message.Status.SENT, provider_id=provider_id, sent_at=timezone.now())
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        **fields, updated_at=timezone.now()
    )
    message.status = fields["status"]
    logger.info("sms: message %s %s (attempt %s)", message.pk, message.status, message.attempts)
    return SendOutcome(message.status, retry=retry)


def _messages_read(message_ids: list[int]) -> dict[int, Message]:
    return Message.objects.select_related(
        "patient__guardian", "appointment__appointment_type", "appointment__location"
    ).in_bulk(message_ids)


def message_send_many(*, message_ids: list[int]) -> Iterator[tuple[int, SendOutcome]]:
    """Send queued messages through the SMS backend, each exactly once; yield each id with its
    outcome as it is decided (the sending happens as the caller iterates).

    Each message is claimed, sent and recorded on its own, as :func:`message_send` describes.
    What the messages share is one backend (one provider connection) and the reading of their
    rows: read together, and read again once ``SEND_READ_FRESH_SECONDS`` have passed, so a
    consent withdrawn or a visit cancelled meanwhile is seen about as soon as with one read
    per message. An old copy can at worst decide a skip late; it cannot send a text twice,
    since the claim only succeeds on the row as it was read.
    """
    backend = get_backend()
    rows: dict[int, Message] = {}
    opted_out: set[str] = set()
    read_at = None
    for n, message_id in enumerate(message_ids):
        if read_at is None or time.monotonic() - read_at > SEND_READ_FRESH_SECONDS:
            rows, read_at = _messages_read(message_ids[n:]), time.monotonic()
            opted_out = opted_out_numbers(filter(None, (_number(m.patient) for m in rows.values())))
        message = rows.get(message_id)
        if message is None:
            yield message_id, SendOutcome("missing")
            continue
        decided = _claim(message=message, now=timezone.now(), opted_out=opted_out)
        yield message_id, decided or _send_claimed(message=message, backend=backend)


def message_send(*, message_id: int) -> SendOutcome:
    """Send a queued message through the SMS backend exactly once.

    The claim (queued → sending) is committed before the provider is called and the result
    after, so a worker killed in between leaves a ``sending`` row. Whoever takes it over first
    asks the provider whether it already has that text (``backend.find``) and only sends when
    it does not. Transient provider errors put it back in the queue (``retry=True``) until
    ``SMS_MAX_ATTEMPTS``, then it fails; permanent errors (e.g. Twilio 21610) fail at once.
    """
    [(_, outcome)] = message_send_many(message_ids=[message_id])
    return outcome


TEXT_RELATED = ("patient__guardian", "therapist__user", "location", "appointment_type")


def _reminder_windows(now: datetime.datetime) -> Iterator[QuerySet]:
    """For each location in its sending hours, its active appointments starting tomorrow."""
    for location in location_queryset_active():
        local_now = now.astimezone(location.zone)
        if not _sending_hours(local_now.hour):
            continue
        tomorrow = local_now.date() + datetime.timedelta(days=1)
        start = datetime.datetime.combine(tomorrow, datetime.time.min, location.zone)
        end = datetime.datetime.combine(
            tomorrow + datetime.timedelta(days=1), datetime.time.min, location.zone
        )
        yield Appointment.objects.filter(
            location=location,
            start__gte=start,
            start__lt=end,
            status__in=Appointment.UPCOMING_STATUSES,
        )


def _not_reminded(appointments: QuerySet) -> QuerySet:
    reminded = Message.objects.filter(
        appointment=OuterRef("pk"), kind=Message.Kind.REMINDER, about_start=OuterRef("start")
    )
    return appointments.exclude(Exists(reminded))


def reminder_due_list(*, now: datetime.datetime | None = None) -> list[Appointment]:
    """Appointments starting tomorrow (location's local date) whose reminder is due now.

    Due from ``REMINDER_LOCAL_HOUR`` local on the day before, never in quiet hours, and only
    while no reminder was recorded for that start time.
    """
    now = now or timezone.now()
    return [
        appointment
        for window in _reminder_windows(now)
        for appointment in _not_reminded(window).select_related(*TEXT_RELATED)
    ]


def _sending_hours(hour: int) -> bool:
    quiet_start, quiet_end = settings.SMS_QUIET_START_HOUR, settings.SMS_QUIET_END_HOUR
    in_quiet = hour >= quiet_start or hour < quiet_end
    return hour >= settings.REMINDER_LOCAL_HOUR and not in_quiet


def _reminders_queue(appointments: list[Appointment]) -> list[int]:
    """Queue the reminders of these appointments in one insert; return the ids to send.

    The unique ``dedupe_key`` makes the insert idempotent: a reminder another sweep queued
    first is left as it is (and, while still queued, sent like the new ones).
    """
    messages = []
    opted_out = opted_out_numbers(filter(None, (_number(a.patient) for a in appointments)))
    for appointment in appointments:
        zone = appointment.location.zone
        day_before = appointment.start.astimezone(zone).date() - datetime.timedelta(days=1)
        reminder_moment = datetime.datetime.combine(
            day_before, datetime.time(settings.REMINDER_LOCAL_HOUR), zone
        )
        covered = appointment.scheduled_at >= reminder_moment
        fields = _message_fields(
            kind=Message.Kind.REMINDER,
            patient=appointment.patient,
            appointment=appointment,
            body=appointment_text(appointment=appointment, kind=Message.Kind.REMINDER),
            skip_reason=Message.SkipReason.COVERED if covered else "",
            opted_out=opted_out,
        )
        key = _appointment_key(appointment, Message.Kind.REMINDER)
        messages.append(Message(dedupe_key=key, **fields))
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING returns no ids: read back the queued ones by their keys.
    keys = [m.dedupe_key for m in messages if m.status == Message.Status.QUEUED]
    return list(
        Message.objects.filter(dedupe_key__in=keys, status=Message.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reminder_sweep_batches(
    *, now: datetime.datetime | None = None, size: int = SWEEP_BATCH
) -> Iterator[list[int]]:
    """Queue every due reminder, ``size`` at a time, and yield the ids to send as each batch
    is queued, so sending starts while the sweep goes on. Then yield any still-queued (or
    still-sending) message whose task was lost (a worker or Redis restarted): sending is
    idempotent, so a repeat dispatch is harmless and nothing is lost.
    """
    now = now or timezone.now()
    queued_now: set[int] = set()
    for window in _reminder_windows(now):
        # The appointments of reminder_due_list, loaded a batch at a time. Each batch is read
        # again through the window (a visit moved or cancelled meanwhile drops out); whether a
        # reminder exists by now is left to the insert, which ignores the ones that do.
        pks = list(_not_reminded(window).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), size):
            batch = window.filter(pk__in=pks[start : start + size]).select_related(*TEXT_RELATED)
            ids = _reminders_queue(list(batch))
            queued_now.update(ids)
            if ids:
                yield ids
    lost_after = datetime.timedelta(seconds=settings.SMS_REDISPATCH_AFTER_SECONDS)
    stale = (
        Message.objects.filter(
            status__in=[Message.Status.QUEUED, Message.Status.SENDING],
            updated_at__lt=now - lost_after,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lost = [pk for pk in stale if pk not in queued_now]
    for start in range(0, len(lost), size):
        yield lost[start : start + size]


def reminder_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """All the ids :func:`reminder_sweep_batches` yields, in one list."""
    return [pk for batch in reminder_sweep_batches(now=now) for pk in batch]


RESENDABLE_STATUSES = (Message.Status.FAILED, Message.Status.UNDELIVERED)


def message_resend(*, message: Message) -> Message:
    """Front desk: try a failed text again (a new attempt of the same message).

    Only a text in ``RESENDABLE_STATUSES`` is queued again; any other is returned unchanged.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status not in RESENDABLE_STATUSES:
            return message
        message.status = Message.Status.QUEUED
        message.error_code = message.error_text = ""
        message.attempts = 0
        message.save(update_fields=["status", "error_code", "error_text", "attempts", "updated_at"])
    return message
