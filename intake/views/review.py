"""The clinician's review of an intake: the list, the review page, acknowledging an urgent
one (with what was done), marking it reviewed, and the clinical assessment.

Access is ``clinic.access``: one role mixin per page plus an ownership queryset.

- ``access.StaffRequiredMixin``: anyone who works at the clinic may see the list of intakes, but
  the front desk sees only status (complete, urgent, submitted time), never scores or answers.
- ``IntakeClinicianMixin`` (``access.ClinicianRequiredMixin``): therapists and clinic admins;
  everyone else signed in gets 403. Intakes are looked up through ``access.intakes_clinical``,
  so a therapist without a care relationship with the patient gets 404 (with the break-glass
  offer); each page that shows the record writes one audit event.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from clinic import access
from clinic.pagination import CappedPaginator
from intake import presentation, selectors
from intake.forms.acknowledge import UrgentAcknowledgeForm
from intake.forms.assessment import ClinicalAssessmentForm
from intake.models import IntakeAssessment
from intake.services import review as services
from intake.services.errors import IntakeError
from intake.views.mixins import NO_THERAPIST, IntakeClinicianMixin

ACKNOWLEDGED = "Acknowledged, with what was done. The intake no longer shows as urgent for anyone."
MARKED_REVIEWED = "Marked as reviewed."
ASSESSMENT_SAVED = "Clinical assessment saved."


# --- Lists and the review screen -----------------------------------------------------------------


class IntakeListView(access.StaffRequiredMixin, ListView):
    """Intakes to review: sent ones (urgent first, then newest) and those started, not sent."""

    template_name = "intake/staff/list.html"
    context_object_name = "intakes"
    paginate_by = 50
    paginator_class = CappedPaginator  # a chain's 150,000 intakes are not counted per page

    def get_queryset(self):
        return selectors.intake_review_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clinician = access.is_clinician(self.request.user)
        context.update(
            clinician=clinician,
            rows=[
                {"intake": intake, "badges": presentation.list_badges(intake) if clinician else []}
                for intake in context["intakes"]
            ],
            started=selectors.intake_started_list(user=self.request.user),
        )
        return context


class IntakeReviewView(IntakeClinicianMixin, TemplateView):
    """One intake on one screen: red flags (with the patient's phone and email, each answer
    and when, what the patient was told, and the acknowledgement), scores and changes,
    answers, the assessment."""

    template_name = "intake/staff/review.html"

    def get_context_data(self, acknowledge_form=None, **kwargs):
        try:
            found = selectors.intake_review_get(user=self.request.user, pk=self.kwargs["pk"])
        except IntakeAssessment.DoesNotExist as missing:
            raise self.intake_missing() from missing
        access.record_view(self.request, patient_id=found.intake.patient_id, obj=found.intake)
        review = presentation.review_page(found)
        intake = review.intake
        assessment = getattr(intake, "clinical_assessment", None)
        hypotheses = assessment.hypotheses if assessment else []
        versions = selectors.assessment_versions(assessment=assessment) if assessment else []
        return {
            **super().get_context_data(**kwargs),
            "review": review,
            "intake": intake,
            "patient": intake.patient,
            "appointment": intake.appointment,
            "assessment": assessment,
            "hypotheses": presentation.hypothesis_labels(hypotheses),
            "versions": versions,
            "chart_caption": presentation.CHART_CAPTION,
            "acknowledge_form": acknowledge_form or UrgentAcknowledgeForm(),
        }


class IntakeAcknowledgeView(IntakeReviewView):
    """The clinician records what was done about an urgent intake; a form with errors is shown
    again on the review page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        form = UrgentAcknowledgeForm(request.POST)
        if form.is_valid():
            try:
                services.intake_urgent_acknowledge(
                    intake=intake, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                errors_to_form(form, error)
            except IntakeError as error:
                messages.info(request, error.message)
                return redirect("intake:review", pk=intake.pk)
            else:
                messages.success(request, ACKNOWLEDGED)
                return redirect("intake:review", pk=intake.pk)
        return self.render_to_response(self.get_context_data(acknowledge_form=form))


class IntakeMarkReviewedView(IntakeClinicianMixin, View):
    def post(self, request, *args, **kwargs):
        intake = self.get_intake()
        try:
            services.intake_mark_reviewed(intake=intake, user=request.user)
        except IntakeError as error:
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
            services.clinical_assessment_save(
                intake=self.intake,
                therapist=therapist,
                author=self.request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ASSESSMENT_SAVED)
        return redirect("intake:review", pk=self.intake.pk)
