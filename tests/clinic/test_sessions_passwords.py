"""Finding 3: idle sign-out (staff 15 min, patients 30), a 12-hour cap, the current password
to change a password, and at least 12 characters."""

import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.middleware import LAST_SEEN, SIGNED_IN_AT, SIGNED_OUT_CAP, SIGNED_OUT_IDLE
from clinic.views.account import PASSWORD_SET
from tests.factories.clinic import PASSWORD, PatientUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def signed_in(client, user, **ago_minutes):
    client.force_login(user)
    session = client.session
    now = time.time()
    session[LAST_SEEN] = now - 60 * ago_minutes.get("last_seen", 0)
    session[SIGNED_IN_AT] = now - 60 * ago_minutes.get("signed_in", 0)
    session.save()
    return client


def test_staff_are_signed_out_after_15_idle_minutes(client):
    signed_in(client, StaffUserFactory(), last_seen=16)
    response = client.get(reverse("my_schedule"), follow=True)
    assert "_auth_user_id" not in client.session
    assert SIGNED_OUT_IDLE.format(minutes=15) in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_staff_idle_14_minutes_stay_signed_in(client):
    signed_in(client, StaffUserFactory(), last_seen=14)
    client.get(reverse("home"))
    assert "_auth_user_id" in client.session


def test_patients_get_30_idle_minutes(client):
    patient = PatientUserFactory()
    signed_in(client, patient.user, last_seen=20)
    assert client.get(reverse("account:home")).status_code == 200
    signed_in(client, patient.user, last_seen=31)
    response = client.get(reverse("account:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_every_session_ends_12_hours_after_sign_in(client):
    patient = PatientUserFactory()
    signed_in(client, patient.user, last_seen=1, signed_in=12 * 60 + 1)
    response = client.get(reverse("account:home"), follow=True)
    assert "_auth_user_id" not in client.session
    assert SIGNED_OUT_CAP.format(hours=12) in response.content.decode()


def test_stay_signed_in_resets_the_idle_clock(client):
    signed_in(client, StaffUserFactory(), last_seen=14)
    response = client.post(reverse("account:session_ping"))
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "idle_seconds": 900}
    assert time.time() - client.session[LAST_SEEN] < 5


def test_an_htmx_request_after_the_limit_is_sent_to_sign_in(client):
    signed_in(client, StaffUserFactory(), last_seen=16)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("login")


def test_pages_carry_the_warning_script_and_its_settings(client):
    signed_in(client, StaffUserFactory())
    html = client.get(reverse("home")).content.decode()
    assert '<meta name="session-idle-seconds" content="900">' in html
    assert "js/session-timeout.js" in html
    admin = client.get(reverse("admin:index"), follow=True).content.decode()  # Today
    assert "js/session-timeout.js" in admin
    script = (ROOT / "static/js/session-timeout.js").read_text()
    assert "You'll be signed out in a minute." in script
    assert "Stay signed in" in script


def test_signed_out_pages_have_no_warning(client):
    assert "session-timeout.js" not in client.get(reverse("home")).content.decode()


def test_changing_a_password_needs_the_current_one(client):
    patient = PatientUserFactory()  # the factory gives the user a password
    client.force_login(patient.user)
    new = "a-much-longer-passphrase-77"
    response = client.post(
        reverse("account:set_password"), {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    response = client.post(
        reverse("account:set_password"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert "old_password" in response.context["form"].errors
    response = client.post(
        reverse("account:set_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert PASSWORD_SET in response.content.decode()


@pytest.mark.parametrize("password", ["short-pw-1x", "password1234", "1qaz2wsx3edc"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_twelve_character_uncommon_password_is_accepted():
    validate_password("tarn-lupin-7q")
