"""Re-assessment pages: the therapist's request, and the patient's signed link with their
scores over time.

Access is ``clinic.access``. The therapist's pages use ``IntakeClinicianMixin`` like the
review pages (intake/views/mixins.py). The patient's pages need no sign-in: the signed link
names the request, and a bad, expired or unknown link is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from clinic import access, guardians, link_check, links
from clinic.limits import over_limit
from intake import presentation, selectors
from intake.forms.reassessment import ReassessmentForm
from intake.models import ReassessmentRequest
from intake.services import errors
from intake.services import reassessment as services
from intake.services.errors import IntakeError
from intake.views.mixins import NO_THERAPIST, IntakeClinicianMixin

REASSESSMENT_SENT = "Re-assessment link created and emailed to {email}."


# --- Re-assessment: the therapist's side ---------------------------------------------------------


class ReassessmentCreateView(IntakeClinicianMixin, View):
    """Create the request, email the patient the link, then show the link to copy."""

    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        therapist = self.signing_therapist(intake)
        if therapist is None:
            messages.warning(request, NO_THERAPIST)
            return redirect("intake:review", pk=intake.pk)
        reassessment = services.reassessment_request_create(
            patient=intake.patient, therapist=therapist
        )
        sent_to = guardians.contact_for(intake.patient).email
        messages.success(request, REASSESSMENT_SENT.format(email=sent_to))
        return redirect("intake:reassess_link", pk=intake.pk, request_pk=reassessment.pk)


class ReassessmentLinkView(IntakeClinicianMixin, TemplateView):
    template_name = "intake/staff/reassess_link.html"

    def get_context_data(self, **kwargs):
        intake = self.get_intake()
        reassessment = get_object_or_404(
            ReassessmentRequest.objects.select_related("requested_by__user", "completed"),
            pk=self.kwargs["request_pk"],
            patient=intake.patient,
        )
        return {
            **super().get_context_data(**kwargs),
            "intake": intake,
            "patient": intake.patient,
            "reassessment": reassessment,
            "url": services.reassessment_url(reassessment),
            "link_days": settings.PATIENT_LINK_REASSESSMENT_DAYS,
        }


# --- Re-assessment: the patient's signed link ----------------------------------------------------


class ReassessmentLinkMixin:
    """The signed link names the request; a bad, expired or unknown link is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if limited := over_limit(request):  # counted before the token is read
            return limited
        self.reassessment = access.reassessment_from_link(kwargs["token"])
        if self.reassessment is None:
            return links.closed_response(request)
        asked = link_check.birth_date_check(request, self.reassessment.opened_with)
        if asked is not None:
            return asked
        return super().dispatch(request, *args, **kwargs)

    def outcomes_url(self) -> str:
        return reverse("intake:reassess_outcomes", args=[self.kwargs["token"]])


class ReassessmentView(ReassessmentLinkMixin, FormView):
    """ODI, pain now and the PSFS activities named at intake; answered once."""

    template_name = "intake/reassess/form.html"
    form_class = ReassessmentForm

    def get(self, request, *args, **kwargs):
        if self.reassessment.completed_id:
            return redirect(self.outcomes_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "activities": selectors.reassessment_activities(reassessment=self.reassessment),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "patient": self.reassessment.patient,
            "therapist": self.reassessment.requested_by,
        }

    def post(self, request, *args, **kwargs):
        if self.reassessment.completed_id:
            messages.warning(request, services.REASSESSMENT_ALREADY_SENT)
            return redirect(self.outcomes_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.reassessment_submit(
                reassessment=self.reassessment,
                odi_answers=form.odi_answers(),
                nprs_now=form.cleaned_data["nprs_now"],
                psfs_ratings=form.psfs_ratings(),
            )
        except IntakeError as error:
            if error.code == errors.ALREADY_ANSWERED:
                messages.warning(self.request, error.message)
                return redirect(self.outcomes_url())
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you. Your therapist has your answers.")
        return redirect(self.outcomes_url())


class ReassessmentOutcomesView(ReassessmentLinkMixin, TemplateView):
    """The patient's scores over time, once they have answered."""

    template_name = "intake/reassess/outcomes.html"

    def get(self, request, *args, **kwargs):
        if not self.reassessment.completed_id:
            return redirect("intake:reassess", token=kwargs["token"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        patient = self.reassessment.patient
        access.record_view(self.request, patient_id=patient.pk, obj=self.reassessment)
        return {
            **super().get_context_data(**kwargs),
            "patient": patient,
            "outcomes": presentation.outcomes(selectors.outcome_history(patient=patient)),
            "chart_caption": presentation.CHART_CAPTION,
        }
