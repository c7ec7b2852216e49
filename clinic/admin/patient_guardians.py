"""Guardians in the patient admin (``clinic.admin.people``): which records have a guardian.

The list gets a "guardian" column and filter, and a patient's page names their guardian (a
raw id, so the page does not list every patient) and, for a guardian, their dependents. Who
acts for whom, and until when, is ``clinic.guardians``' rule; this module only shows it.
"""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from clinic import guardians

GUARDIAN_ACTS = {
    guardians.CHILD: "acts for a child",
    guardians.CARED_FOR: "acts for an adult in their care",
    guardians.SELF: "no longer acts: a patient in their own right",
}


class GuardianFilter(admin.SimpleListFilter):
    title = "guardian"
    parameter_name = "guardian"

    def lookups(self, request, model_admin):
        return [("yes", "Has a guardian (dependents)"), ("guardians", "Guardians")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(guardian__isnull=False)
        if self.value() == "guardians":
            return queryset.filter(dependents__isnull=False).distinct()
        return queryset


def _patient_link(patient) -> str:
    url = reverse("admin:clinic_patient_change", args=[patient.pk])
    return format_html('<a href="{}">{}</a>', url, patient.full_name)


class PatientGuardianMixin:
    """For ``PatientAdmin``: the guardian column, filter and fields, added through the admin's
    ``get_*`` hooks so the admin class only names the mixin."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "guardian_shown"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), GuardianFilter]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("guardian")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "guardian_acts", "dependents_shown"] if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "guardian":
            kwargs["widget"] = ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="guardian", ordering="guardian__last_name")
    def guardian_shown(self, patient):
        return _patient_link(patient.guardian) if patient.guardian_id else "—"

    @admin.display(description="guardian acts")
    def guardian_acts(self, patient):
        if patient.guardian_id is None:
            return "—"
        return GUARDIAN_ACTS[guardians.voice(patient)]

    @admin.display(description="dependents")
    def dependents_shown(self, patient):
        dependents = patient.dependents.order_by("first_name")
        if not dependents:
            return "—"
        return format_html_join(", ", "{}", ((_patient_link(d),) for d in dependents))
