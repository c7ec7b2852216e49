"""The therapist's side of the intake, and the patient's re-assessment link.

Access is ``clinic.access``: one role mixin per page plus an ownership queryset.

- ``access.StaffRequiredMixin``: anyone who works at the clinic may see the list of intakes, but
  the front desk sees only status (complete, urgent, submitted time), never scores or answers.
- ``IntakeClinicianMixin`` (``access.ClinicianRequiredMixin``): therapists and clinic admins;
  everyone else signed in gets 403. Intakes are looked up through ``access.intakes_clinical``,
  so a therapist opening an intake of an appointment that is not theirs gets 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from clinic import access
from intake import scoring, selectors
from intake.forms.assessment import ClinicalAssessmentForm, ReassessmentForm
from intake.models import IntakeAssessment, ReassessmentRequest
from intake.services import questionnaire as services
from intake.services import review as services_staff

ACKNOWLEDGED = "Red flags acknowledged. The banner is cleared for this intake."
NOT_URGENT = "This intake has no red flags to acknowledge."
MARKED_REVIEWED = "Marked as reviewed."
ASSESSMENT_SAVED = "Clinical assessment saved."
NO_THERAPIST = "Only a therapist can sign an assessment or send a re-assessment."
REASSESSMENT_SENT = "Re-assessment link created and emailed to {email}."


class IntakeClinicianMixin(access.ClinicianRequiredMixin):
    """Therapists and clinic admins; intakes are looked up through ``access.intakes_clinical``,
    so an id the clinician may not read is a 404, never another patient's intake."""

    def get_intake(self) -> IntakeAssessment:
        return get_object_or_404(
            access.intakes_clinical(user=self.request.user).select_related(
                "patient", "appointment__therapist__user", "clinical_assessment"
            ),
            pk=self.kwargs["pk"],
        )

    def signing_therapist(self, intake: IntakeAssessment):
        """The signed-in therapist; an admin without a therapist record acts for the visit's."""
        user = self.request.user
        if hasattr(user, "therapist"):
            return user.therapist
        return intake.appointment.therapist if intake.appointment_id else None


# --- Lists and the review screen -----------------------------------------------------------------


class IntakeListView(access.StaffRequiredMixin, ListView):
    """Intakes to review: sent ones (urgent first, then newest) and those started, not sent."""

    template_name = "intake/staff/list.html"
    context_object_name = "intakes"
    paginate_by = 50

    def get_queryset(self):
        return selectors.intake_review_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clinician = access.is_clinician(self.request.user)
        context.update(
            clinician=clinician,
            rows=[
                {"intake": intake, "badges": selectors.list_badges(intake) if clinician else []}
                for intake in context["intakes"]
            ],
            started=selectors.intake_started_list(user=self.request.user),
        )
        return context


class IntakeReviewView(IntakeClinicianMixin, TemplateView):
    """One intake on one screen: red flags, scores and changes, answers, the assessment."""

    template_name = "intake/staff/review.html"

    def get_context_data(self, **kwargs):
        try:
            review = selectors.intake_review_get(user=self.request.user, pk=self.kwargs["pk"])
        except IntakeAssessment.DoesNotExist as missing:
            raise Http404("No such intake.") from missing
        intake = review.intake
        assessment = getattr(intake, "clinical_assessment", None)
        return {
            **super().get_context_data(**kwargs),
            "review": review,
            "intake": intake,
            "patient": intake.patient,
            "appointment": intake.appointment,
            "assessment": assessment,
            "hypotheses": [
                scoring.HYPOTHESIS_LABELS.get(code, code)
                for code in (assessment.hypotheses if assessment else [])
            ],
            "chart_caption": selectors.CHART_CAPTION,
        }


class IntakeAcknowledgeView(IntakeClinicianMixin, View):
    """The clinician has seen the red flags and acted on them."""

    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        if not intake.is_urgent:
            messages.info(request, NOT_URGENT)
        else:
            services.intake_urgent_acknowledge(intake=intake, user=request.user)
            messages.success(request, ACKNOWLEDGED)
        return redirect("intake:review", pk=intake.pk)


class IntakeMarkReviewedView(IntakeClinicianMixin, View):
    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        try:
            services_staff.intake_mark_reviewed(intake=intake)
        except services.IntakeError as error:
            messages.warning(request, error.message)
        else:
            messages.success(request, MARKED_REVIEWED)
        return redirect("intake:review", pk=intake.pk)


# --- The clinician's assessment ------------------------------------------------------------------


def errors_to_form(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ClinicalAssessmentView(IntakeClinicianMixin, FormView):
    """Posture, running form, tests and hypotheses; saved by the service, then back to review."""

    template_name = "intake/staff/assessment.html"
    form_class = ClinicalAssessmentForm

    @cached_property
    def intake(self) -> IntakeAssessment:
        return self.get_intake()

    @cached_property
    def assessment(self):
        return getattr(self.intake, "clinical_assessment", None)

    def get_initial(self):
        return {"assessed_on": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.assessment is not None:
            kwargs["instance"] = self.assessment
            kwargs.pop("initial", None)
        return kwargs

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "intake": self.intake,
            "patient": self.intake.patient,
            "assessment": self.assessment,
        }

    def form_valid(self, form):
        therapist = self.signing_therapist(self.intake)
        if therapist is None:
            form.add_error(None, NO_THERAPIST)
            return self.form_invalid(form)
        try:
            services_staff.clinical_assessment_save(
                intake=self.intake, therapist=therapist, data=form.service_data()
            )
        except ValidationError as error:
            errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ASSESSMENT_SAVED)
        return redirect("intake:review", pk=self.intake.pk)


# --- Re-assessment: the therapist's side ---------------------------------------------------------


class ReassessmentCreateView(IntakeClinicianMixin, View):
    """Create the request, email the patient the link, then show the link to copy."""

    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        therapist = self.signing_therapist(intake)
        if therapist is None:
            messages.warning(request, NO_THERAPIST)
            return redirect("intake:review", pk=intake.pk)
        reassessment = services_staff.reassessment_request_create(
            patient=intake.patient, therapist=therapist
        )
        messages.success(request, REASSESSMENT_SENT.format(email=intake.patient.email))
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
            "url": services_staff.reassessment_url(reassessment),
            "link_days": settings.BOOKING_LINK_MAX_AGE_DAYS,
        }


# --- Re-assessment: the patient's signed link ----------------------------------------------------


class ReassessmentLinkMixin:
    """The signed link names the request; a bad, expired or unknown link is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.reassessment = services_staff.reassessment_from_token(kwargs["token"])
        if self.reassessment is None:
            raise Http404("This link is not valid or has expired.")
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
            messages.warning(request, services_staff.REASSESSMENT_ALREADY_SENT)
            return redirect(self.outcomes_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services_staff.reassessment_submit(
                reassessment=self.reassessment,
                odi_answers=form.odi_answers(),
                nprs_now=form.cleaned_data["nprs_now"],
                psfs_ratings=form.psfs_ratings(),
            )
        except services.IntakeError as error:
            if error.message == services_staff.REASSESSMENT_ALREADY_SENT:
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
        return {
            **super().get_context_data(**kwargs),
            "patient": patient,
            "outcomes": selectors.outcome_history(patient=patient),
            "chart_caption": selectors.CHART_CAPTION,
        }
