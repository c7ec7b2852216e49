"""The do-not-text list in the admin: numbers that said STOP, or whose owner asked the desk.

The desk sees and searches the list (by number however typed), adds a number for a caller who
asks, and removes one only through the Remove page, which asks for a note. Both go through
``clinic.services.opt_outs`` and are audited with the note; nothing else edits a row.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from clinic.admin.common import PhoneSearchMixin
from clinic.formatting import local_datetime
from clinic.models import SmsOptOut
from clinic.services import opt_outs

REMOVED = "{phone} is off the do-not-text list: texts to it may go again."
ADDED = "{phone} is on the do-not-text list: no text goes to it until it is removed or says START."


class OptOutAddForm(forms.ModelForm):
    phone = forms.CharField(label="Phone number", max_length=30)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who asked, and how (kept in the audit trail).",
    )

    class Meta:
        model = SmsOptOut
        fields = ["phone"]

    def clean_phone(self):
        try:
            phone = opt_outs.phone_for_list(self.cleaned_data["phone"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if SmsOptOut.objects.filter(phone=phone).exists():
            raise forms.ValidationError(opt_outs.ALREADY_LISTED)
        return phone

    def validate_unique(self):
        """``clean_phone`` says it in the desk's words."""


class OptOutRemoveForm(forms.Form):
    note = forms.CharField(
        label="Why does this number come off the list?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who asked, and how; kept in the audit trail.",
        error_messages={"required": opt_outs.NOTE_REQUIRED},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(opt_outs.NOTE_REQUIRED)
        return note


@admin.register(SmsOptOut)
class SmsOptOutAdmin(PhoneSearchMixin, admin.ModelAdmin):
    list_display = ["phone", "source", "since", "remove_link"]
    list_filter = ["source"]
    search_fields = ["phone"]
    date_hierarchy = "opted_out_at"
    ordering = ["-opted_out_at"]
    form = OptOutAddForm

    def get_fields(self, request, obj=None):
        return ["phone", "note"] if obj is None else ["phone", "source", "opted_out_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["phone", "source", "opted_out_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Removal needs a note: the Remove page, never the bulk delete."""
        return False

    def may_remove(self, request) -> bool:
        return request.user.has_perm("clinic.delete_smsoptout")

    @admin.display(description="On the list since", ordering="opted_out_at")
    def since(self, obj):
        return local_datetime(obj.opted_out_at, settings.TIME_ZONE)

    @admin.display(description="")
    def remove_link(self, obj):
        url = reverse("admin:clinic_smsoptout_remove", args=[obj.pk])
        return format_html('<a href="{}">Remove…</a>', url)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self.may_remove(request) else [f for f in shown if f != "remove_link"]

    def save_model(self, request, obj, form, change):
        listed = opt_outs.staff_opt_out(
            number=form.cleaned_data["phone"],
            note=form.cleaned_data["note"],
            request=request,
            now=timezone.now(),
        )
        obj.pk, obj.opted_out_at, obj.source = listed.pk, listed.opted_out_at, listed.source

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, ADDED.format(phone=obj.phone), messages.SUCCESS)
        return redirect("admin:clinic_smsoptout_changelist")

    def get_urls(self):
        remove = self.admin_site.admin_view(self.remove_view)
        return [
            path("<int:pk>/remove/", remove, name="clinic_smsoptout_remove"),
            *super().get_urls(),
        ]

    def remove_view(self, request, pk):
        if not self.may_remove(request):
            raise PermissionDenied
        opt_out = get_object_or_404(SmsOptOut, pk=pk)
        form = OptOutRemoveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            opt_outs.staff_opt_out_remove(
                opt_out=opt_out, note=form.cleaned_data["note"], request=request
            )
            self.message_user(request, REMOVED.format(phone=opt_out.phone), messages.SUCCESS)
            return redirect("admin:clinic_smsoptout_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Remove {opt_out.phone} from the do-not-text list",
            "opts": self.opts,
            "opt_out": opt_out,
            "zone": settings.TIME_ZONE,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/clinic/smsoptout/remove.html", context)
