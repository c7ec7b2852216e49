"""For ``PatientAdmin``: a clinic admin exports one patient's records (JSON or PDF) from the
patient's page, when the patient asks for them. Who may is ``access.patients_for_records``;
the export is audited by ``clinic.services.records``."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from clinic import access
from clinic.services.records import FORMATS, record_response


class PatientRecordsExportMixin:
    def get_urls(self):
        export = self.admin_site.admin_view(self.records_export_view)
        return [
            path("<int:pk>/records/<str:fmt>/", export, name="clinic_patient_records"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and access.is_clinic_admin(request.user):
            fields.append("records_export")
        return fields

    @admin.display(description="the patient's records")
    def records_export(self, patient):
        def url(fmt):
            return reverse("admin:clinic_patient_records", args=[patient.pk, fmt])

        return format_html(
            'Export on the patient\'s request: <a href="{}">PDF</a> · <a href="{}">JSON</a>',
            url("pdf"),
            url("json"),
        )

    def records_export_view(self, request, pk, fmt):
        if fmt not in FORMATS or not access.is_clinic_admin(request.user):
            raise Http404
        patient = get_object_or_404(access.patients_for_records(user=request.user), pk=pk)
        return record_response(request=request, patient=patient, fmt=fmt)
