"""The patient's right of access: a signed-in patient downloads their records, JSON or PDF.
The patient is looked up through ``access.patients_for_records`` (their own record; guardians'
dependents when the practice records them), so another patient's id is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from clinic import access
from clinic.services.records import FORMATS, record_response


class RecordsDownloadView(access.PatientRequiredMixin, View):
    def get(self, request, patient_pk: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        patient = get_object_or_404(access.patients_for_records(user=request.user), pk=patient_pk)
        return record_response(request=request, patient=patient, fmt=fmt)
