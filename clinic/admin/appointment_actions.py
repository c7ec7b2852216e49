"""The appointment list's actions (``clinic.admin.appointments``): mark a status, or cancel.

Each action calls the booking service once per selected appointment (``appointment_mark``,
``appointment_cancel``) and reports every refusal with the service's message, naming the
appointments it left unchanged. Cancelling asks first, with an optional reason, because the
patient is told; marking a visit that has not started yet a no-show asks first too.
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from clinic.formatting import local_datetime
from clinic.models import Appointment
from clinic.services import BookingError, appointment_cancel, appointment_mark
from clinic.services.booking import no_show_allowed


class AppointmentActionsMixin:
    """The status and cancel actions; the admin lists them by name in ``actions``."""

    def _apply(self, request, queryset, change, done: str) -> None:
        changed = 0
        refused = defaultdict(list)
        for appointment in queryset:
            try:
                change(appointment)
            except BookingError as error:
                refused[error.message].append(appointment)
            else:
                changed += 1
        if changed:
            noun = "appointment" if changed == 1 else "appointments"
            self.message_user(request, f"{changed} {noun} {done}.", messages.SUCCESS)
        for message, appointments in refused.items():
            who = "; ".join(
                f"{a.patient}, {local_datetime(a.start, a.location.zone)}" for a in appointments
            )
            self.message_user(request, f"{message} Not changed: {who}.", messages.WARNING)

    def _mark(self, request, queryset, status: str) -> None:
        self._apply(
            request,
            queryset,
            lambda a: appointment_mark(appointment=a, status=status),
            f"marked {Appointment.Status(status).label.lower()}",
        )

    @admin.action(description="Mark confirmed", permissions=["change"])
    def mark_confirmed(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.CONFIRMED)

    @admin.action(description="Mark arrived", permissions=["change"])
    def mark_arrived(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.ARRIVED)

    @admin.action(description="Mark completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.COMPLETED)

    @admin.action(description="Mark no-show", permissions=["change"])
    def mark_no_show(self, request, queryset):
        """Visits that have not started yet are marked only after an explicit confirm."""
        early = [a for a in queryset if not no_show_allowed(appointment=a)]
        if early and request.POST.get("confirm_early") != "yes":
            return self._confirm_page(
                request,
                title="Mark no-show before the start?",
                template="admin/clinic/appointment/no_show_confirmation.html",
                appointments=list(queryset),
                early=early,
            )
        confirmed = request.POST.get("confirm_early") == "yes"
        self._apply(
            request,
            queryset,
            lambda a: appointment_mark(
                appointment=a, status=Appointment.Status.NO_SHOW, confirm_early=confirmed
            ),
            "marked no-show",
        )
        return None

    def _confirm_page(self, request, *, title: str, template: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    @admin.action(description="Cancel selected appointments…", permissions=["change"])
    def cancel(self, request, queryset):
        """Asks first (the patient is told), with an optional reason, then cancels each."""
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Cancel appointments",
                "opts": self.opts,
                "appointments": list(queryset),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(
                request, "admin/clinic/appointment/cancel_confirmation.html", context
            )
        reason = request.POST.get("cancellation_reason", "")
        self._apply(
            request,
            queryset,
            lambda a: appointment_cancel(appointment=a, reason=reason, by_patient=False),
            "cancelled",
        )
        return None
