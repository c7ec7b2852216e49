"""Session limits, and the headers every page gets.

``PrivatePagesMiddleware``: no page is kept by a browser or a shared cache (``Cache-Control:
no-store``: many show patient data, and a page's URL says little about whether it does), and
every response carries the Permissions-Policy. Static files are served above it, by
WhiteNoise, with their own long cache headers.

Session limits: signed out after a while without activity, and after an absolute cap.

Staff are signed out after ``SESSION_IDLE_MINUTES_STAFF`` idle minutes, patients after
``SESSION_IDLE_MINUTES_PATIENT``; every session ends ``SESSION_MAX_HOURS`` after sign-in. A
page warns a minute before the idle limit (``static/js/session-timeout.js``) and its "Stay
signed in" button posts to ``account:session_ping``, which counts as activity like any request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers

LAST_SEEN = "stride_last_seen"
SIGNED_IN_AT = "stride_signed_in_at"
SIGNED_OUT_IDLE = (
    "You were signed out after {minutes} minutes without activity. Please sign in again."
)
SIGNED_OUT_CAP = "You were signed out: a session lasts at most {hours} hours. Please sign in again."
# Activity is written to the session at most this often (seconds), not on every request.
WRITE_EVERY = 15


def idle_seconds(user) -> int:
    """How long this user may be idle before being signed out."""
    minutes = (
        settings.SESSION_IDLE_MINUTES_STAFF
        if user.is_staff_member or user.is_staff
        else settings.SESSION_IDLE_MINUTES_PATIENT
    )
    return minutes * 60


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "cacheable", False):  # a view may say it holds nothing private
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def session_start(sender, request, user, **kwargs):
    """At sign-in (``user_logged_in``): the cap and the idle clock start now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request, user)
            if ended:
                return self._signed_out(request, ended)
        return self.get_response(request)

    def _ended(self, request, user) -> str | None:
        session, now = request.session, time.time()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        idle = idle_seconds(user)
        if now - last_seen > idle:
            return SIGNED_OUT_IDLE.format(minutes=idle // 60)
        if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
            return SIGNED_OUT_CAP.format(hours=settings.SESSION_MAX_HOURS)
        if now - last_seen >= WRITE_EVERY or LAST_SEEN not in session:
            session[LAST_SEEN] = now
        return None

    def _signed_out(self, request, message: str):
        logout(request)
        messages.info(request, message)
        if request.headers.get("HX-Request") or (
            request.method == "POST" and (request.path == resolve_url("account:session_ping"))
        ):
            response = HttpResponse(status=401)  # htmx follows HX-Redirect to the sign-in page
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


class BrandedNotFoundMiddleware:
    """With ``DEBUG`` on (``make run``), a page that is not found gets the site's own 404 page,
    as in production, instead of Django's technical page that lists every URL of the site.
    ``DEBUG_TECHNICAL_404=true`` brings the technical page back for a developer who wants it."""

    TECHNICAL_MARK = b"DEBUG = True"  # said by Django's technical 404 page, and only there

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and self.TECHNICAL_MARK in response.content
        ):
            from clinic.views.errors import page_not_found

            return page_not_found(request, None)
        return response
