"""The appointment list's link actions (``clinic.admin.appointments``): revoke a visit's
links, or re-issue them and send the confirmation or the intake link again, by email or text.
Each calls ``clinic.services.patient_links`` once per selected visit."""

from django.contrib import admin, messages

from clinic.services.patient_links import (
    LinkError,
    appointment_links_close,
    appointment_links_reissue,
)

SENT = "{what} sent again by {channel} for {count} appointment(s); the earlier links are closed."
REVOKED = "Closed {count} link(s). The patient can ask for a fresh one from the link's page."


class AppointmentLinkActionsMixin:
    """Add the action names to ``actions``."""

    def _reissue(self, request, queryset, *, what: str, channel: str) -> None:
        sent = 0
        for appointment in queryset:
            try:
                appointment_links_reissue(appointment=appointment, what=what, channel=channel)
            except LinkError as error:
                self.message_user(request, f"{appointment}: {error.message}", messages.WARNING)
            else:
                sent += 1
        if sent:
            label = "Confirmation" if what == "confirmation" else "Intake link"
            text = SENT.format(what=label, channel=channel, count=sent)
            self.message_user(request, text, messages.SUCCESS)

    @admin.action(description="Resend confirmation by email", permissions=["change"])
    def resend_confirmation_email(self, request, queryset):
        self._reissue(request, queryset, what="confirmation", channel="email")

    @admin.action(description="Resend confirmation by text", permissions=["change"])
    def resend_confirmation_text(self, request, queryset):
        self._reissue(request, queryset, what="confirmation", channel="text")

    @admin.action(description="Resend intake link by email", permissions=["change"])
    def resend_intake_email(self, request, queryset):
        self._reissue(request, queryset, what="intake", channel="email")

    @admin.action(description="Resend intake link by text", permissions=["change"])
    def resend_intake_text(self, request, queryset):
        self._reissue(request, queryset, what="intake", channel="text")

    @admin.action(description="Revoke the patient's links", permissions=["change"])
    def revoke_links(self, request, queryset):
        count = sum(appointment_links_close(appointment=a) for a in queryset)
        self.message_user(request, REVOKED.format(count=count), messages.SUCCESS)


LINK_ACTIONS = [
    "resend_confirmation_email",
    "resend_confirmation_text",
    "resend_intake_email",
    "resend_intake_text",
    "revoke_links",
]
