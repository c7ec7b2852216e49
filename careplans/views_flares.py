"""The therapist marks a patient's flare-up handled, with a note, from the patient's page.

Access is the patient page's: ``PlanClinicianMixin`` and ``access.patients_for_care``; the flare
is looked up among that patient's own, so another patient's flare is a 404. The "Needs
attention" list is on the patient list (``views.PatientListView``).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from careplans import services_flares
from careplans.forms import PainFlareHandleForm
from careplans.services import CarePlanError
from careplans.views import PatientDetailView

FLARE_HANDLED = "Marked handled. The patient is off the “Needs attention” list."


class PainFlareHandleView(PatientDetailView):
    """POST only. A missing note shows the patient's page again with the error, and changes
    nothing."""

    http_method_names = ["post"]

    def post(self, request, patient_pk, flare_pk):
        patient = self.get_patient(patient_pk)
        flare = get_object_or_404(patient.pain_flares, pk=flare_pk)
        form = PainFlareHandleForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(flare_form=form), status=400)
        try:
            services_flares.pain_flare_handle(
                flare=flare, user=request.user, note=form.cleaned_data["note"]
            )
        except CarePlanError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, FLARE_HANDLED)
        return redirect("careplans:patient", patient_pk=patient.pk)
