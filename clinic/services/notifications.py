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

EMAIL_SUBJECTS = {
    "confirmation": "Your {type} is booked: {when}",
    "reschedule": "Your {type} has moved: {when}",
    "cancellation": "Your {type} on {when} is cancelled",
    "intake": "Your intake questionnaire before your {type}: {when}",
}


def appointment_ics(*, appointment: Appointment) -> bytes:
    """An iCalendar file for the visit; the same UID on every update so calendars replace it."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Stride//Appointments//EN")
    cal.add("version", "2.0")
    cancelled = not appointment.is_active
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
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
    cal.add_component(event)
    return cal.to_ical()


def appointment_email_send(*, appointment_id: int, kind: str) -> None:
    """Email the patient about a booking, a new time or a cancellation, with the .ics file."""
    appointment = Appointment.objects.select_related(
        "patient", "therapist__user", "location", "appointment_type"
    ).get(pk=appointment_id)
    when = local_datetime(appointment.start, appointment.location.zone, with_zone=True)
    context = {
        "appointment": appointment,
        "manage_url": links.manage_url(appointment),
        "intake_url": links.intake_url(appointment) if appointment.is_active else None,
        "clinic_name": settings.CLINIC_NAME,
        "late_hours": settings.BOOKING_LATE_CHANGE_HOURS,
        "book_url": links.absolute(reverse("book")),
    }
    message = EmailMessage(
        subject=EMAIL_SUBJECTS[kind].format(type=appointment.appointment_type.name, when=when),
        body=render_to_string(f"clinic/email/appointment_{kind}.txt", context),
        to=[appointment.booked_email or guardians.contact_for(appointment.patient).email],
    )
    message.attach("appointment.ics", appointment_ics(appointment=appointment), "text/calendar")
    message.send()
    logger.info("email: %s sent for appointment %s", kind, appointment_id)
