"""A production start with unsafe settings is refused when the settings load."""

import datetime
import importlib.util
import zoneinfo
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from twilio.request_validator import RequestValidator

from clinic.management.commands.seed_demo import PRODUCTION_REFUSAL
from clinic.models import User
from clinic.services import appointment_book
from tests.factories.clinic import PatientFactory

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 64
TWILIO = "clinic.sms.backends.twilio.SmsBackend"


def load_settings(monkeypatch, **env):
    """Import a fresh copy of clinic/settings.py under the given environment."""
    for name in [
        "DEBUG",
        "SECRET_KEY",
        "SMS_BACKEND",
        "TWILIO_AUTH_TOKEN",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_PORT",
        "REDIS_URL",
        "REDIS_PASSWORD",
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_VALIDATE_WEBHOOKS", "true")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_probe", ROOT / "clinic/settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_safe_production_profile_loads(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        SMS_BACKEND=TWILIO,
        TWILIO_AUTH_TOKEN="token",
    )
    assert loaded.DEBUG is False


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "true", "SECRET_KEY": GOOD_KEY}, "DEBUG"),
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me-to-a-long-random-string"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "SMS_BACKEND": TWILIO}, "TWILIO_AUTH_TOKEN"),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "SMS_BACKEND": TWILIO,
                "TWILIO_AUTH_TOKEN": "token",
                "TWILIO_VALIDATE_WEBHOOKS": "false",
            },
            "TWILIO_VALIDATE_WEBHOOKS",
        ),
    ],
)
def test_an_unsafe_production_profile_is_refused(monkeypatch, env, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        load_settings(monkeypatch, DJANGO_ENV="production", **env)


def test_production_email_goes_over_tls_by_default(monkeypatch):
    """Finding 5: email defaulted to plaintext SMTP on port 25."""
    loaded = load_settings(monkeypatch, DJANGO_ENV="production", SECRET_KEY=GOOD_KEY)
    assert loaded.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    assert (loaded.EMAIL_USE_TLS, loaded.EMAIL_PORT) == (True, 587)
    implicit = load_settings(
        monkeypatch, DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, EMAIL_USE_SSL="true"
    )
    assert (implicit.EMAIL_USE_TLS, implicit.EMAIL_USE_SSL, implicit.EMAIL_PORT) == (
        False,
        True,
        465,
    )


def test_production_refuses_plaintext_smtp(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS"):
        load_settings(
            monkeypatch, DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, EMAIL_USE_TLS="false"
        )


def test_redis_password_goes_into_the_url(monkeypatch):
    loaded = load_settings(
        monkeypatch, REDIS_URL="redis://redis:6379/0", REDIS_PASSWORD="p@ss word"
    )
    assert loaded.REDIS_URL == "redis://:p%40ss%20word@redis:6379/0"
    assert loaded.CELERY_BROKER_URL == loaded.REDIS_URL
    assert loaded.CACHES["default"]["LOCATION"] == loaded.REDIS_URL


def test_development_still_needs_no_configuration(monkeypatch):
    loaded = load_settings(monkeypatch, DJANGO_ENV="development")
    assert loaded.DEBUG is True


def test_the_example_env_file_is_safe_to_copy_for_production(monkeypatch):
    """`cp .env.example .env` then DJANGO_ENV=production: no DEBUG=true comes along."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    settings_lines = [line for line in lines if line.strip() and not line.startswith("#")]
    assert not [line for line in settings_lines if line.replace(" ", "").startswith("DEBUG=")]
    assert "SECRET_KEY=" not in "\n".join(settings_lines)


@pytest.fixture
def tomorrow_visit(clinic_setup, next_monday):
    return appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=datetime.datetime.combine(next_monday, datetime.time(9), CHICAGO),
        patient=PatientFactory(),
    )


@pytest.mark.django_db
def test_a_request_signed_with_an_empty_token_is_refused(client, settings, tomorrow_visit):
    """Finding 1: with no auth token, a signature computed with an empty key used to pass."""
    settings.TWILIO_AUTH_TOKEN = ""
    settings.TWILIO_VALIDATE_WEBHOOKS = True
    data = {"From": str(tomorrow_visit.patient.phone), "Body": "R"}
    url = "http://testserver" + reverse("sms_inbound")
    forged = RequestValidator("").compute_signature(url, data)
    response = client.post(reverse("sms_inbound"), data, HTTP_X_TWILIO_SIGNATURE=forged)
    assert response.status_code == 403
    assert b"/appointments/" not in response.content


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert PRODUCTION_REFUSAL
    assert not User.objects.filter(is_superuser=True).exists()
