"""The audit trail in the admin, and the mixin that writes it for the admin's record pages.

- ``AuditedAdminMixin``: a change page of a patient's record (patient, appointment, text,
  intake…) writes one ``view`` event when it is opened (``access.record_view``); adding,
  changing and deleting write ``create``/``change``/``delete`` events with the changed field
  names (values only for the fields an admin names in ``audit_value_fields``, never clinical).
- ``AuditEventAdmin``: read-only for everyone, superusers included; clinic admins filter it by
  patient, staff member, date and action, and export it as CSV (itself an audited export).
- ``CareTeamInline``: a patient's care team on the patient's page (front desk, clinic admins).
"""

import csv

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from clinic import access
from clinic.models import AuditEvent, CareTeamMember, Patient, User
from clinic.services.audit import audit_record, write_audited

CSV_COLUMNS = [
    "at",
    "action",
    "user",
    "role",
    "username",
    "patient_id",
    "object_type",
    "object_id",
    "path",
    "ip",
    "user_agent",
    "changed_fields",
    "changed_values",
    "reason",
]


class AuditedAdminMixin:
    """Audits the admin's pages of one record that belongs to a patient."""

    audit_patient_attr = "patient_id"  # the attribute holding the patient's id
    audit_value_fields: tuple[str, ...] = ()  # non-clinical fields whose new values are kept

    def audit_patient_id(self, obj):
        return getattr(obj, self.audit_patient_attr, None)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            access.record_view(request, patient_id=self.audit_patient_id(obj), obj=obj)
        return obj

    def _audit_write(self, request, obj, action, fields=()):
        if write_audited(request, obj):
            return  # the service that made the write recorded it (one event per write)
        values = {f: getattr(obj, f, "") for f in fields if f in self.audit_value_fields}
        audit_record(
            action=action,
            request=request,
            patient_id=self.audit_patient_id(obj),
            obj=obj,
            changed_fields=fields,
            changed_values=values,
        )

    def log_addition(self, request, obj, message):
        self._audit_write(request, obj, AuditEvent.Action.CREATE)
        return super().log_addition(request, obj, message)

    def construct_change_message(self, request, form, formsets, add=False):
        request._audit_changed_fields = list(form.changed_data)  # the model's field names
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        fields = getattr(request, "_audit_changed_fields", [])
        self._audit_write(request, obj, AuditEvent.Action.CHANGE, fields)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit_write(request, obj, AuditEvent.Action.DELETE)
        return super().log_deletions(request, queryset)


class CareTeamInline(admin.TabularInline):
    """Colleagues covering for the patient until a date: a treatment relationship
    (``access.patients_for_care``)."""

    model = CareTeamMember
    fields = ["therapist", "until", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]
    extra = 0
    verbose_name_plural = "care team (colleagues covering until a date)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("therapist__user", "added_by")


def care_team_formset_audit(request, formset) -> None:
    """One event per care-team place the inline added, changed or removes, with the colleague
    and the date (not clinical); called in the admin's transaction, after the saves and before
    the deletes."""
    for member in formset.new_objects:
        _care_team_event(request, member, AuditEvent.Action.CREATE, ["therapist", "until"])
    for member, fields in formset.changed_objects:
        _care_team_event(request, member, AuditEvent.Action.CHANGE, fields)
    for member in formset.deleted_objects:
        _care_team_event(request, member, AuditEvent.Action.DELETE, ["therapist", "until"])


def _care_team_event(request, member, action, fields):
    audit_record(
        action=action,
        request=request,
        patient_id=member.patient_id,
        obj=member,
        changed_fields=fields,
        changed_values={"therapist": member.therapist_id, "until": member.until.isoformat()},
    )


SEARCH_MATCHES = 500  # patients or staff a search by name looks for; narrow it if more match


class RoleFilter(admin.SimpleListFilter):
    """The roles as the user model names them, so the filter's choices cost no query (a
    DISTINCT over the whole trail would read every row)."""

    title = "role"
    parameter_name = "role__exact"

    def lookups(self, request, model_admin):
        return User.Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(role=self.value()) if self.value() else queryset


class TrailPaginator(Paginator):
    """The unfiltered trail's size from PostgreSQL's statistics (``reltuples``, kept by
    ANALYZE and autovacuum) instead of a COUNT of every row; filtered lists count exactly."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [AuditEvent._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate and estimate > 0:
                return estimate
        return super().count


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only. Every filter is served by an index of ``AuditEvent``
    (patient, user, action, role, each with the time; the time alone), the unfiltered count is
    PostgreSQL's estimate, and the search looks names up in the patients' and users' tables
    first, so the list stays fast over millions of events (``bench/audit_trail.py``)."""

    list_display = ["at", "action", "user", "role", "patient", "object_type", "object_id", "ip"]
    list_filter = ["action", RoleFilter, ("at", admin.DateFieldListFilter)]
    list_select_related = ["user", "patient"]
    search_fields = ["patient__id"]  # the search itself is ``get_search_results``
    search_help_text = "Staff email or name, patient name or #id, or a name typed at sign-in."
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = ["export_csv"]
    list_per_page = 100
    paginator = TrailPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """A number (or #number) is a patient's id; words are looked for in patients' names
        and staff's names and emails (small tables), and in the names typed at failed sign-ins.
        Each becomes an indexed filter of the trail."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.lstrip("#").isdigit():
            return queryset.filter(patient_id=int(term.lstrip("#"))), False
        patients = Patient.objects.all()
        staff = User.objects.exclude(role=User.Role.PATIENT)
        for word in term.split()[:3]:
            patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
            staff = staff.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        # Ids first (small tables), so each becomes an index lookup of the trail; a subquery
        # inside an OR would make PostgreSQL read the whole trail.
        patient_ids = list(patients.values_list("pk", flat=True)[:SEARCH_MATCHES])
        staff_ids = list(staff.values_list("pk", flat=True)[:SEARCH_MATCHES])
        matches = (
            Q(patient_id__in=patient_ids)
            | Q(user_id__in=staff_ids)
            | Q(action=AuditEvent.Action.SIGN_IN_FAILED, username__icontains=term)
        )
        return queryset.filter(matches), False

    def lookup_allowed(self, lookup, value, request=None):
        # "Who looked at this patient's record" and one staff member's trail are links.
        if lookup in ("patient__id__exact", "user__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def has_view_permission(self, request, obj=None):
        return access.is_clinic_admin(request.user) and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Export selected events as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        events = queryset.select_related("user").order_by("at", "pk")
        for event in events:
            row = [getattr(event, column) for column in CSV_COLUMNS]
            row[CSV_COLUMNS.index("user")] = event.user.email if event.user else ""
            writer.writerow(row)
        audit_record(action=AuditEvent.Action.EXPORT, request=request, obj=None)
        return response
