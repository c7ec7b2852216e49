"""The front desk's Free times page: the free slots of one local day, each a link to book it.

``FreeTimesAdminMixin`` adds the page to the appointment admin (``clinic.admin.appointments``)
at ``free-times/``, named ``clinic_appointment_free_times``; each slot's link reads its time and
opens a filled-in form: the add form for a chosen patient, "Book for a caller" otherwise.
``FreeTimesForm`` is the choice at the top: type, location, day, and optionally a therapist and
the patient.
"""

import datetime

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from clinic.admin.common import wall_clock
from clinic.formatting import local_time, long_date
from clinic.models import Appointment, Patient
from clinic.selectors import (
    appointment_type_queryset_active,
    location_queryset_active,
    slot_list,
    therapist_list_active,
    therapist_names,
)

DAY_RANGE = datetime.timedelta(days=3660)
DAY_OUT_OF_RANGE = "Choose a day within ten years of today."


class FreeTimesForm(forms.Form):
    """What to look for; the patient, when chosen, is carried into the booking links."""

    appointment_type = forms.ModelChoiceField(
        queryset=appointment_type_queryset_active(), label="Type"
    )
    location = forms.ModelChoiceField(queryset=location_queryset_active())
    therapist = forms.ModelChoiceField(
        queryset=therapist_list_active(),
        required=False,
        empty_label="Any therapist",
    )
    day = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if abs(day - timezone.localdate()) > DAY_RANGE:
            raise forms.ValidationError(DAY_OUT_OF_RANGE)
        return day

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's patient search (name, email, phone), as on the booking form.
        self.fields["patient"] = forms.ModelChoiceField(
            queryset=Patient.objects.all(),
            required=False,
            help_text="Optional: carried into the booking form.",
            widget=admin_widgets.AutocompleteSelect(
                Appointment._meta.get_field("patient"), admin_site
            ),
        )


class FreeTimesAdminMixin:
    """The Free times page, under the appointment admin's URLs."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "free-times/",
                self.admin_site.admin_view(self.free_times_view),
                name="{}_{}_free_times".format(*info),
            ),
            *super().get_urls(),
        ]

    def free_times_view(self, request):
        """Free slots for one local day from ``slot_list``, each linked to a pre-filled add form.

        Notice and horizon are off (``enforce_window=False``): the front desk books short
        notice. Starts that have already passed today are not offered.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        data = None
        if request.GET:
            data = request.GET.copy()
            if not data.get("day"):
                data["day"] = today.isoformat()
        form = FreeTimesForm(data, initial={"day": today}, admin_site=self.admin_site)
        rows, day_links, choice = [], {}, None
        if form.is_valid():
            choice = form.cleaned_data
            rows = self._free_time_rows(request, choice)
            for name, delta in [("previous", -1), ("next", 1)]:
                query = request.GET.copy()
                query["day"] = (choice["day"] + datetime.timedelta(days=delta)).isoformat()
                day_links[name] = "?" + query.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "title": "Free times",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "choice": choice,
            "day_label": long_date(choice["day"]) if choice else "",
            "rows": rows,
            "day_links": day_links,
            "can_add": self.has_add_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/clinic/appointment/free_times.html",
            context,
            status=400 if form.is_bound and form.errors else 200,
        )

    def _free_time_rows(self, request, choice) -> list[dict]:
        location = choice["location"]
        zone = location.zone
        now = timezone.now()
        slots = [
            slot
            for slot in slot_list(
                appointment_type=choice["appointment_type"],
                location=location,
                start_date=choice["day"],
                end_date=choice["day"],
                therapist=choice["therapist"],
                enforce_window=False,
            )
            if slot.start > now
        ]
        names = therapist_names(slots=slots)
        patient = choice.get("patient")
        # A known patient books on the add form; anyone else is a caller, with their details.
        add_url = reverse(
            f"{self.admin_site.name}:clinic_appointment_add"
            if patient
            else f"{self.admin_site.name}:clinic_appointment_book_caller"
        )
        rows: dict[datetime.datetime, dict] = {}
        for slot in slots:
            row = rows.setdefault(
                slot.start,
                {
                    "time": local_time(slot.start, zone),
                    "end": local_time(slot.end, zone),
                    "therapists": [],
                },
            )
            local = wall_clock(slot.start, zone)
            query = {
                "appointment_type": choice["appointment_type"].pk,
                "location": location.pk,
                "therapist": slot.therapist_id,
            }
            if patient:
                query.update(patient=patient.pk, start=local.isoformat(timespec="minutes"))
            else:
                query.update(day=local.date().isoformat(), time=local.strftime("%H:%M"))
            row["therapists"].append(
                {
                    "name": names.get(slot.therapist_id, ""),
                    "add_url": f"{add_url}?{urlencode(query)}",
                }
            )
        return list(rows.values())
