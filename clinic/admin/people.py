"""Who and where in the admin: users, locations, appointment types, therapists and patients.

A therapist's page holds their working hours and time off (inlines from
``clinic.admin.schedule``); a patient's page lists their visits, read-only, since booking and
changes happen on the appointment pages (``clinic.admin.appointments``). A patient's date of
birth and phone follow the booking service's rules, as they do when booking online.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from clinic import access
from clinic.admin.audit import AuditedAdminMixin, CareTeamInline, care_team_formset_audit
from clinic.admin.common import LargeListMixin, PhoneSearchMixin
from clinic.admin.patient_guardians import PatientGuardianMixin
from clinic.admin.patient_merge import PatientMergeMixin, PossibleDuplicateFilter
from clinic.admin.patient_records import PatientRecordsExportMixin
from clinic.admin.schedule import TimeOffInline, WorkingHoursInline
from clinic.formatting import local_datetime
from clinic.forms import service_field_check
from clinic.models import (
    Appointment,
    AppointmentType,
    CareTeamMember,
    Location,
    Patient,
    Therapist,
    User,
)
from clinic.services.booker import date_of_birth_check, phone_clean


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "role"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "password1", "password2"],
            },
        )
    ]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "full_address", "phone", "time_zone", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "duration_minutes",
        "buffer_after_minutes",
        "mode",
        "online_bookable",
        "needs_intake",
        "is_active",
    ]
    list_display_links = ["name"]
    list_editable = ["online_bookable", "is_active"]
    list_filter = ["mode", "online_bookable", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "location_list", "is_active"]
    list_filter = ["is_active", "locations"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["locations"]
    inlines = [WorkingHoursInline, TimeOffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("locations")

    @admin.display(description="locations")
    def location_list(self, therapist):
        return ", ".join(location.name for location in therapist.locations.all()) or "-"


class PatientAppointmentInline(admin.TabularInline):
    """The patient's visits, read-only: booking and changes happen on the appointment pages."""

    model = Appointment
    fields = ["when", "appointment_type", "therapist", "location", "status"]
    readonly_fields = fields
    ordering = ["-start"]
    show_change_link = True
    extra = 0
    verbose_name_plural = "appointments"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("appointment_type", "therapist__user", "location")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="start (local)")
    def when(self, appointment):
        return local_datetime(appointment.start, appointment.location.zone)


class PatientAdminForm(forms.ModelForm):
    """Date of birth and phone follow the booking service's rules, as they do online."""

    phone = forms.CharField(
        required=False,
        help_text=Patient._meta.get_field("phone").help_text,
        widget=RegionalPhoneNumberWidget(attrs={"class": "vTextField"}),
    )

    class Meta:
        model = Patient
        fields = "__all__"  # noqa: DJ007 (the admin passes the fields it shows)

    def clean_phone(self):
        return service_field_check(phone_clean, self.cleaned_data["phone"])

    def clean_date_of_birth(self):
        return service_field_check(date_of_birth_check, self.cleaned_data["date_of_birth"])


@admin.register(Patient)
class PatientAdmin(
    AuditedAdminMixin,
    LargeListMixin,
    PatientMergeMixin,
    PatientGuardianMixin,
    PatientRecordsExportMixin,
    PhoneSearchMixin,
    admin.ModelAdmin,
):
    form = PatientAdminForm
    list_display = ["full_name", "email", "phone", "date_of_birth", "sms_consent", "created_at"]
    list_filter = [PossibleDuplicateFilter, "sms_consent"]
    actions = ["merge_into", "not_a_duplicate"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    search_help_text = "Name, email or phone (any format)."
    readonly_fields = [
        "created_at",
        "updated_at",
        "sms_consent_at",
        "sms_opted_out_at",
        "email_verified_at",
    ]
    raw_id_fields = ["user", "possible_duplicate_of"]
    inlines = [PatientAppointmentInline, CareTeamInline]
    audit_patient_attr = "pk"
    audit_value_fields = ("sms_consent",)

    def get_exclude(self, request, obj=None):
        # A new record is what a caller gives: their account is made at their first sign-in
        # link, and a caller who wants a visit is booked with "Book for a caller".
        if obj is None:
            return ["user", "possible_duplicate_of"]
        return super().get_exclude(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and access.is_clinic_admin(request.user):
            fields.append("record_access")
        return fields

    @admin.display(description="who looked at this record")
    def record_access(self, patient):
        url = reverse("admin:clinic_auditevent_changelist")
        return format_html(
            '<a href="{}?patient__id__exact={}">The audit trail of this patient\'s record</a>',
            url,
            patient.pk,
        )

    def save_formset(self, request, form, formset, change):
        for member in formset.save(commit=False):
            if isinstance(member, CareTeamMember) and member.added_by_id is None:
                member.added_by = request.user
            member.save()
        if formset.model is CareTeamMember:
            care_team_formset_audit(request, formset)  # before the deletes: their ids
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()
