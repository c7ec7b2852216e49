"""The front desk's "Today" page and "Book for a caller", under the appointment admin.

``DeskAdminMixin`` adds to ``clinic.admin.appointments``:

- ``today/`` (``clinic_appointment_today``): today's visits per location with their status and
  quick actions (arrived, no-show), the urgent intakes not yet acknowledged (status only), the
  texts that failed, and a link to book for a caller. It is where the front desk lands: after
  signing in (``clinic.views.site.landing_url``) and on the admin's home (``admin_home``);
- ``today/<id>/mark/`` (POST): a quick action, through ``appointment_mark``. A no-show before
  the visit's start is not offered there; the appointment list asks for a confirm instead;
- ``book-caller/`` (``clinic_appointment_book_caller``): ``clinic.admin.caller.BookCallerForm``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic import access
from clinic.admin.caller import BookCallerForm
from clinic.admin.common import phone_national
from clinic.formatting import local_datetime
from clinic.models import Appointment
from clinic.selectors.desk import desk_today
from clinic.services import BookingError, appointment_mark
from clinic.services.booking import no_show_allowed

QUICK_STATUSES = {
    "arrived": Appointment.Status.ARRIVED,
    "no_show": Appointment.Status.NO_SHOW,
}
BOOKED_FOR_CALLER = "Booked {patient} for {when} with {therapist}. The confirmation is on its way."


def admin_home(request):
    """The admin's home page: the front desk goes to "Today", everyone else to the index."""
    if access.is_front_desk(request.user):
        return redirect("admin:clinic_appointment_today")
    return admin.site.admin_view(admin.site.index)(request)


class DeskAdminMixin:
    """The desk's pages, under the appointment admin's URLs."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("today/", view(self.today_view), name="{}_{}_today".format(*info)),
            path(
                "today/<int:pk>/mark/",
                view(require_POST(self.today_mark_view)),
                name="{}_{}_today_mark".format(*info),
            ),
            path(
                "book-caller/", view(self.book_caller_view), name="{}_{}_book_caller".format(*info)
            ),
            *super().get_urls(),
        ]

    def _page(self, request, template, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    def today_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        day = desk_today(user=request.user)
        for location_day in day.locations:
            for visit in location_day.visits:
                visit.started = no_show_allowed(appointment=visit, now=day.now)
        for message in day.failed_texts:
            message.to_shown = phone_national(message.to)
        return self._page(
            request,
            "admin/clinic/appointment/today.html",
            "Today",
            desk=day,
            can_change=self.has_change_permission(request),
            can_add=self.has_add_permission(request),
            message_admin="admin:clinic_message_changelist",
            zone=timezone.get_current_timezone(),
        )

    def today_mark_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        appointment = get_object_or_404(Appointment.objects.select_related("location"), pk=pk)
        status = QUICK_STATUSES.get(request.POST.get("status", ""))
        if status is None:
            messages.error(request, "Choose arrived or no-show.")
            return redirect("admin:clinic_appointment_today")
        try:
            appointment = appointment_mark(appointment=appointment, status=status)
        except BookingError as error:
            messages.warning(request, error.message)
        else:
            # The admin's history and the audit trail, as a change on the appointment's page.
            request._audit_changed_fields = ["status"]
            self.log_change(request, appointment, [{"changed": {"fields": ["Status"]}}])
            when = local_datetime(appointment.start, appointment.location.zone)
            label = Appointment.Status(status).label.lower()
            messages.success(request, f"{appointment.patient}, {when}: marked {label}.")
        return redirect("admin:clinic_appointment_today")

    def book_caller_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = BookCallerForm(request.POST)
            if form.is_valid():
                appointment = form.appointment
                self.log_addition(request, appointment, [{"added": {}}])
                messages.success(
                    request,
                    BOOKED_FOR_CALLER.format(
                        patient=appointment.patient,
                        when=local_datetime(appointment.start, appointment.location.zone),
                        therapist=appointment.therapist,
                    ),
                )
                return redirect(reverse("admin:clinic_appointment_change", args=[appointment.pk]))
            status = 400
        else:
            form = BookCallerForm(initial=request.GET.dict())
            status = 200
        response = self._page(
            request,
            "admin/clinic/appointment/book_caller.html",
            "Book for a caller",
            form=form,
            free_times=reverse("admin:clinic_appointment_free_times"),
        )
        response.status_code = status
        return response
