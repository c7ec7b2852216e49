"""The patient's signed manage link (``/appointments/<token>/``): the appointment, moving it,
cancelling it and its calendar file.

Used by patients without signing in: the token is their key to that one appointment, resolved
by ``access.appointment_from_link``. The booking's confirmation page
(``booking.BookConfirmedView``) is a page of the same link. Mounted by ``clinic/urls.py``.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from clinic import access, link_check, links, selectors, services
from clinic.formatting import local_datetime
from clinic.limits import SignedLinkLimitMixin, over_limit
from clinic.models import Appointment
from clinic.services.notifications import appointment_ics
from clinic.views.day_picker import (
    DAYS_SHOWN,
    TIME_UNREADABLE,
    days_with_times,
    selected_day,
    slot_from_request,
)


class SignedAppointmentMixin(SignedLinkLimitMixin):
    """Finds the appointment in the signed link; a bad, expired or revoked link gets the
    link-closed page (``links.closed_response``)."""

    salt = links.MANAGE_SALT

    def dispatch(self, request, *args, **kwargs):
        # Counted before the token is read, so bad tokens count too (``SignedLinkLimitMixin``).
        if limited := over_limit(request, self.link_throttle):
            return limited
        self.appointment = access.appointment_from_link(kwargs["token"], salt=self.salt)
        if self.appointment is None:
            return links.closed_response(request)
        asked = link_check.birth_date_check(
            request, self.appointment.opened_with, skip=self.just_booked(request)
        )
        if asked is not None:
            return asked
        # Past the limit's own dispatch: this request is already counted.
        return super(SignedLinkLimitMixin, self).dispatch(request, *args, **kwargs)

    def just_booked(self, request) -> bool:
        """The confirmation page, right after booking in this browser, asks nothing."""
        return False

    def get_appointment(self) -> Appointment:
        return self.appointment

    def appointment_context(self, appointment) -> dict:
        return {
            "appointment": appointment,
            "token": self.kwargs["token"],
            "can_change": services.appointment_change_allowed(appointment=appointment),
            "intake_url": links.intake_url(appointment),
            "late_hours": settings.BOOKING_LATE_CHANGE_HOURS,
        }


class SignedAppointmentPage(SignedAppointmentMixin, TemplateView):
    """A page about the appointment in the link and what the patient may still do with it."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.appointment_context(self.get_appointment()),
        }


class ManageView(SignedAppointmentPage):
    template_name = "clinic/book/manage.html"


class CalendarFileView(SignedAppointmentMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            appointment_ics(appointment=self.get_appointment()), content_type="text/calendar"
        )
        response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
        return response


MOVE_QUESTION = "Move to {when}?"


class RescheduleView(SignedAppointmentMixin, TemplateView):
    """The same day view for the same therapist. Choosing a time asks "Move to …?" with
    Confirm and Back (a plain form: no script needed); only the confirmed form
    (``confirm=yes``) moves the visit."""

    template_name = "clinic/book/reschedule.html"

    def get_context_data(self, error=None, alternatives=(), **kwargs):
        appointment = self.get_appointment()
        zone = appointment.location.zone
        today = timezone.now().astimezone(zone).date()
        slots = selectors.slot_list(
            appointment_type=appointment.appointment_type,
            location=appointment.location,
            therapist=appointment.therapist,
            start_date=today,
            end_date=today + datetime.timedelta(days=DAYS_SHOWN * 2 - 1),
            exclude_appointment_id=appointment.pk,
        )
        days = days_with_times(slots, zone)
        selected = selected_day(self.request, days)
        return {
            **super().get_context_data(**kwargs),
            **self.appointment_context(appointment),
            "days": days,
            "selected": selected,
            "times": days.get(selected, []),
            "zone": zone,
            "error": error,
            "alternatives": [a.start.astimezone(zone) for a in alternatives],
        }

    def post(self, request, *args, **kwargs):
        appointment = self.get_appointment()
        start = slot_from_request(request)
        if start is None:
            context = self.get_context_data(error=TIME_UNREADABLE)
            return self.render_to_response(context, status=400)
        if request.POST.get("confirm") != "yes":
            # A tap on a time only asks; nothing moves until the patient confirms.
            return TemplateResponse(
                request,
                "clinic/book/reschedule_confirm.html",
                {
                    **self.appointment_context(appointment),
                    "start": start,
                    "question": MOVE_QUESTION.format(
                        when=local_datetime(start, appointment.location.zone)
                    ),
                    "back_day": start.astimezone(appointment.location.zone).date(),
                },
            )
        try:
            services.appointment_reschedule(appointment=appointment, start=start)
        except services.BookingError as error:
            context = self.get_context_data(error=error.message, alternatives=error.alternatives)
            return self.render_to_response(context, status=409 if error.code == "taken" else 400)
        messages.success(request, "Your appointment has been moved. We've emailed the new time.")
        return redirect("appointment_manage", token=kwargs["token"])


class CancelView(SignedAppointmentPage):
    template_name = "clinic/book/cancel.html"

    def post(self, request, *args, **kwargs):
        appointment = self.get_appointment()
        try:
            services.appointment_cancel(
                appointment=appointment, reason=request.POST.get("reason", "")
            )
        except services.BookingError as error:
            context = {**self.get_context_data(), "error": error.message}
            return self.render_to_response(context, status=400)
        # The cancellation closed this link: say so here, once, rather than redirect to it.
        messages.success(request, "Your appointment is cancelled. We hope to see you soon.")
        appointment.refresh_from_db()
        return TemplateResponse(
            request, "clinic/book/manage.html", self.appointment_context(appointment)
        )
