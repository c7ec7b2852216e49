"""The patient's "today" page (where a reminder's link opens: today's exercises, one tap logs
the session) and their exercise-reminder settings on the plan page.

Access as ``views_patient``: signed-in patients, their own published plans only
(``access.careplans_for_patient``); another patient's plan is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from careplans import media, reminders, selectors, services
from careplans.forms import PAIN_REQUIRED
from careplans.forms_reminders import ReminderForm
from careplans.models import CarePlan, SessionLog
from careplans.services import CarePlanError
from careplans.views_patient import NO_ACTIVE_PLAN, SESSION_LOGGED, PatientPlanMixin
from clinic import access

REMINDER_SAVED = "Reminders saved: {days} at {time}."
REMINDER_OFF = "Reminders are off."


class MyTodayView(access.PatientRequiredMixin, TemplateView):
    """/plans/mine/today/: this week's exercises of the active plan, and one tap (the pain
    number) logs today's session with all of them."""

    template_name = "careplans/my_today.html"

    def active_plan(self) -> CarePlan | None:
        plan = (
            access.careplans_for_patient(user=self.request.user)
            .filter(status=CarePlan.Status.ACTIVE)
            .select_related("patient", "author__user")
            .first()
        )
        if plan is not None:
            access.record_view(self.request, patient_id=plan.patient_id, obj=plan)
        return plan

    def get(self, request, *args, **kwargs):
        plan = self.active_plan()
        if plan is None:
            messages.info(request, NO_ACTIVE_PLAN)
            return redirect("account:home")
        return self.render_to_response(self.context_for(plan))

    def context_for(self, plan: CarePlan, error: str = "") -> dict:
        today = timezone.localdate()
        items = selectors.careplan_items_this_week(
            plan=plan, items=selectors.careplan_items(plan=plan), on=today
        )
        return {
            "plan": plan,
            "items": items,
            "media": media.media_for_items(items=items),
            "done_today": SessionLog.objects.filter(
                patient=plan.patient, performed_on=today
            ).exists(),
            "pain_range": range(11),
            "error": error,
        }

    def post(self, request, *args, **kwargs):
        plan = self.active_plan()
        if plan is None:
            messages.info(request, NO_ACTIVE_PLAN)
            return redirect("account:home")
        try:
            pain = int(request.POST.get("pain_after", ""))
        except ValueError:
            return self.render_to_response(self.context_for(plan, PAIN_REQUIRED), status=400)
        today = timezone.localdate()
        items = selectors.careplan_items_this_week(
            plan=plan, items=selectors.careplan_items(plan=plan), on=today
        )
        try:
            log = services.session_log_create(
                plan=plan,
                patient=plan.patient,
                performed_on=today,
                pain_after=pain,
                items_done=items,
                user=request.user,
            )
        except (CarePlanError, ValidationError) as error:
            text = error.message if isinstance(error, CarePlanError) else PAIN_REQUIRED
            return self.render_to_response(self.context_for(plan, text), status=400)
        if log.is_flare:
            return redirect("careplans:session_flare", pk=plan.pk, log_pk=log.pk)
        messages.success(request, SESSION_LOGGED)
        return redirect("careplans:my_today")


class ReminderSetView(PatientPlanMixin, TemplateView):
    """POST the reminder form of the plan page; a refusal shows the form again with what was
    chosen and the reason (400)."""

    template_name = "careplans/reminder_form.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        reminder = plan.reminder if hasattr(plan, "reminder") else None
        form = ReminderForm.for_reminder(reminder, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = reminders.reminder_save(
                    plan=plan,
                    days=data["days"],
                    local_time=data["local_time"],
                    channel=data["channel"],
                    is_on=data["is_on"],
                )
            except reminders.ReminderError as error:
                form.add_error(None, error.message)
            else:
                if saved.is_on:
                    when = f"{saved.local_time:%H:%M}"
                    messages.success(
                        request, REMINDER_SAVED.format(days=saved.days_text, time=when)
                    )
                else:
                    messages.info(request, REMINDER_OFF)
                return redirect(f"{plan_url(plan)}#reminders")
        return self.render_to_response({"plan": plan, "reminder_form": form}, status=400)


def plan_url(plan: CarePlan) -> str:
    return reverse("careplans:my_plan", args=[plan.pk])
