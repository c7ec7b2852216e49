"""The front desk's main screen: the appointment list, and each appointment's page.

The list opens on today's and later visits (``DayFilter``), in each location's own zone; its
actions to mark the status or cancel are in ``clinic.admin.appointment_actions``. A new
appointment is booked by phone and an existing one moved through the forms of
``clinic.admin.appointment_forms``; the Free times page (``clinic.admin.free_times``) links to
a filled-in add form. Every change goes through ``clinic.services``, and each refusal is
reported.
"""

import contextlib
import datetime
import operator
import zoneinfo
from functools import reduce

from django.contrib import admin, messages
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from clinic import access
from clinic.admin.appointment_actions import AppointmentActionsMixin
from clinic.admin.appointment_forms import AppointmentAddForm, AppointmentChangeForm
from clinic.admin.appointment_links import LINK_ACTIONS, AppointmentLinkActionsMixin
from clinic.admin.audit import AuditedAdminMixin
from clinic.admin.common import PhoneSearchMixin, TherapistListFilter
from clinic.admin.desk import DeskAdminMixin
from clinic.admin.free_times import FreeTimesAdminMixin
from clinic.admin.texts import AppointmentMessageInline
from clinic.formatting import local_datetime
from clinic.models import Appointment, Location
from clinic.selectors import (
    appointment_type_queryset_active,
    location_queryset_active,
    therapist_list_active,
)


class DayFilter(admin.SimpleListFilter):
    """Which local days to list, each in the location's own zone.

    Without a choice the list starts at today, so the front desk opens on the day's work
    rather than the clinic's first appointment ever; "All" includes the past. Browsing by
    date (the date links above the list) lifts the default.
    """

    title = "day"
    parameter_name = "day"
    CHOICES = {
        "today": "Today",
        "tomorrow": "Tomorrow",
        "week": "This week",
        "next7": "Next 7 days",
        "all": "All, with past",
    }

    def lookups(self, request, model_admin):
        return list(self.CHOICES.items())

    def choices(self, changelist):
        for n, choice in enumerate(super().choices(changelist)):
            if n == 0:  # Django's "All" stands for the default here
                choice["display"] = "From today on"
            yield choice

    @staticmethod
    def _span(choice: str | None, today: datetime.date) -> tuple[datetime.date, int | None]:
        """First local date and number of days; ``None`` days means open-ended."""
        return {
            None: (today, None),
            "today": (today, 1),
            "tomorrow": (today + datetime.timedelta(days=1), 1),
            "week": (today - datetime.timedelta(days=today.weekday()), 7),
            "next7": (today, 7),
        }[choice]

    def queryset(self, request, queryset):
        choice = self.value()
        if choice not in self.CHOICES:
            choice = None
        if choice == "all" or (
            choice is None and any(key.startswith("start__") for key in request.GET)
        ):
            return queryset
        now = timezone.now()
        spans = []
        zones = Location.objects.order_by().values_list("time_zone", flat=True).distinct()
        for name in zones:
            zone = zoneinfo.ZoneInfo(name)
            first, days = self._span(choice, now.astimezone(zone).date())
            span = Q(
                location__time_zone=name,
                start__gte=datetime.datetime.combine(first, datetime.time.min, zone),
            )
            if days is not None:
                last = first + datetime.timedelta(days=days)
                span &= Q(start__lt=datetime.datetime.combine(last, datetime.time.min, zone))
            spans.append(span)
        if not spans:
            return queryset.none()
        return queryset.filter(reduce(operator.or_, spans))


