"""Telling the patient about their appointment: email with a calendar file (texts: issue 6)."""

import logging

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic import guardians, links
from clinic.formatting import local_datetime
from clinic.models import Appointment

logger = logging.getLogger(__name__)

# ``{Whose}``/``{whose}``: "Your"/"your", or "Sam's" for a dependent (``guardians.addressing``).
EMAIL_SUBJECTS = {
    "confirmation": "{Whose} {type} is booked: {when}",
    "reschedule": "{Whose} {type} has moved: {when}",
    "cancellation": "{Whose} {type} on {when} is cancelled",
    "intake": "{Whose} intake questionnaire before {whose} {type}: {when}",
}


def appointment_ics(*, appointment: Appointment) -> bytes:
    """An iCalendar file for the visit; the same UID on every update so calendars replace it."""
    return appointments_ics(appointments=[appointment])


def appointments_ics(*, appointments: list[Appointment]) -> bytes:
    """One iCalendar file with an event per visit (a series' visits in one file)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Stride//Appointments//EN")
    cal.add("version", "2.0")
    cancelled = all(not a.is_active for a in appointments)
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    for appointment in appointments:
        cal.add_component(_event(appointment))
    return cal.to_ical()


def _event(appointment: Appointment) -> icalendar.Event:
    cancelled = not appointment.is_active
    event = icalendar.Event()
    event.add("uid", f"appointment-{appointment.pk}@stride")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("sequence", int(appointment.updated_at.timestamp()))
    event.add(
        "summary",
        f"{appointment.appointment_type.name} with {appointment.therapist.name} "
        f"— {settings.CLINIC_SHORT_NAME}",
    )
    if appointment.appointment_type.is_in_person:
        event.add("location", f"{settings.CLINIC_NAME}, {appointment.location.full_address}")
    else:
        event.add("location", f"{appointment.appointment_type.get_mode_display()}")
    # The clinic's address and phone, never the manage link: calendars are shared and synced.
    location = appointment.location
    event.add(
        "description",
        f"{settings.CLINIC_NAME}, {location.full_address}. "
        f"To change or cancel, call {location.phone.as_national} or use the link in your email.",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def appointment_email_send(*, appointment_id: int, kind: str) -> None:
    """Email the patient about a booking, a new time or a cancellation, with the .ics file."""
    appointment = Appointment.objects.select_related(
        "patient", "therapist__user", "location", "appointment_type"
    ).get(pk=appointment_id)
    when = local_datetime(appointment.start, appointment.location.zone, with_zone=True)
    words = guardians.appointment_addressing(appointment)
    context = {
        "appointment": appointment,
        "words": words,
        "manage_url": links.manage_url(appointment),
        "intake_url": links.intake_url(appointment) if appointment.is_active else None,
        "clinic_name": settings.CLINIC_NAME,
        "late_hours": settings.BOOKING_LATE_CHANGE_HOURS,
        "book_url": links.absolute(reverse("book")),
    }
    message = EmailMessage(
        subject=EMAIL_SUBJECTS[kind].format(
            type=appointment.appointment_type.name,
            when=when,
            Whose=words.Whose,
            whose=words.whose,
        ),
        body=render_to_string(f"clinic/email/appointment_{kind}.txt", context),
        to=[guardians.appointment_email(appointment)],
    )
    message.attach("appointment.ics", appointment_ics(appointment=appointment), "text/calendar")
    message.send()
    logger.info("email: %s sent for appointment %s", kind, appointment_id)


SERIES_SUBJECTS = {
    "confirmation": "{Whose} {count} visits are booked, from {when}",
    "cancellation": "{count} of {whose} visits are cancelled",
}


def series_email_send(*, series_id: int, kind: str, appointment_ids=()) -> None:
    """One email for a series: every date, the first visit's manage link, one calendar file
    with all of them (or, for a cancellation, the cancelled ones)."""
    from clinic.models_scheduling import AppointmentSeries
    from clinic.services.series import series_visits

    series = AppointmentSeries.objects.select_related("location").get(pk=series_id)
    visits = series_visits(series, appointment_ids)
    if not visits:
        return
    first = visits[0]
    when = local_datetime(first.start, series.location.zone, with_zone=True)
    words = guardians.appointment_addressing(first)
    context = {
        "appointment": first,
        "words": words,
        "visits": visits,
        "manage_url": links.manage_url(first),
        "clinic_name": settings.CLINIC_NAME,
        "late_hours": settings.BOOKING_LATE_CHANGE_HOURS,
        "book_url": links.absolute(reverse("book")),
    }
    message = EmailMessage(
        subject=SERIES_SUBJECTS[kind].format(
            count=len(visits), when=when, Whose=words.Whose, whose=words.whose
        ),
        body=render_to_string(f"clinic/email/series_{kind}.txt", context),
        to=[guardians.appointment_email(first)],
    )
    message.attach("visits.ics", appointments_ics(appointments=visits), "text/calendar")
    message.send()
    logger.info("email: series %s %s sent", series_id, kind)


def waitlist_offer_email_send(*, offer_id: int) -> None:
    """Email a waitlist offer, at most once: the time, with whom, where, and the link."""
    from clinic.models_scheduling import WaitlistOffer
    from clinic.services.waitlist import offer_email_claim

    offer = (
        WaitlistOffer.objects.select_related(
            "entry__patient__guardian", "opening__location", "opening__therapist__user"
        )
        .filter(pk=offer_id)
        .first()
    )
    if offer is None or not offer.entry.email or not offer_email_claim(offer_id=offer_id):
        return
    opening = offer.opening
    when = local_datetime(opening.start, opening.location.zone, with_zone=True)
    context = {
        "offer": offer,
        "words": guardians.addressing(offer.entry.patient, typed_first_name=offer.entry.first_name),
        "opening": opening,
        "when": when,
        "offer_url": links.waitlist_offer_url(offer),
        "minutes": settings.WAITLIST_OFFER_MINUTES,
        "clinic_name": settings.CLINIC_NAME,
    }
    EmailMessage(
        subject=f"A time opened up: {when}",
        body=render_to_string("clinic/email/waitlist_offer.txt", context),
        to=[offer.entry.email],
    ).send()
    logger.info("email: waitlist offer %s sent", offer_id)
