"""Staff's second factor (django-otp): an authenticator app (TOTP) and recovery codes.

Enrolment makes an unconfirmed TOTP device; a correct code from the app confirms it, retires
any earlier app and recovery codes, and issues ``RECOVERY_CODE_COUNT`` new recovery codes
(django-otp's static tokens, each good once). A wrong code counts as a failed sign-in, so the
sign-in lockout (django-axes: per username and per address) covers the second factor too.
"""

from base64 import b32encode

from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_second_factor(user) -> bool:
    """Whether the user has a confirmed authenticator app (recovery codes alone do not count:
    they are the way back to enrolling a new app)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed app being set up (one at a time; a new visit reuses it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def recovery_codes_issue(user) -> list[str]:
    """New recovery codes; the old ones stop working. Shown to the user once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_failed(request, user) -> None:
    """A wrong code: a failed sign-in for the lockout and the audit trail (the username only)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def enrolment_confirm(request, *, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it: the session becomes verified and the
    new recovery codes are returned. ``None`` (and a failed sign-in) for a wrong code."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        second_factor_failed(request, user)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user)
    otp_login(request, device)
    return codes


def second_factor_verify(request, *, code: str) -> bool:
    """Check a code from the app, or a recovery code (spent once used); on success the session
    is verified. A wrong code is a failed sign-in."""
    user = request.user
    device = match_token(user, code.strip().replace(" ", ""))
    if device is None:
        second_factor_failed(request, user)
        return False
    otp_login(request, device)
    return True


def device_secret(device: TOTPDevice) -> str:
    """The app's key as people type it into an authenticator (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")
