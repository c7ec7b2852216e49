import time

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.browser import shot

pytestmark = pytest.mark.django_db(transaction=True)


def code_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_the_clinic_admin_signs_in_to_the_admin_with_the_demo_authenticator(phone):
    call_command("seed_demo", verbosity=0)
    from clinic.demo import DEMO_PASSWORD, demo_logins

    email = dict(demo_logins())["Clinic admin"]
    phone.goto("/admin/")
    phone.get_by_label("Email address").fill(email)
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/accounts/mfa/?next=%2Fadmin%2F")
    assert phone.get_by_role("heading", name="Two-step sign-in").is_visible()
    shot(phone, "mfa-verify")

    device = TOTPDevice.objects.get(user__email=email)
    phone.get_by_label("Code").fill(code_now(device))
    phone.get_by_role("button", name="Verify").click()
    phone.wait_for_url("**/admin/")
    assert phone.get_by_text("Patients").first.is_visible()


def test_a_new_admin_enrols_an_app_and_keeps_recovery_codes(phone):
    from clinic.models import User
    from tests.factories.clinic import PASSWORD, StaffUserFactory

    user = StaffUserFactory(role=User.Role.ADMIN, email="new.admin@example.com")
    phone.goto("/accounts/login/")
    phone.get_by_label("Email address").fill(user.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/accounts/mfa/setup/**")
    qr = phone.locator(".mfa-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] > 100
    shot(phone, "mfa-setup")

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    phone.get_by_label("Code").fill(code_now(device))
    phone.get_by_role("button", name="Turn on two-step sign-in").click()
    assert phone.get_by_role("heading", name="Two-step sign-in is on").is_visible()
    assert phone.locator("#recovery-codes li").count() == 10
    shot(phone, "mfa-recovery-codes")
    phone.get_by_role("link", name="continue").click()
    phone.wait_for_url(lambda url: "/accounts/mfa/" not in url)
