"""What the SMS provider tells us: delivery callbacks for our texts, and patients' replies.

Replies: STOP (any number, until START; ``clinic.services.opt_outs``), START, HELP, Y to
take a waitlist offer waiting for an answer (``clinic.services.waitlist``), C (or Y) to
confirm the next visit, R for the change link. A replayed callback or reply changes nothing
(provider ids are unique). Sending itself is ``clinic.services.messaging``.
"""

import contextlib
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic import links
from clinic.models import Appointment, InboundMessage, Message, Patient
from clinic.selectors.catalog import location_queryset_active
from clinic.services.messaging import _when, message_body_to_send
from clinic.services.opt_outs import number_opt_in, number_opt_out

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
CONFIRM_WORDS = {"C", "YES", "Y", "CONFIRM"}
RESCHEDULE_WORDS = {"R", "RESCHEDULE"}
TAKE_OFFER_WORDS = {"Y", "YES"}  # with a waitlist offer waiting, Y takes it (else confirms)

REPLY_HELP = "{clinic}: appointment texts. Call {phone} for help. Reply STOP to opt out."
REPLY_CONFIRMED = "{clinic}: thanks, your visit on {when} is confirmed. See you then!"
REPLY_NOTHING_TO_CONFIRM = "{clinic}: we couldn't find an upcoming visit to confirm. Call {phone}."
REPLY_RESCHEDULE = "{clinic}: change or cancel your visit on {when} here: {link}"
REPLY_START = "{clinic}: you'll get appointment texts again. Reply STOP to opt out."
REPLY_UNKNOWN = "{clinic}: this number can't read replies. Call {phone}, or reply C, R or STOP."


DELIVERY_STATUSES = {
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.FAILED,
}


def message_status_update(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """Apply a provider delivery callback. Unknown ids and interim statuses change nothing."""
    new_status = DELIVERY_STATUSES.get(status)
    if not provider_id or new_status is None:
        return False
    message = Message.objects.filter(provider_id=provider_id).first()
    if message is None or message.status == new_status:
        return False  # unknown, or a replayed callback: nothing changes
    if message.status == Message.Status.DELIVERED and new_status == Message.Status.SENT:
        return False  # a late "sent" after "delivered"
    message.status = new_status
    fields = ["status", "updated_at"]
    if new_status == Message.Status.DELIVERED:
        message.delivered_at = timezone.now()
        fields.append("delivered_at")
    if error_code:
        message.error_code = error_code[:20]
        fields.append("error_code")
    message.save(update_fields=fields)
    return True


def _upcoming(patient: Patient, now) -> Appointment | None:
    return (
        patient.appointments.filter(start__gt=now, status__in=Appointment.UPCOMING_STATUSES)
        .select_related("location", "therapist__user", "appointment_type")
        .order_by("start")
        .first()
    )


@transaction.atomic
def inbound_handle(*, from_number: str, body: str, provider_id: str = "", now=None) -> str | None:
    """Record a patient's text and act on it. Returns the reply to send, if any.

    STOP and its synonyms opt the patient out (the carrier also confirms); START/UNSTOP opt
    back in; HELP gives the clinic's phone; C/YES confirms the next visit; R sends its link.
    """
    from clinic import tasks
    from clinic.services import waitlist
    from clinic.services.booking import BookingError, appointment_mark

    now = now or timezone.now()
    word = re.sub(r"[^A-Z]", "", (body or "").strip().upper().split(" ")[0] if body else "")
    if provider_id and InboundMessage.objects.filter(provider_id=provider_id[:64]).exists():
        return None  # the provider retried a text we handled: act and reply once
    patients = list(Patient.objects.filter(phone=from_number))
    try:
        with transaction.atomic():  # a retry arriving at the same moment is refused here
            inbound = InboundMessage.objects.create(
                from_number=from_number[:20],
                body=body[:1600],
                patient=patients[0] if patients else None,
                provider_id=provider_id[:64],
            )
    except IntegrityError:
        return None
    clinic = settings.CLINIC_SHORT_NAME
    phone = location_queryset_active().first()
    phone_text = phone.phone.as_national if phone else settings.CLINIC_PHONE
    reply, action, replied_about = None, "stored", None
    if word in STOP_WORDS:
        number_opt_out(number=from_number, now=now)  # patient or not, until START
        Patient.objects.filter(phone=from_number, sms_opted_out_at__isnull=True).update(
            sms_opted_out_at=now
        )
        action = "opted_out"  # the carrier sends the opt-out confirmation itself
    elif word in START_WORDS:
        number_opt_in(number=from_number)
        Patient.objects.filter(phone=from_number).update(sms_opted_out_at=None)
        reply, action = REPLY_START.format(clinic=clinic), "opted_in"
    elif word in HELP_WORDS:
        reply, action = REPLY_HELP.format(clinic=clinic, phone=phone_text), "help"
    elif word in TAKE_OFFER_WORDS and (
        offer := waitlist.offer_pending_for_number(number=from_number)
    ):
        result, told = waitlist.offer_accept(offer_id=offer.pk, via="text", now=now)
        reply, action = waitlist.reply_for(result, offer), f"waitlist_{result.status}:{offer.pk}"
        if told:
            transaction.on_commit(lambda: tasks.texts_send.delay(told))
    elif word in CONFIRM_WORDS and patients:
        appointment = next(filter(None, (_upcoming(p, now) for p in patients)), None)
        if appointment is None:
            reply = REPLY_NOTHING_TO_CONFIRM.format(clinic=clinic, phone=phone_text)
        else:
            with contextlib.suppress(BookingError):  # already confirmed: say so all the same
                appointment_mark(appointment=appointment, status=Appointment.Status.CONFIRMED)
            reply = REPLY_CONFIRMED.format(clinic=clinic, when=_when(appointment))
            action = f"confirmed:{appointment.pk}"
    elif word in RESCHEDULE_WORDS and patients:
        appointment = next(filter(None, (_upcoming(p, now) for p in patients)), None)
        if appointment is None:
            reply = REPLY_NOTHING_TO_CONFIRM.format(clinic=clinic, phone=phone_text)
        else:
            reply = REPLY_RESCHEDULE.format(
                clinic=clinic, when=_when(appointment), link=links.LINK_PLACEHOLDER
            )
            replied_about = appointment
            action = f"reschedule_link:{appointment.pk}"
    else:
        reply = REPLY_UNKNOWN.format(clinic=clinic, phone=phone_text)
    inbound.action = action
    inbound.save(update_fields=["action"])
    if reply and inbound.patient is not None:
        # Replies go back in the webhook's response; they are recorded like every text, with
        # the link left out of the stored copy.
        recorded = Message.objects.create(
            kind=Message.Kind.REPLY,
            patient=inbound.patient,
            appointment=replied_about,
            dedupe_key=f"reply:{inbound.pk}",
            to=from_number[:20],
            body=reply,
            status=Message.Status.SENT,
            attempts=1,
            sent_at=now,
        )
        reply = message_body_to_send(recorded)
    logger.info("sms: inbound %s -> %s", inbound.pk, action)
    return reply
