"""Exercise media and exercise reminders in the admin.

- ``ExerciseMediaAdmin``: the clinic's photos and videos, listed per library exercise or plan
  item. Nothing is uploaded or edited here (uploads are checked and re-encoded by
  ``careplans.media``; a stored file's name is never typed); staff with the permission remove
  one, which deletes its stored files through ``media.media_remove``. Therapists see the
  library's media only (the admin cannot filter by the care relationship); clinic admins see
  the plan items' too.
- ``ExerciseReminderAdmin``: read-only, whether reminders are on for each plan, for clinic admins.

Both are clinical or tied to a plan, so the front desk has no permission for either
(``clinic.access.ROLE_PERMISSIONS``). Pages of a plan item's media or a reminder are audited
against the patient (``AuditedAdminMixin``).
"""

from django.contrib import admin
from django.utils.html import format_html

from careplans import media as media_service
from careplans.models import ExerciseMedia, ExerciseReminder
from clinic import access
from clinic.admin.audit import AuditedAdminMixin


@admin.register(ExerciseMedia)
class ExerciseMediaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "exercise_name",
        "plan",
        "kind",
        "size_kb",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["kind"]
    list_select_related = ["exercise", "item__exercise", "item__plan", "uploaded_by"]
    search_fields = ["exercise__name", "item__exercise__name"]
    fields = [
        "exercise",
        "item",
        "kind",
        "content_type",
        "size",
        "width",
        "height",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["remove_selected"]

    def audit_patient_id(self, obj):
        return obj.item.plan.patient_id if obj.item_id else None

    def get_queryset(self, request):
        media = super().get_queryset(request)
        if request.user.is_superuser or access.is_clinic_admin(request.user):
            return media
        return media.filter(exercise__isnull=False)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # removal goes through media_remove
        if not self.has_delete_permission(request):
            actions.pop("remove_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Exercise", ordering="exercise__name")
    def exercise_name(self, obj):
        exercise = obj.exercise if obj.exercise_id else obj.item.exercise
        return exercise.name

    @admin.display(description="Plan")
    def plan(self, obj):
        if not obj.item_id:
            return format_html("<em>{}</em>", "library")
        return obj.item.plan

    @admin.display(description="Size (kB)", ordering="size")
    def size_kb(self, obj):
        return round(obj.size / 1024)

    def delete_model(self, request, obj):
        media_service.media_remove(media=obj)

    def log_deletions(self, request, queryset):
        # ``media_remove`` writes each removal's audit event in its transaction: one per write.
        return admin.ModelAdmin.log_deletions(self, request, queryset)

    @admin.action(description="Remove the selected media and their files", permissions=["delete"])
    def remove_selected(self, request, queryset):
        removed = 0
        for media in queryset.select_related("item__plan"):
            self.log_deletions(request, [media])
            media_service.media_remove(media=media)
            removed += 1
        self.message_user(request, f"Removed {removed} media.")


@admin.register(ExerciseReminder)
class ExerciseReminderAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "patient", "is_on", "days_text", "local_time", "channel", "first_on_at"]
    list_filter = ["is_on", "channel"]
    list_select_related = ["plan__patient"]
    fields = ["plan", "is_on", "days_text", "local_time", "time_zone", "channel", "first_on_at"]
    readonly_fields = fields

    def audit_patient_id(self, obj):
        return obj.plan.patient_id

    @admin.display(description="Patient")
    def patient(self, obj):
        return obj.plan.patient

    @admin.display(description="Days")
    def days_text(self, obj):
        return obj.days_text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
