"""The therapist's side of care plans: the library, the builder, publishing, versions, adherence.

Access is ``clinic.access``: one role mixin (``PlanClinicianMixin``) plus its ownership
querysets. The builder's inline edits are HTMX requests answered with fragments
from ``templates/partials/careplans/``; every one of them also works as a plain form post
(redirecting back to the builder), so nothing depends on JavaScript.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from careplans import charts, media, pdf, reminders, selectors, services
from careplans.forms import (
    DoseForm,
    LibraryFilterForm,
    PainFlareHandleForm,
    PlanDetailsForm,
    PlanStartForm,
)
from careplans.library_file import library_current
from careplans.models import CarePlan, Exercise, PrescribedExercise
from careplans.services import CarePlanError
from careplans.views_patient import handout_pdf_response
from clinic import access
from intake.scoring import HYPOTHESIS_LABELS

PLAN_PUBLISHED = "Plan published. {name} has been emailed a link to it."
PLAN_SAVED = "Plan details saved."
DRAFT_DISCARDED = "Draft discarded."
DRAFT_OPENED = "This is a new draft version. The published plan stays as it is until you publish."
DRAFT_ONLY = "Only a draft can be edited. Start a new version to make changes."
NOT_IN_LIBRARY = "Choose an exercise from the library."
LIBRARY_PAGE_SIZE = 30
PATIENT_PAGE_SIZE = 50
SEARCH_RESULTS = 20


class PlanClinicianMixin(access.CareRecordMixin, access.ClinicianRequiredMixin):
    """Therapists (with a therapist record) and clinic admins; front desk and patients get 403.

    Patients and plans are looked up through ``access.patients_for_care`` and
    ``access.careplans_for_staff``, so any other id is a 404 (with the break-glass offer to a
    therapist, ``access.CareRecordMixin``). Each look-up of a read audits it
    (``access.record_view``).
    """

    audit_action = access.AuditEvent.Action.VIEW

    def get_patient(self, pk: int):
        patient = access.patients_for_care(user=self.request.user).filter(pk=pk).first()
        if patient is None:
            access.no_relationship_check(self.request.user, patient_id=pk)
            raise Http404("No such patient.")
        access.record_view(self.request, patient_id=patient.pk, obj=patient)
        return patient

    def get_plan(self, pk: int) -> CarePlan:
        plan = (
            access.careplans_for_staff(user=self.request.user)
            .select_related("patient", "intake", "assessment", "author__user")
            .filter(pk=pk)
            .first()
        )
        if plan is None:
            patient_id = CarePlan.objects.filter(pk=pk).values_list("patient_id", flat=True).first()
            access.no_relationship_check(self.request.user, patient_id=patient_id)
            raise Http404("No such plan.")
        access.record_view(
            self.request, patient_id=plan.patient_id, obj=plan, action=self.audit_action
        )
        return plan

    def get_draft(self, pk: int) -> CarePlan:
        plan = self.get_plan(pk)
        if not plan.is_draft:
            raise Http404(DRAFT_ONLY)
        return plan

    def get_item(self, plan: CarePlan, item_pk: int) -> PrescribedExercise:
        return get_object_or_404(plan.items.select_related("exercise"), pk=item_pk)

    @property
    def author(self):
        return getattr(self.request.user, "therapist", None)


# --- The library ---------------------------------------------------------------------------------


class LibraryView(PlanClinicianMixin, TemplateView):
    """Search by name and filter by category, region, equipment and difficulty. Paged, so the
    number of queries does not grow with the library."""

    template_name = "careplans/library.html"

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["partials/careplans/library_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        form = LibraryFilterForm(self.request.GET or None)
        exercises = selectors.exercise_list(**form.filters()).prefetch_related("equipment")
        page = Paginator(exercises, LIBRARY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "page": page,
            "exercises": page.object_list,
            "query": query.urlencode(),
        }


class ExerciseDetailView(PlanClinicianMixin, TemplateView):
    template_name = "careplans/exercise_detail.html"

    def get_context_data(self, **kwargs):
        try:
            exercise = selectors.exercise_get(slug=self.kwargs["slug"])
        except Exercise.DoesNotExist as missing:
            raise Http404("No such exercise.") from missing
        labels = library_current().contraindication_tags
        return {
            **super().get_context_data(**kwargs),
            "exercise": exercise,
            "muscle_links": list(exercise.muscle_links.all()),
            "caution_labels": [labels.get(tag, tag) for tag in exercise.contraindications],
            "media": media.media_for_exercise(exercise=exercise),
        }


# --- Patients and their plans --------------------------------------------------------------------


class PatientListView(PlanClinicianMixin, TemplateView):
    """The therapist's patients with their active plan, adherence and pain trend; first, those
    whose flare-up needs attention."""

    template_name = "careplans/patient_list.html"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").strip()
        cared_for = access.patients_for_care(user=self.request.user)
        patients = cared_for.order_by("last_name", "first_name", "pk")
        if q:
            for word in q.split()[:3]:
                patients = patients.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word)
                )
        page = Paginator(patients, PATIENT_PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        rows = selectors.care_overview(patients=list(page.object_list), today=today)
        start = today - datetime.timedelta(days=selectors.PAIN_TREND_DAYS_LIST - 1)
        for row in rows:
            row.chart = mark_safe(  # noqa: S308  (every text in it is escaped by charts)
                charts.pain_chart(
                    chart_id=f"pain-{row.patient.pk}",
                    points=row.pain,
                    start=start,
                    end=today,
                    flare_days=row.flare_days,
                )
            )
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "page": page,
            "q": q,
            "needs_attention": selectors.pain_flare_open_list(patients=cared_for),
        }


class PatientDetailView(PlanClinicianMixin, TemplateView):
    """One patient's plans (active, drafts, earlier), adherence, pain trend and sessions, and
    their flare-ups, the open one with its "Mark handled" form (``views_flares``)."""

    template_name = "careplans/patient_detail.html"

    def get_context_data(self, **kwargs):
        patient = self.get_patient(self.kwargs["patient_pk"])
        today = timezone.localdate()
        (row,) = selectors.care_overview(
            patients=[patient], today=today, pain_days=selectors.PAIN_TREND_DAYS_PATIENT
        )
        start = today - datetime.timedelta(days=selectors.PAIN_TREND_DAYS_PATIENT - 1)
        chart = charts.pain_chart(
            chart_id="pain-trend",
            points=row.pain,
            start=start,
            end=today,
            width=560,
            height=160,
            axes=True,
            flare_days=row.flare_days,
        )
        plans = (
            patient.care_plans.select_related("author__user")
            .annotate(item_count=Count("items"))
            .order_by("-created_at")
        )
        return {
            **super().get_context_data(**kwargs),
            "patient": patient,
            "row": row,
            "chart": mark_safe(chart),  # noqa: S308  (escaped by charts)
            "plans": plans,
            "sessions": selectors.session_log_list(patient=patient),
            "flares": selectors.pain_flare_list(patient=patient),
            "reminders": reminders.reminder_summary(plan=row.active_plan, today=today),
            "flare_form": kwargs.get("flare_form") or PainFlareHandleForm(),
        }


class PlanStartView(PlanClinicianMixin, TemplateView):
    """Start a plan: blank, or from a template (those written for the hypotheses first)."""

    template_name = "careplans/plan_start.html"

    def setup_patient(self):
        self.patient = self.get_patient(self.kwargs["patient_pk"])
        self.intake = selectors.intake_latest_for_patient(patient=self.patient)
        self.assessment = selectors.assessment_of(self.intake)

    def get_context_data(self, form=None, **kwargs):
        hypotheses = list(self.assessment.hypotheses or []) if self.assessment else []
        choices = selectors.template_choice_list(hypotheses=hypotheses)
        suggested = next((c.template.pk for c in choices if c.suggested), None)
        form = form or PlanStartForm(initial={"template": suggested})
        return {
            **super().get_context_data(**kwargs),
            "patient": self.patient,
            "intake": self.intake,
            "assessment": self.assessment,
            "hypotheses": [HYPOTHESIS_LABELS.get(code, code) for code in hypotheses],
            "choices": choices,
            "form": form,
            "selected": str(form["template"].value() or ""),
        }

    def get(self, request, *args, **kwargs):
        self.setup_patient()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_patient()
        form = PlanStartForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            plan = services.careplan_create(
                patient=self.patient,
                author=self.author,
                template=form.cleaned_data["template"],
                intake=self.intake,
                assessment=self.assessment,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
            )
        except CarePlanError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect("careplans:builder", pk=plan.pk)


# --- The builder ---------------------------------------------------------------------------------


class BuilderContextMixin(PlanClinicianMixin):
    """What the builder page and its fragments need: items in order, forms and cautions."""

    def items_context(self, plan: CarePlan, *, forms=None, message=None, message_level="info"):
        items = selectors.careplan_items(plan=plan)
        forms = forms or {}
        cautions = selectors.careplan_cautions(plan=plan, items=items)
        return {
            "plan": plan,
            "rows": [
                {
                    "item": item,
                    "form": forms.get(item.pk) or DoseForm(instance=item),
                    "cautions": cautions.get(item.pk, []),
                    "first": index == 0,
                    "last": index == len(items) - 1,
                }
                for index, item in enumerate(items)
            ],
            "caution_count": sum(len(found) for found in cautions.values()),
            "items_message": message,
            "items_message_level": message_level,
        }

    def render_items(self, plan: CarePlan, **kwargs) -> HttpResponse:
        return render(
            self.request, "partials/careplans/items.html", self.items_context(plan, **kwargs)
        )

    def builder_context(self, plan: CarePlan, *, details_form=None, forms=None) -> dict:
        context = selectors.careplan_caution_context(plan=plan)
        return {
            **self.items_context(plan, forms=forms),
            "patient": plan.patient,
            "details_form": details_form or PlanDetailsForm(instance=plan),
            "hypotheses": [HYPOTHESIS_LABELS.get(code, code) for code in context.hypotheses],
            "red_flags": context.red_flags,
            "search_categories": Exercise.Category.choices,
        }

    def back_to_builder(self, plan: CarePlan, message: str | None = None, level=messages.ERROR):
        if message:
            messages.add_message(self.request, level, message)
        return redirect("careplans:builder", pk=plan.pk)


class BuilderView(BuilderContextMixin, TemplateView):
    """Edit a draft: details, exercises (search, add, reorder, dose), then publish."""

    template_name = "careplans/builder.html"

    def get(self, request, *args, **kwargs):
        plan = self.get_plan(kwargs["pk"])
        if not plan.is_draft:
            messages.info(request, DRAFT_ONLY)
            return redirect("careplans:detail", pk=plan.pk)
        return self.render_to_response({**self.get_context_data(), **self.builder_context(plan)})

    def post(self, request, *args, **kwargs):
        """Saves the plan's details (title, goals, dates)."""
        plan = self.get_draft(kwargs["pk"])
        form = PlanDetailsForm(request.POST, instance=CarePlan.objects.get(pk=plan.pk))
        if form.is_valid():
            try:
                services.careplan_details_update(
                    plan=plan,
                    title=form.cleaned_data["title"],
                    goals=form.cleaned_data["goals"],
                    start_date=form.cleaned_data["start_date"],
                    review_date=form.cleaned_data["review_date"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, PLAN_SAVED)
                return redirect("careplans:builder", pk=plan.pk)
        return self.render_to_response(
            {**self.get_context_data(), **self.builder_context(plan, details_form=form)},
            status=400,
        )


class ExerciseSearchView(BuilderContextMixin, View):
    """The builder's search box: a fragment of matching exercises with Add buttons."""

    def get(self, request, pk):
        plan = self.get_draft(pk)
        q = request.GET.get("q", "")
        category = request.GET.get("category", "")
        if category not in Exercise.Category.values:
            category = ""
        exercises = list(
            selectors.exercise_list(q=q, category=category).prefetch_related("equipment")[
                :SEARCH_RESULTS
            ]
        )
        context = selectors.careplan_caution_context(plan=plan)
        in_plan = set(plan.items.values_list("exercise_id", flat=True))
        results = [
            {
                "exercise": exercise,
                "cautions": selectors.exercise_cautions(exercise=exercise, context=context),
                "in_plan": exercise.pk in in_plan,
            }
            for exercise in exercises
        ]
        return render(
            request,
            "partials/careplans/search_results.html",
            {"plan": plan, "results": results, "q": q, "limit": SEARCH_RESULTS},
        )


def _add_button_oob(exercise_pk: int, *, in_plan: bool) -> str:
    """Out of band: the search result's button for this exercise, brought up to date."""
    return render_to_string(
        "partials/careplans/add_button_oob.html", {"exercise_pk": exercise_pk, "in_plan": in_plan}
    )


class ItemAddView(BuilderContextMixin, View):
    def post(self, request, pk):
        plan = self.get_draft(pk)
        exercise = Exercise.objects.filter(
            pk=request.POST.get("exercise") if str(request.POST.get("exercise")).isdigit() else None
        ).first()
        message, level, added = None, "info", None
        if exercise is None:
            message, level = NOT_IN_LIBRARY, "danger"
        else:
            try:
                added = services.careplan_item_add(plan=plan, exercise=exercise)
            except CarePlanError as error:
                message, level = error.message, "warning"
        if not request.htmx:
            return self.back_to_builder(plan, message)
        response = self.render_items(plan, message=message, message_level=level)
        if added is not None:
            response.write(_add_button_oob(exercise.pk, in_plan=True))
        return response


class ItemUpdateView(BuilderContextMixin, View):
    """Save one exercise's dose; errors come back next to the fields, with what was typed."""

    def post(self, request, pk, item_pk):
        plan = self.get_draft(pk)
        item = self.get_item(plan, item_pk)
        form = DoseForm(request.POST, instance=item)
        saved = False
        if form.is_valid():
            try:
                services.careplan_item_update(item=item, **form.cleaned_data)
                saved = True
            except ValidationError as error:
                form.add_error(None, error)
        if request.htmx:
            if saved:
                form = DoseForm(instance=item)
            context = selectors.careplan_caution_context(plan=plan)
            return render(
                request,
                "partials/careplans/item.html",
                {
                    "plan": plan,
                    "row": {
                        "item": item,
                        "form": form,
                        "cautions": selectors.exercise_cautions(
                            exercise=item.exercise, context=context
                        ),
                        "first": not plan.items.filter(position__lt=item.position).exists(),
                        "last": not plan.items.filter(position__gt=item.position).exists(),
                    },
                    "saved": saved,
                },
            )
        if saved:
            return self.back_to_builder(plan)
        return render(
            request,
            BuilderView.template_name,
            self.builder_context(plan, forms={item.pk: form}),
            status=400,
        )


class ItemMoveView(BuilderContextMixin, View):
    def post(self, request, pk, item_pk):
        plan = self.get_draft(pk)
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            return HttpResponse("Unknown direction.", status=400)
        services.careplan_item_move(item=self.get_item(plan, item_pk), direction=direction)
        if not request.htmx:
            return self.back_to_builder(plan)
        return self.render_items(plan)


class ItemRemoveView(BuilderContextMixin, View):
    def post(self, request, pk, item_pk):
        plan = self.get_draft(pk)
        item = self.get_item(plan, item_pk)
        exercise_pk = item.exercise_id
        services.careplan_item_remove(item=item)
        if not request.htmx:
            return self.back_to_builder(plan)
        response = self.render_items(plan)
        still_in = plan.items.filter(exercise_id=exercise_pk).exists()
        response.write(_add_button_oob(exercise_pk, in_plan=still_in))
        return response


class PlanPublishView(BuilderContextMixin, View):
    def post(self, request, pk):
        plan = self.get_draft(pk)
        try:
            services.careplan_publish(plan=plan, user=request.user)
        except CarePlanError as error:
            return self.back_to_builder(plan, error.message)
        except ValidationError as error:
            return self.back_to_builder(plan, "; ".join(error.messages))
        messages.success(request, PLAN_PUBLISHED.format(name=plan.patient.first_name))
        return redirect("careplans:detail", pk=plan.pk)


class PlanReviseView(PlanClinicianMixin, View):
    def post(self, request, pk):
        plan = self.get_plan(pk)
        try:
            draft = services.careplan_revise(plan=plan, author=self.author)
        except CarePlanError as error:
            messages.error(request, error.message)
            return redirect("careplans:detail", pk=plan.pk)
        messages.info(request, DRAFT_OPENED)
        return redirect("careplans:builder", pk=draft.pk)


class PlanDiscardView(PlanClinicianMixin, View):
    def post(self, request, pk):
        plan = self.get_draft(pk)
        patient_pk = plan.patient_id
        services.careplan_discard(plan=plan)
        messages.success(request, DRAFT_DISCARDED)
        return redirect("careplans:patient", patient_pk=patient_pk)


# --- Reading a plan and its versions -------------------------------------------------------------


class PlanDetailView(PlanClinicianMixin, TemplateView):
    """One version as the patient sees it, with the cautions, for staff. Printable."""

    template_name = "careplans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan(self.kwargs["pk"])
        items = selectors.careplan_items(plan=plan)
        cautions = selectors.careplan_cautions(plan=plan, items=items)
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "patient": plan.patient,
            "rows": [{"item": item, "cautions": cautions.get(item.pk, [])} for item in items],
            "media": media.media_for_items(items=items),
            "pdf_available": pdf.pdf_available(),
            "open_draft": CarePlan.objects.filter(
                lineage=plan.lineage, status=CarePlan.Status.DRAFT
            )
            .exclude(pk=plan.pk)
            .first(),
        }


class PlanPdfView(PlanClinicianMixin, View):
    """The handout as a PDF file, as the patient gets it (without the therapist's cautions)."""

    audit_action = access.AuditEvent.Action.PRINT

    def get(self, request, pk):
        return handout_pdf_response(request, self.get_plan(pk))


class PlanHistoryView(PlanClinicianMixin, TemplateView):
    """Every version of a plan and what changed in each: added, removed, dose changed."""

    template_name = "careplans/history.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan(self.kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "patient": plan.patient,
            "versions": selectors.careplan_history(plan=plan),
        }
