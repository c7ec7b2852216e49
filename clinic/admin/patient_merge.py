"""Possible duplicates in the patient admin (``clinic.admin.people``): a list filter, the
"Merge into…" page and "Not a duplicate". The decisions are ``clinic.services.patients``'."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from clinic.models import Patient
from clinic.services.patients import (
    PatientError,
    patient_duplicate_clear,
    patient_merge,
    patient_merge_counts,
)

MERGE_ONE_AT_A_TIME = "Choose one record to merge at a time."
MERGED = "Merged {source} into {into}; moved: {moved}."


class PossibleDuplicateFilter(admin.SimpleListFilter):
    title = "possible duplicate"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "Possible duplicates"), ("no", "Not marked")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(possible_duplicate_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(possible_duplicate_of__isnull=True)
        return queryset


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Patient.objects.all(),
        widget=forms.NumberInput,
        label="Merge into patient (id)",
        help_text="The record that stays. Its name, email, phone and consent are kept.",
    )


class PatientMergeMixin:
    """For ``PatientAdmin``: add to ``actions``, ``list_filter``; ``get_urls`` adds the page."""

    def get_urls(self):
        merge = self.admin_site.admin_view(self.merge_view)
        return [path("<int:pk>/merge/", merge, name="clinic_patient_merge"), *super().get_urls()]

    @admin.action(description="Merge into…", permissions=["change"])
    def merge_into(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, MERGE_ONE_AT_A_TIME, messages.WARNING)
            return None
        return redirect("admin:clinic_patient_merge", pk=queryset.get().pk)

    @admin.action(description="Not a duplicate", permissions=["change"])
    def not_a_duplicate(self, request, queryset):
        for patient in queryset.filter(possible_duplicate_of__isnull=False):
            try:
                patient_duplicate_clear(patient=patient)
            except PatientError as error:
                self.message_user(request, f"{patient}: {error.message}", messages.WARNING)

    def merge_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = get_object_or_404(Patient, pk=pk)
        initial = {"into": source.possible_duplicate_of_id}
        form = MergeForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            into = form.cleaned_data["into"]
            try:
                trace = patient_merge(source=source, into=into, by=request.user)
            except PatientError as error:
                form.add_error(None, error.message)
            else:
                moved = ", ".join(f"{n} {label}" for label, n in trace.moved.items()) or "nothing"
                text = MERGED.format(source=trace.from_summary, into=into, moved=moved)
                self.message_user(request, text, messages.SUCCESS)
                return redirect(reverse("admin:clinic_patient_change", args=[into.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {source}",
            "opts": self.opts,
            "source": source,
            "resembles": source.possible_duplicate_of,
            "counts": patient_merge_counts(patient=source),
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/clinic/patient/merge.html", context)
