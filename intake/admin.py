"""Intakes in the front desk's admin: status only, never answers or scores.

The front desk sees that an intake is complete or urgent and can reopen it for the patient
(through ``intake.services.questionnaire.intake_reopen``). Clinical content is read on the
therapist's review page; the clinician's assessment, outcome measures and re-assessment
requests are visible here to superusers only.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from clinic import access
from clinic.admin.audit import AuditedAdminMixin
from intake.models import ClinicalAssessment, IntakeAssessment, OutcomeMeasure, ReassessmentRequest
from intake.services import questionnaire as services

STATUS_FIELDS = (
    "status",
    "patient",
    "appointment",
    "submitted_at",
    "is_urgent",
    "acknowledged",
)


@admin.register(IntakeAssessment)
class IntakeAssessmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = STATUS_FIELDS
    list_filter = ("status", "is_urgent")
    list_select_related = (
        "patient",
        "appointment__patient",
        "appointment__appointment_type",
        "appointment__location",
    )
    search_fields = ("patient__last_name", "patient__first_name", "patient__email")
    ordering = ("-is_urgent", "-submitted_at")
    # Only what the desk needs; answers, drafts and scores are never on the form.
    fields = STATUS_FIELDS
    readonly_fields = STATUS_FIELDS
    actions = ["reopen_for_patient"]

    @admin.display(boolean=True, description="Acknowledged")
    def acknowledged(self, obj: IntakeAssessment) -> bool | None:
        if not obj.is_urgent:
            return None
        return obj.urgent_acknowledged_at is not None

    def has_add_permission(self, request):
        return False  # intakes start from the patient's link

    def has_delete_permission(self, request, obj=None):
        return access.is_superuser(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Nothing here is editable: the page is for reading the status.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Reopen for the patient", permissions=["change"])
    def reopen_for_patient(self, request, queryset):
        reopened = 0
        for intake in queryset.filter(status=IntakeAssessment.Status.SUBMITTED):
            services.intake_reopen(intake=intake)
            reopened += 1
        skipped = queryset.count() - reopened
        if reopened:
            self.message_user(
                request,
                ngettext(
                    "%d intake reopened: the patient can change it with the same link.",
                    "%d intakes reopened: the patients can change them with the same link.",
                    reopened,
                )
                % reopened,
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d intake was not sent yet, so there was nothing to reopen.",
                    "%d intakes were not sent yet, so there was nothing to reopen.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )


class SuperuserOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Clinical records: superusers only, whatever permissions a role is given; audited."""

    def audit_patient_id(self, obj):
        if hasattr(obj, "patient_id"):
            return obj.patient_id
        return obj.intake.patient_id

    def has_module_permission(self, request):
        return access.is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_superuser(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return access.is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_superuser(request.user)


@admin.register(ClinicalAssessment)
class ClinicalAssessmentAdmin(SuperuserOnlyAdmin):
    """Read-only: an edit is a new version signed by its author, made on the review page
    (``intake.services.review.clinical_assessment_save``), never an overwrite here."""

    list_display = ("intake", "therapist", "author", "version", "assessed_on", "updated_at")
    list_select_related = ("intake__patient", "therapist__user", "author")
    raw_id_fields = ("intake",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(SuperuserOnlyAdmin):
    list_display = ("patient", "source", "measured_at", "odi_percent", "nprs", "psfs_mean")
    list_filter = ("source",)
    list_select_related = ("patient",)
    raw_id_fields = ("patient", "intake")


@admin.register(ReassessmentRequest)
class ReassessmentRequestAdmin(SuperuserOnlyAdmin):
    list_display = ("patient", "requested_by", "requested_at", "completed")
    list_select_related = ("patient", "requested_by__user", "completed")
    raw_id_fields = ("patient", "completed")
