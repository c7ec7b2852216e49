"""Who must sign in with a second factor, and the gate that holds them until they have.

Clinic admins (and superusers) always; every other staff member when ``STAFF_MFA_REQUIRED``
is on (the default under ``DJANGO_ENV=production``); patients never. ``StaffMfaMiddleware``
sends a signed-in staff member who must and has not yet to the second-factor page (or to
enrolment, the first time) from every page, the Django admin included, so the admin's sign-in
and the staff sign-in both go through it. django-otp's ``OTPMiddleware`` (before this one)
says whether the session was verified.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from clinic import access

# Pages open to a signed-in staff member who has not passed the second factor yet.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "mfa:verify",
        "mfa:setup",
        "logout",
        "admin:logout",
        "account:session_ping",
        "healthz",
    }
)
SECOND_FACTOR_NEEDED = "Enter the code from your authenticator app to go on."


def mfa_required(user) -> bool:
    if not access.is_staff_member(user) and not access.is_superuser(user):
        return False
    return access.is_clinic_admin(user) or settings.STAFF_MFA_REQUIRED


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        user = request.user
        if not mfa_required(user) or is_verified(user):
            return None
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            return JsonResponse({"detail": SECOND_FACTOR_NEEDED}, status=403)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse('mfa:verify')}{'?' + query if query else ''}")
