"""The therapist's workspace in the practice: their own schedule (``my_schedule``),
breaking the glass to open a record outside a care relationship (``break_glass``), and a
patient's care team (``care_team``, ``care_team_remove``).

Used by signed-in therapists (``access.TherapistRequiredMixin``; the care team also by clinic
admins); mounted by ``clinic/urls.py``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from clinic import access, selectors
from clinic.formatting import long_date
from clinic.forms import CareTeamAddForm
from clinic.models import Patient
from clinic.selectors import care_team as care_team_selectors
from clinic.services import audit, care_team
from clinic.views.day_picker import FARTHEST_START, date_from_query

BREAK_GLASS_OPENED = (
    "You opened this record without a care relationship. Access lasts {hours} hours and the "
    "clinic admins have been told."
)
CARE_TEAM_ADDED = "{name} is on the care team until {until}."
CARE_TEAM_REMOVED = "{name} is off the care team."


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


class CareTeamView(access.CareRecordMixin, access.ClinicianRequiredMixin, View):
    """A patient's care team: the colleagues covering until a date. Anyone with a care
    relationship sees it (an audited view); the patient's therapist and clinic admins add a
    colleague (``access.care_team_manager_check``), anyone else who posts gets 403. Without a
    relationship: 404 with the break-glass offer."""

    template_name = "clinic/workspace/care_team.html"

    def get_patient(self, patient_pk) -> Patient:
        user = self.request.user
        patient = access.patients_for_care(user=user).filter(pk=patient_pk).first()
        if patient is None:
            access.no_relationship_check(user, patient_id=patient_pk)
            raise Http404("No such patient.")
        access.record_view(self.request, patient_id=patient.pk, obj=patient)
        return patient

    def get_manager_patient(self, patient_pk) -> Patient:
        patient = self.get_patient(patient_pk)
        if not access.care_team_manager_check(self.request.user, patient=patient):
            raise PermissionDenied("Only the patient's therapist changes the care team.")
        return patient

    def form(self, data=None):
        therapists = care_team_selectors.care_team_candidates(exclude_user=self.request.user)
        return CareTeamAddForm(data, therapists=therapists)

    def page(self, patient, *, form=None, status=200):
        manager = access.care_team_manager_check(self.request.user, patient=patient)
        context = {
            "patient": patient,
            "members": care_team_selectors.care_team_list(patient=patient),
            "manager": manager,
            "form": (form or self.form()) if manager else None,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, patient_pk):
        return self.page(self.get_patient(patient_pk))

    def post(self, request, patient_pk):
        patient = self.get_manager_patient(patient_pk)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(patient, form=form, status=400)
        try:
            member = care_team.care_team_add(
                patient=patient,
                therapist=form.cleaned_data["therapist"],
                until=form.cleaned_data["until"],
                user=request.user,
            )
        except care_team.CareTeamError as error:
            form.add_error(error.field, error.message)
            return self.page(patient, form=form, status=400)
        until = f"{long_date(member.until)}, {member.until.year}"
        messages.success(request, CARE_TEAM_ADDED.format(name=member.therapist.name, until=until))
        return redirect("care_team", patient_pk=patient.pk)


class CareTeamRemoveView(CareTeamView):
    """POST only: take a colleague off the patient's care team (the patient's therapist)."""

    http_method_names = ["post"]

    def post(self, request, patient_pk, member_pk):
        patient = self.get_manager_patient(patient_pk)
        member = get_object_or_404(
            patient.care_team.select_related("therapist__user"), pk=member_pk
        )
        care_team.care_team_remove(member=member, user=request.user)
        messages.success(request, CARE_TEAM_REMOVED.format(name=member.therapist.name))
        return redirect("care_team", patient_pk=patient.pk)
