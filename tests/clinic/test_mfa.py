"""Staff's second factor: who is asked, enrolment with recovery codes, the staff and admin
sign-ins both going through it, and the lockout counting wrong codes."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AuditEvent, User
from clinic.services import mfa as services
from clinic.views.mfa import WRONG_CODE, WRONG_SETUP_CODE
from tests.factories.clinic import PASSWORD, PatientUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
VERIFY = reverse("mfa:verify")
SETUP = reverse("mfa:setup")
ADMIN = reverse("admin:index")


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_now(device)) + 1) % 10**6:06d}"


def sign_in(client, user, url="login", **extra):
    return client.post(reverse(url), {"username": user.email, "password": PASSWORD}, **extra)


def admin_user(**fields):
    return StaffUserFactory(role=User.Role.ADMIN, **fields)


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def test_a_clinic_admin_is_sent_to_the_second_factor_after_the_password(client):
    user = admin_user()
    with_app(user)
    assert sign_in(client, user).status_code == 302
    # Every page but the second factor's sends them there, with where they were going.
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get(reverse("home")).url.startswith(VERIFY)
    page = client.get(response.url)
    assert page.status_code == 200 and "authenticator app" in page.content.decode()


def test_the_admin_sign_in_goes_through_the_second_factor_too(client):
    user = admin_user()
    device = with_app(user)
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": user.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get(ADMIN).url.startswith(VERIFY)

    response = client.post(VERIFY, {"code": code_now(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_is_refused_and_nothing_opens(client):
    user = admin_user()
    device = with_app(user)
    sign_in(client, user)
    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/admin/"})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get(ADMIN).url.startswith(VERIFY)
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failed.username == user.email


def test_a_recovery_code_works_once(client):
    user = admin_user()
    with_app(user)
    codes = services.recovery_codes_issue(user)
    assert len(codes) == services.RECOVERY_CODE_COUNT == len(set(codes))
    sign_in(client, user)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(ADMIN).status_code == 200

    client.post(reverse("logout"))
    sign_in(client, user)
    response = client.post(VERIFY, {"code": codes[0]})
    assert WRONG_CODE in response.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1


def test_enrolment_shows_a_qr_code_confirms_with_a_code_and_gives_recovery_codes(client):
    user = admin_user()
    sign_in(client, user)
    # No app yet: the second-factor page sends them to set one up.
    assert client.get(VERIFY).url.startswith(SETUP)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert services.device_secret(device)[:4] in html.replace(" ", "")

    wrong = client.post(SETUP, {"code": wrong_code(device)})
    assert WRONG_SETUP_CODE in wrong.content.decode()
    assert client.get(ADMIN).status_code == 302
    # django-otp slows guessing down too: right after a wrong code the device waits a second
    # (doubling with each failure); the test does not wait.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()

    done = client.post(SETUP, {"code": code_now(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert all(code in done.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


def test_a_password_alone_cannot_replace_an_enrolled_app(client):
    user = admin_user()
    original = with_app(user)
    sign_in(client, user)
    assert client.get(SETUP).url.startswith(VERIFY)
    code = "123456"
    client.post(SETUP, {"code": code})
    assert list(TOTPDevice.objects.filter(user=user)) == [original]


def test_new_recovery_codes_retire_the_old_ones(client):
    user = admin_user()
    old = services.recovery_codes_issue(user)
    client.force_login(user)  # verified, as after the second factor
    response = client.post(reverse("mfa:recovery_codes"))
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_other_staff_are_asked_only_when_the_setting_says_so(client, settings):
    desk = StaffUserFactory(role=User.Role.FRONT_DESK)
    settings.STAFF_MFA_REQUIRED = False
    sign_in(client, desk)
    assert client.get(reverse("admin:clinic_appointment_today")).status_code == 200

    settings.STAFF_MFA_REQUIRED = True
    assert client.get(ADMIN).url.startswith(VERIFY)
    therapist_page = client.get(reverse("my_schedule"))
    assert therapist_page.status_code == 302


def test_patients_are_never_asked(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    patient = PatientUserFactory()
    client.force_login(patient.user)
    assert client.get(reverse("account:home")).status_code == 200


def test_htmx_requests_get_a_403_not_a_redirect(client):
    user = admin_user()
    sign_in(client, user)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def test_the_next_page_must_be_on_this_site(client):
    user = admin_user()
    device = with_app(user)
    sign_in(client, user)
    response = client.post(VERIFY, {"code": code_now(device), "next": "https://evil.example/"})
    assert response.url == reverse("landing")  # where signing in lands without a next


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    return settings


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, axes_on):
    user = admin_user()
    device = with_app(user)
    me = {"REMOTE_ADDR": "203.0.113.40"}
    sign_in(client, user, **me)
    statuses = [
        client.post(VERIFY, {"code": wrong_code(device)}, **me).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    # Locked out and signed out: the right code no longer helps, nor does the password.
    assert "_auth_user_id" not in client.session
    assert sign_in(client, user, REMOTE_ADDR="198.51.100.41").status_code == 429


def test_the_setup_page_counts_wrong_codes_too(client, axes_on):
    user = admin_user()
    me = {"REMOTE_ADDR": "203.0.113.42"}
    sign_in(client, user, **me)
    client.get(SETUP, **me)
    device = TOTPDevice.objects.get(user=user)
    statuses = [
        client.post(SETUP, {"code": wrong_code(device)}, **me).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert "_auth_user_id" not in client.session


def test_a_verified_admin_can_move_to_a_new_phone_from_the_admin(client):
    user = admin_user()
    old = with_app(user)
    client.force_login(user)
    assert reverse("mfa:setup") in client.get(ADMIN).content.decode()
    page = client.get(SETUP)
    assert "replaces the one you use now" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"code": code_now(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_the_second_factor_pages_make_few_queries(client, django_assert_max_num_queries):
    user = admin_user()
    with_app(user)
    sign_in(client, user)
    with django_assert_max_num_queries(8):
        assert client.get(VERIFY).status_code == 200
    client.force_login(user)
    with django_assert_max_num_queries(10):
        assert client.get(SETUP).status_code == 200
