"""The front desk re-issuing a visit's links: the old ones stop working, fresh ones go out by
email or text (``clinic.links`` issues them when the message is composed)."""

import datetime

from django.db import transaction
from django.utils import timezone

from clinic import links
from clinic.models import Appointment, Message, PatientLink
from clinic.services.messaging import TEXT_RELATED, appointment_text, message_queue

NOT_ACTIVE = "A cancelled visit has no links to send."
NO_INTAKE = "This visit needs no intake."
CHANNELS = ("email", "text")
# What is re-sent: the purposes of the links it closes, the email kind, the text kind.
RESENDS = {
    "confirmation": (
        [PatientLink.Purpose.MANAGE, PatientLink.Purpose.INTAKE],
        "confirmation",
        Message.Kind.LINK_RESENT,
    ),
    "intake": ([PatientLink.Purpose.INTAKE], "intake", Message.Kind.INTAKE_LINK_RESENT),
}


class LinkError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@transaction.atomic
def appointment_links_reissue(
    *, appointment: Appointment, what: str, channel: str, now: datetime.datetime | None = None
) -> int:
    """Revoke the visit's open links for ``what`` ("confirmation" or "intake") and send it
    again by ``channel`` ("email" or "text") once committed. Returns the links revoked."""
    from clinic import tasks  # tasks import services; import late to avoid a cycle

    now = now or timezone.now()
    appointment = Appointment.objects.select_related("appointment_type").get(pk=appointment.pk)
    if not appointment.is_active:
        raise LinkError(NOT_ACTIVE, code="cancelled")
    if what == "intake" and not appointment.appointment_type.needs_intake:
        raise LinkError(NO_INTAKE, code="no_intake")
    purposes, email_kind, text_kind = RESENDS[what]
    revoked = links.appointment_links_revoke(appointment=appointment, now=now, purposes=purposes)
    if channel == "email":
        transaction.on_commit(lambda: tasks.appointment_email.delay(appointment.pk, email_kind))
    else:
        key = f"appointment:{appointment.pk}:{text_kind}:{now:%Y%m%dT%H%M%S.%f}"
        transaction.on_commit(lambda: tasks.appointment_text.delay(appointment.pk, text_kind, key))
    return revoked


@transaction.atomic
def appointment_links_close(*, appointment: Appointment, now=None) -> int:
    """Revoke every open link of the visit; the patient can ask for a fresh one."""
    return links.appointment_links_revoke(appointment=appointment, now=now or timezone.now())


def appointment_text_queue(*, appointment_id: int, kind: str, dedupe_key: str) -> int | None:
    """Queue one text about a visit under ``dedupe_key``; its id if it is to be sent now."""
    appointment = Appointment.objects.select_related(*TEXT_RELATED).get(pk=appointment_id)
    message, _ = message_queue(
        kind=kind,
        patient=appointment.patient,
        appointment=appointment,
        dedupe_key=dedupe_key,
        body=appointment_text(appointment=appointment, kind=kind),
    )
    return message.pk if message.status == Message.Status.QUEUED else None
