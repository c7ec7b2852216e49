"""The patient's side of care plans: their plan on a phone (printable), logging a session, and
what to do after a session that flared.

Access: ``access.PatientRequiredMixin`` (signed-in patients only) plus the ownership filter
``access.careplans_for_patient``: a patient sees their own published plans, so another
patient's plan id, or a draft, is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from careplans import flare, media, pdf, selectors, services
from careplans.forms import SessionLogForm
from careplans.forms_reminders import ReminderForm
from careplans.models import CarePlan, ExerciseReminder
from careplans.services import CarePlanError
from clinic import access

SESSION_LOGGED = "Session saved. Nice work!"
SESSION_LOGGED_FLARE = "Session saved. That is more pain than we'd like, so here is what to do."
NO_ACTIVE_PLAN = "You don't have a current exercise plan yet."


class PatientPlanMixin(access.PatientRequiredMixin):
    """The patient's own plan pages; each read of one is audited (``access.record_view``)."""

    audit_action = access.AuditEvent.Action.VIEW

    def get_plan(self) -> CarePlan:
        plan = get_object_or_404(
            access.careplans_for_patient(user=self.request.user).select_related(
                "patient", "author__user"
            ),
            pk=self.kwargs["pk"],
        )
        access.record_view(
            self.request, patient_id=plan.patient_id, obj=plan, action=self.audit_action
        )
        return plan


class MyActivePlanView(access.PatientRequiredMixin, TemplateView):
    """/plans/mine/: the current plan, wherever the patient came from."""

    def get(self, request, *args, **kwargs):
        plan = (
            access.careplans_for_patient(user=request.user)
            .filter(status=CarePlan.Status.ACTIVE)
            .first()
        )
        if plan is None:
            messages.info(request, NO_ACTIVE_PLAN)
            return redirect("account:home")
        return redirect("careplans:my_plan", pk=plan.pk)


class MyPlanView(PatientPlanMixin, TemplateView):
    """The plan on a phone: each exercise with its dose, steps, cues and demo; prints as a
    handout."""

    template_name = "careplans/my_plan.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        items = selectors.careplan_items(plan=plan)
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "items": items,
            "pdf_available": pdf.pdf_available(),
            "phone": selectors.contact_phone_for(patient=plan.patient),
            "sessions": selectors.session_log_list(patient=plan.patient, limit=5)
            if plan.is_active
            else [],
            **between_visits_context(plan, items),
        }


def between_visits_context(plan: CarePlan, items) -> dict:
    """The plan page's exercise photos and videos, and its reminder form."""
    reminder = ExerciseReminder.objects.filter(plan=plan).first()
    return {
        "media": media.media_for_items(items=items),
        "reminder": reminder,
        "reminder_form": ReminderForm.for_reminder(reminder) if plan.is_active else None,
    }


def handout_pdf_response(request, plan: CarePlan) -> HttpResponse:
    """The plan's PDF handout as a download; ``?size=a4`` for A4, Letter otherwise."""
    try:
        content = pdf.careplan_pdf(
            plan=plan,
            items=selectors.careplan_items(plan=plan),
            page_size=request.GET.get("size", pdf.DEFAULT_PAGE_SIZE),
        )
    except pdf.PdfUnavailable as missing:
        raise Http404("PDF handouts are not available here.") from missing
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="exercise-plan.pdf"'
    return response


class MyPlanPdfView(PatientPlanMixin, View):
    audit_action = access.AuditEvent.Action.PRINT

    def get(self, request, *args, **kwargs):
        return handout_pdf_response(request, self.get_plan())


class SessionLogView(PatientPlanMixin, FormView):
    """Log a session: this week's exercises ticked, a note, one tap on the pain number saves."""

    template_name = "careplans/session_log.html"
    form_class = SessionLogForm

    @cached_property
    def plan(self) -> CarePlan:
        return self.get_plan()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get(self, request, *args, **kwargs):
        if not self.plan.is_active:
            messages.info(request, services.NOT_ACTIVE_PLAN)
            return redirect("careplans:my_plan", pk=self.plan.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan, "pain_range": range(11)}

    def form_valid(self, form):
        try:
            log = services.session_log_create(
                plan=self.plan,
                patient=self.plan.patient,
                performed_on=form.cleaned_data["performed_on"],
                pain_after=form.cleaned_data["pain_after"],
                items_done=form.cleaned_data["exercises"],
                note=form.cleaned_data["note"],
                user=self.request.user,
            )
        except CarePlanError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if log.is_flare:
            messages.warning(self.request, SESSION_LOGGED_FLARE)
            return redirect("careplans:session_flare", pk=self.plan.pk, log_pk=log.pk)
        messages.success(self.request, SESSION_LOGGED)
        return redirect("careplans:my_plan", pk=self.plan.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SessionFlareView(PatientPlanMixin, TemplateView):
    """After a session that flared: ease off, which of the plan's exercises to pause and which
    to keep doing gently (by library category, ``careplans.flare``), when to call the clinic,
    and the red-flag signs that mean urgent care. Another patient's session is a 404, and so is
    a session that did not flare."""

    template_name = "careplans/session_flare.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        log = get_object_or_404(
            plan.session_logs.exclude(flare_reason=""), pk=self.kwargs["log_pk"]
        )
        items = selectors.careplan_items_this_week(
            plan=plan, items=selectors.careplan_items(plan=plan), on=timezone.localdate()
        )
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "log": log,
            "paused": [item for item in items if flare.is_paused(item.exercise.category)],
            "kept": [item for item in items if not flare.is_paused(item.exercise.category)],
            "phone": selectors.contact_phone_for(patient=plan.patient),
            "advice": {
                "heading": flare.FLARE_HEADING,
                "intro": flare.FLARE_INTRO,
                "ease_off": flare.EASE_OFF,
                "pause_heading": flare.PAUSE_HEADING,
                "pause_none": flare.PAUSE_NONE,
                "keep_heading": flare.KEEP_HEADING,
                "keep_none": flare.KEEP_NONE,
                "call_heading": flare.CALL_HEADING,
                "call_when": flare.CALL_WHEN,
                "urgent_heading": flare.URGENT_HEADING,
                "urgent_care": flare.URGENT_CARE,
                "urgent_signs": flare.urgent_signs(),
                "prompt_care": flare.PROMPT_CARE,
                "prompt_signs": flare.prompt_signs(),
            },
        }