@admin.register(Appointment)
class AppointmentAdmin(
    AuditedAdminMixin,
    AppointmentActionsMixin,
    AppointmentLinkActionsMixin,
    DeskAdminMixin,
    FreeTimesAdminMixin,
    PhoneSearchMixin,
    admin.ModelAdmin,
):
    audit_value_fields = ("status", "start", "therapist", "location")

    list_display = [
        "when",
        "patient",
        "therapist",
        "location",
        "appointment_type",
        "status",
        "intake_state",
        "source",
    ]
    list_select_related = ["patient", "therapist__user", "location", "appointment_type"]
    list_filter = [
        DayFilter,
        ("therapist", TherapistListFilter),
        "location",
        "status",
        "appointment_type",
    ]
    date_hierarchy = "start"
    search_fields = [
        "patient__first_name",
        "patient__last_name",
        "patient__email",
        "patient__phone",
    ]
    search_help_text = "Patient name, email or phone (any format)."
    phone_search_field = "patient__phone"
    autocomplete_fields = ["patient"]
    list_per_page = 50
    actions = [
        "mark_confirmed",
        "mark_arrived",
        "mark_completed",
        "mark_no_show",
        "cancel",
        *LINK_ACTIONS,
    ]
    inlines = [AppointmentMessageInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # texts come after booking

    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "patient",
                    "appointment_type",
                    "location",
                    "therapist",
                    "start",
                    "reason_for_visit",
                ],
                "description": "Booked with the same rules as online booking, except that "
                "short notice is allowed.",
            },
        )
    ]
    fieldsets = [
        (
            "Visit",
            {
                "fields": [
                    "patient",
                    "appointment_type",
                    "location",
                    "therapist",
                    "status",
                    "source",
                ],
                "description": "Change the status with the actions on the appointment list.",
            },
        ),
        ("Time", {"fields": ["start", "end_local", "blocked_until_local"]}),
        (
            "Notes",
            {
                "fields": [
                    "reason_for_visit",
                    "cancellation_reason",
                    "confirmed_at",
                    "cancelled_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    readonly_fields = [
        "patient",
        "appointment_type",
        "location",
        "therapist",
        "status",
        "source",
        "end_local",
        "blocked_until_local",
        "cancellation_reason",
        "confirmed_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]

    # -- Columns and read-only values

    @admin.display(description="start (local)", ordering="start")
    def when(self, appointment):
        return local_datetime(appointment.start, appointment.location.zone)

    @admin.display(description="end (local)")
    def end_local(self, appointment):
        return local_datetime(appointment.end, appointment.location.zone)

    @admin.display(description="therapist busy until (local)")
    def blocked_until_local(self, appointment):
        return local_datetime(appointment.blocked_until, appointment.location.zone)

    def changelist_view(self, request, extra_context=None):
        # The list is the front desk's main screen: give its columns the full width.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # -- Queries and permissions

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("patient", "therapist__user", "location", "appointment_type")
            .annotate(intake_status=F("intake__status"), intake_urgent=F("intake__is_urgent"))
        )

    @admin.display(description="intake")
    def intake_state(self, appointment):
        """Complete or urgent, never the answers: the front desk calls when it is red."""
        if getattr(appointment, "intake_urgent", False):
            return format_html('<strong style="color:#b02a37">{}</strong>', "URGENT")
        if getattr(appointment, "intake_status", None) == "submitted":
            return "sent"
        if getattr(appointment, "intake_status", None):
            return "started"
        return "—"

    def has_delete_permission(self, request, obj=None):
        # Appointments are cancelled, never deleted: the history and the texts depend on them.
        return access.is_superuser(request.user)

    # -- Forms

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return self.fieldsets
        [(name, options)] = self.add_fieldsets
        free_times = reverse(f"{self.admin_site.name}:clinic_appointment_free_times")
        description = format_html(
            '{} <a href="{}">Find a free time</a>.', options["description"], free_times
        )
        return [(name, {**options, "description": description})]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AppointmentAddForm if obj is None else AppointmentChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "therapist":
            kwargs["queryset"] = therapist_list_active()
        elif db_field.name == "location":
            kwargs["queryset"] = location_queryset_active()
        elif db_field.name == "appointment_type":
            kwargs["queryset"] = appointment_type_queryset_active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        """Accepts the Free times page's links: ``start`` is a local ISO date-time."""
        initial = super().get_changeform_initial_data(request)
        raw = initial.pop("start", "")
        with contextlib.suppress(ValueError):  # a bad link just leaves the start empty
            initial["start"] = datetime.datetime.fromisoformat(raw).replace(tzinfo=None)
        return initial

    def save_model(self, request, obj, form, change):
        # The services already wrote the booking or the move; only the notes are left.
        if change and "reason_for_visit" in form.changed_data:
            obj.reason_for_visit = form.cleaned_data["reason_for_visit"]
            obj.save(update_fields=["reason_for_visit", "updated_at"])
        if getattr(form, "rescheduled", False):
            self.message_user(
                request,
                f"Moved to {local_datetime(obj.start, obj.location.zone)}.",
                messages.SUCCESS,
            )
