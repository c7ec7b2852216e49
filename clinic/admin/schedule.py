"""The therapists' schedule in the admin: working hours and time off.

Each has its own list, and both are inlines on the therapist's page (``clinic.admin.people``).
The blocks of hours entered together in one submission are checked against each other here
(``WorkingHoursInlineFormSet``); ``WorkingHours.clean`` checks each against the saved ones.
"""

import itertools

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from clinic.admin.common import TherapistChoicesMixin, TherapistListFilter
from clinic.models import HOURS_OVERLAP_ENTERED, TimeOff, WorkingHours

HOURS_FIELDS = {"weekday", "start_time", "end_time"}


class WorkingHoursInlineFormSet(BaseInlineFormSet):
    """``WorkingHours.clean`` checks each block against the saved ones; this also checks the
    blocks entered together in one submission against each other, which are not saved yet."""

    def clean(self):
        super().clean()
        blocks = [
            WorkingHours(**{name: form.cleaned_data[name] for name in HOURS_FIELDS})
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.keys() >= HOURS_FIELDS
        ]
        for a, b in itertools.combinations(blocks, 2):
            if a.overlaps(b):
                raise ValidationError(
                    HOURS_OVERLAP_ENTERED.format(
                        day=a.get_weekday_display(), first=a.times, second=b.times
                    )
                )


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    formset = WorkingHoursInlineFormSet
    fields = ["location", "weekday", "start_time", "end_time"]
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    fields = ["start", "end", "reason"]
    extra = 0


@admin.register(WorkingHours)
class WorkingHoursAdmin(TherapistChoicesMixin, admin.ModelAdmin):
    list_display = ["therapist", "location", "weekday", "start_time", "end_time"]
    list_filter = [("therapist", TherapistListFilter), "location", "weekday"]
    list_select_related = ["therapist__user", "location"]


@admin.register(TimeOff)
class TimeOffAdmin(TherapistChoicesMixin, admin.ModelAdmin):
    list_display = ["therapist", "start", "end", "reason"]
    list_filter = [("therapist", TherapistListFilter)]
    list_select_related = ["therapist__user"]
    date_hierarchy = "start"
    search_fields = ["reason", "therapist__user__first_name", "therapist__user__last_name"]
