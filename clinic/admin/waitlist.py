"""The waitlist in the admin: entries (by day and therapist; the desk adds a caller), the times
offered from it with what each offer did, and the report (offers sent, times filled, time to
fill) at the top of the offered times' list.

Adding an entry goes through ``clinic.services.waitlist.waitlist_join``; offers are made by the
service and the workers only, so the offers and openings are read-only here.
"""

from django import forms
from django.contrib import admin, messages

from clinic.admin.common import TherapistChoicesMixin, TherapistListFilter
from clinic.formatting import local_datetime
from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening
from clinic.selectors.waitlist import waitlist_report
from clinic.services import BookingError
from clinic.services.waitlist import waitlist_join, waitlist_remove


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EntryOfferInline(ReadOnlyInline):
    model = WaitlistOffer
    fk_name = "entry"
    fields = ["opening", "round", "status", "sent_at", "expires_at", "answered_at", "answered_by"]
    readonly_fields = fields
    verbose_name_plural = "Offers made to this entry, and what each did"


class OpeningOfferInline(ReadOnlyInline):
    model = WaitlistOffer
    fk_name = "opening"
    fields = ["entry", "round", "status", "sent_at", "expires_at", "answered_at", "answered_by"]
    readonly_fields = fields
    verbose_name_plural = "Offers of this time, and what each did"


class WaitlistEntryForm(forms.ModelForm):
    times_of_day = forms.MultipleChoiceField(
        choices=WaitlistEntry.TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if any time suits.",
    )

    class Meta:
        model = WaitlistEntry
        fields = [
            "patient",
            "appointment_type",
            "location",
            "therapist",
            "earliest_date",
            "latest_date",
            "times_of_day",
        ]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(TherapistChoicesMixin, admin.ModelAdmin):
    form = WaitlistEntryForm
    list_display = [
        "patient",
        "appointment_type",
        "location",
        "therapist_or_any",
        "earliest_date",
        "latest_date",
        "times",
        "status",
        "source",
        "created_at",
    ]
    list_filter = [
        "status",
        ("therapist", TherapistListFilter),
        "location",
        "appointment_type",
        "source",
    ]
    list_select_related = ["patient", "appointment_type", "location", "therapist__user"]
    date_hierarchy = "earliest_date"
    search_fields = ["patient__first_name", "patient__last_name", "patient__email", "email"]
    autocomplete_fields = ["patient"]
    inlines = [EntryOfferInline]
    actions = ["remove"]

    @admin.display(description="Therapist", ordering="therapist")
    def therapist_or_any(self, entry):
        return entry.therapist or "Any therapist"

    @admin.display(description="Times of day")
    def times(self, entry):
        labels = dict(WaitlistEntry.TimeOfDay.choices)
        return ", ".join(labels[t].split(" (")[0] for t in entry.times_of_day) or "Any time"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*WaitlistEntryForm.Meta.fields, "status", "source", "booked_appointment"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        try:
            entry = waitlist_join(
                appointment_type=data["appointment_type"],
                location=data["location"],
                therapist=data["therapist"],
                earliest_date=data["earliest_date"],
                latest_date=data["latest_date"],
                times_of_day=data["times_of_day"],
                patient=data["patient"],
                source=WaitlistEntry.Source.FRONT_DESK,
            )
        except BookingError as error:
            self.message_user(request, error.message, messages.ERROR)
            obj.pk = None
            return
        obj.pk = entry.pk

    @admin.action(description="Take off the waitlist", permissions=["change"])
    def remove(self, request, queryset):
        count = sum(waitlist_remove(entry=entry) for entry in queryset)
        self.message_user(request, f"{count} taken off the waitlist.", messages.SUCCESS)


@admin.register(WaitlistOpening)
class WaitlistOpeningAdmin(admin.ModelAdmin):
    """Times offered from the waitlist, by day and therapist; the report above the list."""

    list_display = ["when", "therapist", "location", "appointment_type", "status", "rounds"]
    list_filter = ["status", ("therapist", TherapistListFilter), "location"]
    list_select_related = ["therapist__user", "location", "appointment_type"]
    date_hierarchy = "start"
    inlines = [OpeningOfferInline]
    change_list_template = "admin/clinic/waitlistopening/change_list.html"

    @admin.display(description="Time", ordering="start")
    def when(self, opening):
        return local_datetime(opening.start, opening.location.zone)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "report": waitlist_report()}
        return super().changelist_view(request, extra_context=extra)
