import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.celery import app as celery_app
from clinic.demo import DEMO_PASSWORD, LOCATIONS, demo_logins
from clinic.models import Location, Patient, Therapist, User
from tests.factories.clinic import LocationFactory, PatientFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    # The browser tests allow sync ORM calls in their event loop; a deployment never does.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_deploy_check_is_clean_under_the_production_profile():
    env = {
        **production_env(),
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "stride.example",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in production_env().items() if k != "SECRET_KEY"}
    env.update({"DJANGO_ENV": "production", "DJANGO_SETTINGS_MODULE": "clinic.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


def test_healthz_is_503_when_the_broker_does_not_answer(client):
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", broker_transport_options={})
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.update(broker_url=saved[0], broker_transport_options=saved[1])
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "worker_last_seen": None,
    }


def test_home_page_offers_booking_and_shows_both_addresses(client, django_assert_max_num_queries):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with django_assert_max_num_queries(2):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("book")}"' in html
    assert "Book a consultation" in html
    assert "2112 Broadway Street NE, Suite 195" in html
    assert "8770 Springbrook Dr. NW, Suite 106" in html
    assert "Coon Rapids, MN 55433" in html
    # Front-end assets are ours, never a CDN's.
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_vendored_assets_are_served(client):
    for path in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js"]:
        assert (ROOT / "static" / path).stat().st_size > 10_000


@pytest.mark.parametrize(
    ("role", "sees_front_desk", "sees_booking"),
    [
        (None, False, True),
        (User.Role.PATIENT, False, True),
        (User.Role.FRONT_DESK, True, False),
    ],
)
def test_navigation_fits_the_role(client, role, sees_front_desk, sees_booking):
    if role:
        factory = StaffUserFactory if role == User.Role.FRONT_DESK else UserFactory
        client.force_login(factory(role=role))
    nav = client.get(reverse("home")).content.decode().split('id="main"')[0]
    assert ('href="/admin/"' in nav) is sees_front_desk
    assert ("Book a consultation" in nav) is sees_booking
    assert ("Sign in" in nav) is (role is None)


def test_seed_demo_is_idempotent_and_front_desk_can_sign_in(client):
    for _ in range(2):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Location.objects.count() == len(LOCATIONS) == 2
    assert Therapist.objects.count() == 4
    assert all(t.credentials == "PT, DPT" for t in Therapist.objects.all())
    # The demo patient, their teenager (a dependent) and one with a red-flag intake.
    assert Patient.objects.count() == 3
    assert Patient.objects.filter(guardian__email="alex.rivera@example.com").count() == 1
    from intake.models import IntakeAssessment

    assert IntakeAssessment.objects.filter(status="submitted").count() == 2
    assert IntakeAssessment.objects.filter(is_urgent=True).count() == 1
    assert IntakeAssessment.objects.filter(clinical_assessment__isnull=False).count() == 1
    assert set(Location.objects.values_list("time_zone", flat=True)) == {"America/Chicago"}

    front_desk_email = dict(demo_logins())["Front desk"]
    response = client.post(
        reverse("admin:login"),
        {"username": front_desk_email, "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/clinic/patient/").status_code == 200


def test_users_sign_in_by_email_case_insensitively(client):
    user = UserFactory(email="runner@example.com")
    assert client.login(username="Runner@Example.com".lower(), password="a-test-password-1")
    assert str(user) == user.get_full_name()
    with pytest.raises(Exception, match="unique"):
        User.objects.create_user(email="RUNNER@example.com".upper(), password="x")


def test_patient_phone_is_stored_in_e164():
    patient = PatientFactory(phone="(612) 555-0199")
    patient.full_clean()
    patient.refresh_from_db()
    assert str(patient.phone) == "+16125550199"


def test_location_rejects_an_unknown_time_zone():
    location = LocationFactory.build(time_zone="America/Minneapolis")
    with pytest.raises(Exception, match="IANA"):
        location.full_clean()
