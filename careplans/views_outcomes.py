"""The outcomes dashboard: clinic admins see every location and therapist, a therapist their
own figures only. Figures and their definitions are ``careplans.outcomes``; no patient is named.

Access: ``access.ClinicianRequiredMixin`` (therapists with a therapist record, clinic admins);
the front desk and patients get 403. The CSV download is recorded as an export.
"""

import csv

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from careplans import outcome_charts, outcomes
from clinic import access
from clinic.models import AuditEvent, Location, Therapist
from clinic.services.audit import audit_record

MONTH_CHOICES = [(3, "3 months"), (6, "6 months"), (12, "12 months"), (24, "24 months")]


def today():
    return timezone.localdate()


class OutcomesFilterForm(forms.Form):
    months = forms.TypedChoiceField(choices=MONTH_CHOICES, coerce=int, initial=6, required=False)
    location = forms.ModelChoiceField(
        queryset=Location.objects.all(), required=False, empty_label="All locations"
    )
    therapist = forms.ModelChoiceField(
        queryset=Therapist.objects.select_related("user"),
        required=False,
        empty_label="All therapists",
    )


class OutcomesMixin(access.ClinicianRequiredMixin):
    def board(self):
        form = OutcomesFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        own = not access.is_clinic_admin(self.request.user)
        if own:
            form.fields.pop("therapist")
        therapist = self.request.user.therapist if own else data.get("therapist")
        location = data.get("location")
        board = outcomes.dashboard(
            months=data.get("months") or 6,
            location_id=location.pk if location else None,
            therapist_id=therapist.pk if therapist else None,
            today=today(),
        )
        return form, board, own


class OutcomesView(OutcomesMixin, TemplateView):
    template_name = "careplans/outcomes.html"

    def get_context_data(self, **kwargs):
        form, board, own = self.board()
        names = dict(Location.objects.values_list("pk", "name"))
        therapists = {t.pk: t.name for t in Therapist.objects.select_related("user")}
        months = [(f"{m:%b %y}", board.by_month[m]) for m in board.months]

        def chart(chart_id, title, attribute, unit="", y_max=None):
            bars = [(label, getattr(figures, attribute)) for label, figures in months]
            return mark_safe(  # noqa: S308  (escaped by outcome_charts)
                outcome_charts.bar_chart(
                    chart_id=chart_id, title=title, bars=bars, unit=unit, y_max=y_max
                )
            )

        rows = [
            {
                "month": month,
                "location": names.get(location, "—"),
                "therapist": therapists.get(therapist, "—"),
                "figures": figures,
            }
            for (month, location, therapist), figures in sorted(
                board.cells.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2] or 0)
            )
        ]
        band_chart = mark_safe(  # noqa: S308  (escaped by outcome_charts)
            outcome_charts.bar_chart(
                chart_id="by-adherence",
                title="Oswestry improved ≥10 points, by adherence band",
                bars=[(band.label, band.share) for band in board.bands],
                unit="%",
                y_max=100,
            )
        )
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "own": own,
            "board": board,
            "months": months,
            "rows": rows,
            "definitions": outcomes.DEFINITIONS,
            "charts": [
                (chart("visits", "Visits per month", "visits"), "visits"),
                (
                    chart("utilisation", "Utilisation", "utilisation", "%", 100),
                    "utilisation",
                ),
                (
                    chart("odi", "Oswestry improved ≥10 points", "odi_improved_share", "%", 100),
                    "odi_improved",
                ),
                (
                    chart("nprs", "Pain improved ≥2 points", "nprs_improved_share", "%", 100),
                    "nprs_improved",
                ),
                (chart("adherence", "Adherence", "adherence", "%", 100), "adherence"),
                (band_chart, "by_adherence"),
            ],
            "query": self.request.GET.urlencode(),
        }


class OutcomesCsvView(OutcomesMixin, View):
    def get(self, request):
        _, board, _ = self.board()
        names = dict(Location.objects.values_list("pk", "name"))
        therapists = {t.pk: t.name for t in Therapist.objects.select_related("user")}
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="outcomes.csv"'
        writer = csv.writer(response)
        for row in outcomes.csv_rows(board, names, therapists):
            writer.writerow(row)
        audit_record(action=AuditEvent.Action.EXPORT, request=request, reason="outcomes.csv")
        return response
