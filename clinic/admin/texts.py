"""Texts in the admin: those sent to patients, and the replies that came in.

Both lists are read-only: ``clinic.services.messaging`` writes the rows. A text's page reads
like a receipt (status, when, to whom, the text with ``[link]`` where a link goes), with no
Save. The front desk may resend failed texts (the ``resend`` action, also on "Today").
``AppointmentMessageInline`` shows an appointment's texts on its page
(``clinic.admin.appointments``).
"""

from django.contrib import admin, messages
from django.utils import timezone

from clinic import access
from clinic.admin.audit import AuditedAdminMixin
from clinic.admin.common import PhoneSearchMixin, phone_national
from clinic.formatting import local_datetime
from clinic.models import InboundMessage, Message
from clinic.services.messaging import RESENDABLE_STATUSES, message_resend


class AppointmentMessageInline(admin.TabularInline):
    """The texts about this appointment and what happened to each."""

    model = Message
    fk_name = "appointment"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["kind", "status", "skip_reason", "to", "sent_at", "error_text"]
    readonly_fields = fields
    verbose_name_plural = "texts"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(AuditedAdminMixin, PhoneSearchMixin, admin.ModelAdmin):
    audit_value_fields = ("status",)

    list_display = ["created_at", "kind", "patient", "to", "status", "skip_reason", "attempts"]
    list_filter = ["status", "kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["patient__first_name", "patient__last_name", "to", "body", "provider_id"]
    phone_search_field = "to"
    date_hierarchy = "created_at"
    list_select_related = ["patient"]
    actions = ["resend"]
    # The page reads like a receipt: what was sent, to whom, when, and what became of it. The
    # plumbing (dedupe key, provider id, claim times, attempts) stays off it; it has no Save.
    fieldsets = [
        (None, {"fields": ["outcome", "kind", "recipient", "appointment_when"]}),
        ("When", {"fields": ["created_local", "sent_local", "delivered_local"]}),
        ("The text", {"fields": ["body_shown"]}),
    ]
    readonly_fields = [
        "outcome",
        "kind",
        "recipient",
        "appointment_when",
        "created_local",
        "sent_local",
        "delivered_local",
        "body_shown",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's "resend" action needs the permission; a text's own page is read-only.
        return obj is None and super().has_change_permission(request)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("patient", "appointment__location", "appointment__therapist__user")
        )

    @staticmethod
    def _zone(message):
        return message.appointment.location.zone if message.appointment else None

    def _when(self, message, moment):
        if moment is None:
            return "—"
        return local_datetime(moment, self._zone(message) or timezone.get_current_timezone())

    @admin.display(description="status")
    def outcome(self, message):
        text = message.get_status_display()
        if message.skip_reason:
            text += f" ({message.get_skip_reason_display().lower()})"
        if message.error_text:
            text += f": {message.error_text}"
        return text

    @admin.display(description="to")
    def recipient(self, message):
        return f"{message.patient}, {phone_national(message.to) or 'no number'}"

    @admin.display(description="about the visit")
    def appointment_when(self, message):
        appointment = message.appointment
        if appointment is None:
            return "—"
        when = local_datetime(appointment.start, appointment.location.zone)
        return f"{when} with {appointment.therapist} at {appointment.location}"

    @admin.display(description="queued")
    def created_local(self, message):
        return self._when(message, message.created_at)

    @admin.display(description="sent")
    def sent_local(self, message):
        return self._when(message, message.sent_at)

    @admin.display(description="delivered")
    def delivered_local(self, message):
        return self._when(message, message.delivered_at)

    @admin.display(description="text (links are put in as it is sent)")
    def body_shown(self, message):
        return message.body

    def has_delete_permission(self, request, obj=None):
        return access.is_superuser(request.user)

    @admin.action(description="Resend selected failed texts", permissions=["change"])
    def resend(self, request, queryset):
        from clinic import tasks

        resent = 0
        for message in queryset.filter(status__in=RESENDABLE_STATUSES):
            message = message_resend(message=message)
            if message.status == Message.Status.QUEUED:
                tasks.message_send.delay(message.pk)
                resent += 1
        skipped = queryset.count() - resent
        self.message_user(request, f"{resent} text(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} text(s) were not failed, so not resent.", messages.WARNING
            )


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_number", "patient", "body", "action"]
    list_filter = [("received_at", admin.DateFieldListFilter), "action"]
    search_fields = ["from_number", "body", "patient__first_name", "patient__last_name"]
    list_select_related = ["patient"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
