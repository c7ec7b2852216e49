"""Staff's second factor: enrolling an authenticator app, entering its code after the
password, and new recovery codes. The rules are in ``clinic.mfa`` (who must) and
``clinic.services.mfa`` (devices, codes, failures counted by the lockout)."""

import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View

from clinic import access, mfa
from clinic.services import mfa as services

WRONG_CODE = "That code is not right. Enter the 6 digits your app shows now, or a recovery code."
WRONG_SETUP_CODE = "That code is not right. Enter the 6 digits the app shows for Stride now."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def qr_svg(text: str) -> str:
    """The enrolment QR code as inline SVG, drawn here (no image service, no script)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class StaffOnlyView(View):
    """Signed-in staff only; others go to the sign-in page (anonymous) or get 403."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (access.is_staff_member(user) or access.is_superuser(user)):
            return HttpResponseForbidden()
        return self.elsewhere(request) or super().dispatch(request, *args, **kwargs)

    def elsewhere(self, request):
        """Where a signed-in staff member should be sent instead of this page, if anywhere."""
        return None

    def locked_out(self, request):
        """The lockout's answer, signed out, when this username or address is locked."""
        credentials = {"username": request.user.get_username()}
        if settings.AXES_ENABLED and (
            getattr(request, "axes_locked_out", False)
            or AxesProxyHandler.is_locked(request, credentials)
        ):
            logout(request)
            return get_lockout_response(request, credentials=credentials)
        return None


class VerifyView(StaffOnlyView):
    template_name = "clinic/mfa/verify.html"

    def elsewhere(self, request):
        if not services.has_second_factor(request.user):
            return redirect(f"{reverse('mfa:setup')}?{request.GET.urlencode()}")
        return None

    def get(self, request):
        if mfa.is_verified(request.user):
            return redirect(next_url(request))
        return self.page(request, CodeForm())

    def post(self, request):
        if refusal := self.locked_out(request):
            return refusal
        form = CodeForm(request.POST)
        if form.is_valid():
            if services.second_factor_verify(request, code=form.cleaned_data["code"]):
                return redirect(next_url(request))
            if refusal := self.locked_out(request):
                return refusal
            form.add_error("code", WRONG_CODE)
        return self.page(request, form, status=200)

    def page(self, request, form, status=200):
        context = {"form": form, "next": next_url(request)}
        return render(request, self.template_name, context, status=status)


class SetupView(StaffOnlyView):
    """Enrol an authenticator app. Someone who already has one must pass it first: a password
    alone never replaces the second factor."""

    template_name = "clinic/mfa/setup.html"

    def elsewhere(self, request):
        user = request.user
        if services.has_second_factor(user) and not mfa.is_verified(user):
            return redirect(f"{reverse('mfa:verify')}?{request.GET.urlencode()}")
        return None

    def get(self, request):
        return self.page(request, CodeForm())

    def post(self, request):
        if refusal := self.locked_out(request):
            return refusal
        form = CodeForm(request.POST)
        if form.is_valid():
            device = services.enrolment_device(request.user)
            codes = services.enrolment_confirm(
                request, device=device, code=form.cleaned_data["code"]
            )
            if codes is not None:
                return render(
                    request,
                    "clinic/mfa/recovery_codes.html",
                    {"codes": codes, "next": next_url(request), "enrolled": True},
                )
            if refusal := self.locked_out(request):
                return refusal
            form.add_error("code", WRONG_SETUP_CODE)
        return self.page(request, form)

    def page(self, request, form):
        device = services.enrolment_device(request.user)
        secret = services.device_secret(device)
        context = {
            "form": form,
            "next": next_url(request),
            "qr": mark_safe(qr_svg(device.config_url)),  # noqa: S308  (drawn here from our data)
            "replacing": services.has_second_factor(request.user),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }
        return render(request, self.template_name, context)


class RecoveryCodesView(StaffOnlyView):
    """New recovery codes for a staff member who passed the second factor in this session."""

    def get(self, request):
        if not mfa.is_verified(request.user):
            return redirect(f"{reverse('mfa:verify')}?next={request.path}")
        return render(request, "clinic/mfa/recovery_codes.html", {"codes": None})

    def post(self, request):
        if not mfa.is_verified(request.user):
            return redirect(f"{reverse('mfa:verify')}?next={request.path}")
        codes = services.recovery_codes_issue(request.user)
        return render(
            request,
            "clinic/mfa/recovery_codes.html",
            {"codes": codes, "next": reverse(settings.LOGIN_REDIRECT_URL)},
        )
