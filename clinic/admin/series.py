"""Plan-of-care series in the admin: the list of series booked, each with its visits, and
"Add" as the planning page the therapist's workspace has too (``clinic.views.series``):
the plan, the preview of every date with its conflicts and alternatives, and booking the
chosen ones through ``clinic.services.series``, all or none."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets as admin_widgets
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from clinic.admin.common import TherapistListFilter
from clinic.forms_scheduling import SeriesPlanForm
from clinic.models import Patient
from clinic.models_scheduling import AppointmentSeries, SeriesVisit
from clinic.views.series import BOOKED, series_submit


class SeriesVisitInline(admin.TabularInline):
    model = SeriesVisit
    fields = ["appointment", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="Status")
    def status(self, visit):
        return visit.appointment.get_status_display()

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "appointment__patient", "appointment__location", "appointment__appointment_type"
            )
        )


@admin.register(AppointmentSeries)
class AppointmentSeriesAdmin(admin.ModelAdmin):
    list_display = ["patient", "therapist", "location", "frequency", "visit_count", "created_at"]
    list_filter = [("therapist", TherapistListFilter), "location", "frequency"]
    list_select_related = ["patient", "therapist__user", "location"]
    search_fields = ["patient__first_name", "patient__last_name", "patient__email"]
    inlines = [SeriesVisitInline]
    readonly_fields = [
        "patient",
        "therapist",
        "location",
        "appointment_type",
        "frequency",
        "created_by",
        "created_at",
    ]

    @admin.display(description="Visits")
    def visit_count(self, series):
        return series.visits.count()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """The planning page: preview, then book the chosen visits."""
        if not self.has_add_permission(request):
            return redirect(reverse("admin:index"))
        data = request.POST if request.method == "POST" else None
        form = SeriesPlanForm(
            data,
            patients=Patient.objects.all(),
            initial={"patient": request.GET.get("patient")},
        )
        form.fields["patient"] = forms.ModelChoiceField(  # the admin's patient search
            queryset=Patient.objects.all(),
            widget=admin_widgets.AutocompleteSelect(
                AppointmentSeries._meta.get_field("patient"), self.admin_site
            ),
        )
        context = {"form": form, "preview": None, "error": None}
        status = 200
        if data is not None:
            context, series = series_submit(request, form)
            if series is not None:
                count = series.visits.count()
                self.message_user(
                    request, BOOKED.format(count=count, patient=series.patient), messages.SUCCESS
                )
                return redirect(reverse("admin:clinic_appointmentseries_change", args=[series.pk]))
            if context["error"] or not form.is_valid():
                status = 400
        context.update(
            self.admin_site.each_context(request),
            title="Book a plan of care",
            opts=self.opts,
            media=self.media + form.media,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/clinic/appointmentseries/plan.html", context, status=status
        )
