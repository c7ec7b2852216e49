"""Rate limits per client address (and, for sign-in links, per email), counted in Django's cache.

DRF copies ``DEFAULT_THROTTLE_RATES`` onto its throttle classes when they are imported, so a
rate changed later (an override in a test, a reloaded setting) would be ignored. These
classes read the rate from Django settings on every request instead.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import SimpleRateThrottle

from clinic.client_ip import client_ip
from clinic.models import email_normalized

THROTTLED = "Too many requests from your address. Please wait a little and try again."


class SettingsRateThrottle(SimpleRateThrottle):
    """Counts requests per client address under ``scope`` at the rate settings give now."""

    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        try:
            return rates[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for {self.scope!r}."
            ) from exc

    def get_ident(self, request):
        # One rule for every per-address limit and the sign-in lockout (TRUSTED_PROXY_COUNT).
        return client_ip(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ReadRateThrottle(SettingsRateThrottle):
    """Every read endpoint, at the ``anon`` rate."""

    scope = "anon"


class BookingRateThrottle(SettingsRateThrottle):
    """Booking, at the stricter ``booking`` rate: each request writes and may send email."""

    scope = "booking"


class LoginLinkRateThrottle(SettingsRateThrottle):
    """Sign-in link requests per client address, at the ``login_link`` rate."""

    scope = "login_link"


class IntakeAutosaveRateThrottle(SettingsRateThrottle):
    """The intake's autosave (a request per pause in typing), per client address."""

    scope = "intake_autosave"


class SignedLinkRateThrottle(SettingsRateThrottle):
    """Opening a signed link (manage, intake, re-assessment, sign-in), per client address:
    nobody can try tokens quickly."""

    scope = "signed_link"


class LoginLinkEmailRateThrottle(SettingsRateThrottle):
    """Sign-in links per email address, whoever asks: nobody can flood a patient's inbox."""

    scope = "login_link"

    def __init__(self, email: str):
        super().__init__()
        # A digest, so that the cache holds no email addresses.
        self.email_key = hashlib.sha256(email_normalized(email).encode()).hexdigest()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}_email", "ident": self.email_key}
