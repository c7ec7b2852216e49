"""The therapist's workspace in the practice: their own schedule (``my_schedule``) and
breaking the glass to open a record outside a care relationship (``break_glass``).

Used by signed-in therapists (``access.TherapistRequiredMixin``); mounted by ``clinic/urls.py``.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from clinic import access, selectors
from clinic.models import Patient
from clinic.services import audit
from clinic.views.day_picker import FARTHEST_START, date_from_query

BREAK_GLASS_OPENED = (
    "You opened this record without a care relationship. Access lasts {hours} hours and the "
    "clinic admins have been told."
)


class MyScheduleView(access.TherapistRequiredMixin, TemplateView):
    """A week of the signed-in therapist's visits (``?week=`` any day of it; default this
    week), with links to the previous and next weeks. Each visit links to its intake review
    and the patient's care plans (by URL name: clinic imports neither app)."""

    template_name = "clinic/workspace/schedule.html"

    def get_context_data(self, **kwargs):
        therapist = self.request.user.therapist
        week_of = date_from_query(self.request.GET.get("week", ""))
        if week_of is not None and abs(week_of - timezone.localdate()) > FARTHEST_START:
            week_of = None
        week = selectors.therapist_week(therapist=therapist, week_of=week_of)
        return {
            **super().get_context_data(**kwargs),
            "therapist": therapist,
            "week": week,
            "days": week.days,
        }


class BreakGlassView(access.TherapistRequiredMixin, View):
    """Open a patient's record outside a care relationship, stating a reason (``docs/access.md``).

    GET shows the form (the record pages show it too, in their 404); POST with a reason grants
    ``BREAK_GLASS_HOURS`` of access, audited, and the clinic admins are emailed."""

    template_name = "clinic/workspace/break_glass.html"

    def page(self, request, patient, *, error="", status=200):
        context = {
            "patient": patient,
            "message": access.NO_RELATIONSHIP,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, patient_pk):
        return self.page(request, get_object_or_404(Patient, pk=patient_pk))

    def post(self, request, patient_pk):
        patient = get_object_or_404(Patient, pk=patient_pk)
        try:
            audit.break_glass_open(
                user=request.user,
                patient=patient,
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except audit.AccessError as error:
            return self.page(request, patient, error=error.message, status=400)
        messages.warning(request, BREAK_GLASS_OPENED.format(hours=settings.BREAK_GLASS_HOURS))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("my_schedule")
        return redirect(target)
