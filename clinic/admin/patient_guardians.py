"""Guardians in the patient admin (``clinic.admin.people``): which records have a guardian.

The list gets a "guardian" column and filter, and a patient's page names their guardian (a
raw id, so the page does not list every patient) and, for a guardian, their dependents. Who
acts for whom, and until when, is ``clinic.guardians``' rule; this module only shows it.

The desk adds a dependent to a patient from the patient's page ("Add someone they care for":
first name, last name, date of birth), through ``clinic.services.patients.dependent_add``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from clinic import access, guardians
from clinic.services.booker import DependentDetails
from clinic.services.patients import PatientError, dependent_add

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

    def get_urls(self):
        add = self.admin_site.admin_view(self.dependent_add_view)
        return [
            path("<int:pk>/add-dependent/", add, name="clinic_patient_add_dependent"),
            *super().get_urls(),
        ]

    def dependent_add_view(self, request, pk):
        guardian = self.get_object(request, str(pk))
        if guardian is None:
            raise Http404
        if not self.has_change_permission(request, guardian):
            raise PermissionDenied
        form = DependentAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                dependent = dependent_add(
                    guardian=guardian, details=form.details(), by=request.user, request=request
                )
            except PatientError as error:
                form.add_error(ADD_ERROR_FIELDS.get(error.code), error.message)
            else:
                text = DEPENDENT_ADDED.format(dependent=dependent, guardian=guardian)
                self.message_user(request, text, messages.SUCCESS)
                return redirect(reverse("admin:clinic_patient_change", args=[dependent.pk]))
        else:
            access.record_view(request, patient_id=guardian.pk, obj=guardian)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add someone {guardian} cares for",
            "opts": self.opts,
            "guardian": guardian,
            "form": form,
        }
        request.current_app = self.admin_site.name
        response = TemplateResponse(request, "admin/clinic/patient/add_dependent.html", context)
        response.status_code = 400 if request.method == "POST" else 200
        return response

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
        add = ""
        if patient.guardian_id is None:
            url = reverse("admin:clinic_patient_add_dependent", args=[patient.pk])
            add = format_html('<a href="{}">Add someone they care for</a>', url)
        if not dependents:
            return add or "—"
        shown = format_html_join(", ", "{}", ((_patient_link(d),) for d in dependents))
        return format_html("{} · {}", shown, add) if add else shown


DEPENDENT_ADDED = "Added {dependent}, in the care of {guardian}."
ADD_ERROR_FIELDS = {"dependent_name": None, "date_of_birth": "date_of_birth"}


class DependentAddForm(forms.Form):
    """Someone a patient cares for: the rules are the booking's (``dependent_details_check``,
    through ``dependent_add``)."""

    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="It tells a child from an adult in their care.",
    )

    def details(self) -> DependentDetails:
        data = self.cleaned_data
        return DependentDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
        )
