"""The library and templates in the admin; plans and session logs are read-only here.

Plans change only through the builder (``careplans/services.py``), so their rules (draft only,
one active plan, versions) cannot be bypassed from the admin.
"""

from django.contrib import admin

from careplans.forms import ExerciseAdminForm
from careplans.models import (
    CarePlan,
    CarePlanTemplate,
    CarePlanTemplateItem,
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
    PrescribedExercise,
    SessionLog,
)
from clinic.admin.audit import AuditedAdminMixin


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ExerciseMuscleInline(admin.TabularInline):
    model = ExerciseMuscle
    extra = 1
    autocomplete_fields = ["muscle"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    list_display = ["name", "category", "body_region", "difficulty", "default_dose", "is_active"]
    list_filter = ["category", "body_region", "difficulty", "equipment", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["equipment"]
    autocomplete_fields = ["easier", "harder"]
    inlines = [ExerciseMuscleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "body_region", "difficulty", "is_active"]}),
        ("How to do it", {"fields": ["instructions", "cues", "common_mistakes"]}),
        (
            "Default dose",
            {"fields": ["default_sets", "default_reps", "default_hold_seconds", "per_side"]},
        ),
        ("Needs and cautions", {"fields": ["equipment", "contraindications"]}),
        ("Media and variations", {"fields": ["image", "video_url", "easier", "harder"]}),
    ]

    @admin.display(description="Default dose")
    def default_dose(self, exercise):
        return exercise.default_dose


class TemplateItemInline(admin.TabularInline):
    model = CarePlanTemplateItem
    extra = 1
    autocomplete_fields = ["exercise"]
    fields = [
        "position",
        "exercise",
        "sets",
        "reps",
        "hold_seconds",
        "per_side",
        "times_per_week",
        "notes",
    ]


@admin.register(CarePlanTemplate)
class CarePlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TemplateItemInline]


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Plans and session logs: read here (superusers), written in the workspace; audited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrescribedExerciseInline(admin.TabularInline):
    model = PrescribedExercise
    fields = ["position", "exercise", "sets", "reps", "hold_seconds", "sides", "times_per_week"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CarePlan)
class CarePlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "patient", "version", "status", "author", "published_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "author__user"]
    search_fields = ["title", "patient__last_name", "patient__first_name"]
    inlines = [PrescribedExerciseInline]


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyAdmin):
    list_display = ["performed_on", "patient", "plan", "pain_after"]
    list_select_related = ["patient", "plan"]
    date_hierarchy = "performed_on"


from careplans import admin_between_visits  # noqa: E402, F401  (media and reminders)
