"""Booking a plan of care as a series of visits: the therapist's workspace page
(``series_plan``) and what the admin's page shares with it (``series_submit``).

The form asks for the plan; "Preview" lists every date, free or in conflict with the week's
nearest free time; "Book" books the chosen ones through ``services.series.series_book``, all
or none. Used by signed-in therapists, for their own visits with patients they care for
(``access.patients_for_care``); mounted by ``clinic/urls.py``.
"""

import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.dateparse import parse_datetime
from django.views.generic import TemplateView

from clinic import access
from clinic.forms_scheduling import SeriesPlanForm
from clinic.services.series import SeriesError, series_book_or_preview, series_preview

SKIP = "skip"
BOOKED = "{count} visits booked for {patient}. They'll get one confirmation listing the dates."


def chosen_starts(data, preview) -> list[datetime.datetime]:
    """The start chosen for each date of the preview (``visit-<n>``: a start, or skip)."""
    starts = []
    for row in preview:
        value = data.get(f"visit-{row.number}", "")
        offered = {row.start if row.is_free else None, row.alternative} - {None}
        start = parse_datetime(value) if value and value != SKIP else None
        if start is not None and start in offered:
            starts.append(start)
    return starts


def series_submit(request, form) -> tuple[dict, object]:
    """Preview or book from a bound form; returns the page's context and the series booked."""
    context = {"form": form, "preview": None, "error": None}
    if not form.is_valid():
        return context, None
    plan = form.plan()
    try:
        preview = series_preview(plan=plan)
    except SeriesError as error:
        context["error"] = error.message
        return context, None
    context.update(preview=preview, zone=plan.location.zone)
    if request.POST.get("action") != "book":
        return context, None
    try:
        series = series_book_or_preview(
            plan=plan, starts=chosen_starts(request.POST, preview), created_by=request.user
        )
    except SeriesError as error:
        context["error"] = error.message
        if error.preview:
            context["preview"] = error.preview
        return context, None
    return context, series


class SeriesPlanView(access.TherapistRequiredMixin, TemplateView):
    """A plan of care for one of the therapist's patients, with the therapist's own hours."""

    template_name = "clinic/workspace/series.html"

    def form(self, data=None):
        user = self.request.user
        return SeriesPlanForm(
            data,
            patients=access.patients_for_care(user=user),
            therapist=user.therapist,
            initial={"patient": self.request.GET.get("patient")},
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form(), "preview": None}

    def post(self, request, *args, **kwargs):
        context, series = series_submit(request, self.form(request.POST))
        if series is not None:
            count = series.visits.count()
            messages.success(request, BOOKED.format(count=count, patient=series.patient))
            return redirect("my_schedule")
        status = 400 if context["error"] or not context["form"].is_valid() else 200
        return self.render_to_response(context, status=status)
