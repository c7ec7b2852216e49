"""The patient's account: one-time sign-in links, the home page and setting a password."""

import datetime
import re
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail, signing
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.module_loading import import_string

from careplans.models import CarePlan
from clinic import links
from clinic.api.throttles import THROTTLED
from clinic.models import User
from clinic.services import login_links
from clinic.views.account import PASSWORD_SET
from intake.models import IntakeAssessment
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    PatientFactory,
    PatientUserFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    """As booking leaves them: an account without a usable password."""
    patient = PatientUserFactory(first_name="Alex", email="alex@example.com")
    patient.user.set_unusable_password()
    patient.user.save(update_fields=["password"])
    return patient


def _link_in(email) -> str:
    return re.search(r"https?://\S+/account/login/\S+", email.body).group(0)


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


# --- Asking for a link -------------------------------------------------------------------------


def test_a_known_patient_gets_a_link_by_email(client, patient):
    response = client.post(reverse("account:login"), {"email": "Alex@Example.com"})
    assert response.url == reverse("account:login_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex@example.com"]
    assert "/account/login/" in _link_in(mail.outbox[0])


@pytest.mark.parametrize("email", ["nobody@example.com", "frontdesk@example.com"])
def test_the_same_answer_whether_or_not_there_is_an_account(client, patient, email):
    StaffUserFactory(email="frontdesk@example.com")  # staff sign in with a password
    known = client.post(reverse("account:login"), {"email": patient.email}, follow=True)
    mail.outbox.clear()
    unknown = client.post(reverse("account:login"), {"email": email}, follow=True)
    assert mail.outbox == []
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    strip = lambda html, address: html.replace(escape(address), "")  # noqa: E731
    assert strip(unknown.content.decode(), email) == strip(known.content.decode(), patient.email)


def test_a_booked_patient_without_an_account_gets_one_with_the_link(client):
    patient = PatientFactory(email="Sam.Lee@Example.com", first_name="Sam")
    client.post(reverse("account:login"), {"email": "sam.lee@example.com"})
    patient.refresh_from_db()
    assert patient.user is not None
    assert (patient.user.role, patient.user.email) == (User.Role.PATIENT, "sam.lee@example.com")
    assert not patient.user.has_usable_password()
    (sent,) = mail.outbox
    assert sent.to == ["sam.lee@example.com"]
    # Asking again sends another link for the same account, never a second account.
    client.post(reverse("account:login"), {"email": patient.email})
    assert len(mail.outbox) == 2
    assert User.objects.filter(email__iexact=patient.email).count() == 1


def test_a_staff_address_on_a_patient_record_gets_no_patient_account(client):
    staff = StaffUserFactory(email="desk@example.com")
    patient = PatientFactory(email="desk@example.com")
    assert login_links.patient_account(email=patient.email) is None
    client.post(reverse("account:login"), {"email": patient.email})
    assert mail.outbox == []
    assert list(User.objects.filter(email__iexact=patient.email)) == [staff]


@pytest.fixture
def login_link_rate(settings):
    """Sign-in link requests allowed per hour, per address and per email, for one test."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login_link": "2/hour",
        },
    }
    cache.clear()  # throttle counts live in the cache
    yield 2
    cache.clear()


def test_too_many_link_requests_from_one_address_are_refused(client, patient, login_link_rate):
    for _ in range(login_link_rate):
        response = client.post(reverse("account:login"), {"email": "someone@example.com"})
        assert response.status_code == 302
    refused = client.post(reverse("account:login"), {"email": patient.email})
    assert refused.status_code == 429
    assert THROTTLED in refused.content.decode()
    assert refused.context["form"]["email"].value() == patient.email  # what they typed stays
    assert mail.outbox == []


def test_links_for_one_email_are_limited_whoever_asks(client, patient, login_link_rate):
    for n in range(login_link_rate + 2):
        response = client.post(
            reverse("account:login"), {"email": patient.email}, REMOTE_ADDR=f"203.0.113.{n}"
        )
        assert response.url == reverse("account:login_sent")  # the same answer every time
    assert len(mail.outbox) == login_link_rate


def test_an_inactive_patient_gets_no_link(client, patient):
    User.objects.filter(pk=patient.user.pk).update(is_active=False)
    client.post(reverse("account:login"), {"email": patient.email})
    assert mail.outbox == []


# --- Using it ----------------------------------------------------------------------------------


def test_the_link_shows_a_button_and_signs_in_on_post(client, patient):
    client.post(reverse("account:login"), {"email": patient.email})
    path = _path(_link_in(mail.outbox[0]))

    page = client.get(path)
    assert page.status_code == 200 and "Sign in" in page.content.decode()
    assert "_auth_user_id" not in client.session  # looking at the link does not sign in

    response = client.post(path)
    assert response.url == reverse("account:home")
    assert int(client.session["_auth_user_id"]) == patient.user.pk


def test_the_link_works_once(client, patient):
    path = _path(login_links.login_link_url(patient.user))
    client.post(path)
    client.logout()
    again = client.post(path)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session
    assert client.get(path).status_code == 400


def test_the_link_expires_after_15_minutes(client, patient):
    path = _path(login_links.login_link_url(patient.user))
    later = timezone.now().timestamp() + login_links.LOGIN_LINK_MAX_AGE + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert login_links.LOGIN_LINK_MAX_AGE == 15 * 60


def test_a_tampered_or_foreign_token_is_refused(client, patient):
    forged = signing.dumps({"u": patient.user.pk, "l": ""}, salt=links.MANAGE_SALT)
    assert login_links.login_link_user(forged) is None
    assert login_links.login_link_user("nonsense") is None
    staff = StaffUserFactory()
    staff_token = signing.dumps({"u": staff.pk, "l": ""}, salt=login_links.LOGIN_LINK_SALT)
    assert login_links.login_link_user(staff_token) is None


def test_the_link_returns_to_the_page_asked_for(client, patient):
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
    target = reverse("careplans:my_plan", args=[plan.pk])
    response = client.get(target)
    assert response.url == f"{reverse('account:login')}?next={target}"
    client.post(reverse("account:login"), {"email": patient.email, "next": target})
    link = _path(_link_in(mail.outbox[0]))
    page = client.get(link)
    response = client.post(link.split("?")[0], {"next": page.context["next"]})
    assert response.url == target


def test_an_outside_next_is_ignored(client, patient):
    path = _path(login_links.login_link_url(patient.user))
    response = client.post(path, {"next": "https://evil.example/"})
    assert response.url == reverse("account:home")


# --- Home and password -------------------------------------------------------------------------


def test_home_lists_visits_with_links_intake_status_and_the_plan(
    client, patient, clinic_setup, django_assert_max_num_queries
):
    soon = timezone.now() + datetime.timedelta(days=2)
    evaluation = AppointmentTypeFactory(needs_intake=True, name="Initial evaluation")
    not_started = AppointmentFactory(patient=patient, appointment_type=evaluation, start=soon)
    started = AppointmentFactory(
        patient=patient, appointment_type=evaluation, start=soon + datetime.timedelta(days=1)
    )
    IntakeAssessment.objects.create(patient=patient, appointment=started)
    done = AppointmentFactory(
        patient=patient, appointment_type=evaluation, start=soon + datetime.timedelta(days=2)
    )
    IntakeAssessment.objects.create(
        patient=patient, appointment=done, status=IntakeAssessment.Status.SUBMITTED
    )
    follow_up = AppointmentFactory(patient=patient, start=soon + datetime.timedelta(days=3))
    AppointmentFactory(
        patient=patient, start=soon - datetime.timedelta(days=10)
    )  # past: not listed
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE, title="Core block")
    client.force_login(patient.user)

    # 12, and 2 for the patient's progress (their measures; their plan's sessions).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("account:home"))

    html = response.content.decode()
    visits = response.context["visits"]
    assert [v.appointment for v in visits] == [not_started, started, done, follow_up]
    assert [v.intake_status for v in visits] == ["not_started", "in_progress", "submitted", None]
    # The intake link of the first visit (tokens made in another second are other strings).
    intake = resolve(urlsplit(visits[0].intake_url).path)
    assert intake.view_name == "intake:start"
    link = links.link_from_token(intake.kwargs["token"], salt=links.INTAKE_SALT)
    assert link.appointment_id == not_started.pk
    assert visits[2].intake_url is None and visits[3].intake_url is None
    for visit in visits:
        assert escape(visit.manage_url) in html
    assert "Not started" in html and "In progress" in html and "Submitted" in html
    assert "Core block" in html and reverse("careplans:my_plan", args=[plan.pk]) in html


def test_home_without_a_plan(client, patient):
    client.force_login(patient.user)
    response = client.get(reverse("account:home"))
    assert response.status_code == 200 and response.context["plan"] is None


def test_home_shows_the_plan_card_careplans_adds_above_the_visits(client, patient, clinic_setup):
    AppointmentFactory(patient=patient, start=timezone.now() + datetime.timedelta(days=2))
    earlier = plan_with_items(
        patient=patient, status=CarePlan.Status.COMPLETED, title="Base block", version=1
    )
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE, title="Core block")
    client.force_login(patient.user)
    response = client.get(reverse("account:home"))
    html = response.content.decode()
    assert "careplans/_home_section.html" in [t.name for t in response.templates]
    assert html.index("Your exercise plan") < html.index("Upcoming appointments")
    assert "Core block" in html and "2 exercises" in html
    assert reverse("careplans:session_log", args=[plan.pk]) in html
    assert reverse("careplans:my_plan", args=[plan.pk]) in html
    assert "Base block (v1)" in html and reverse("careplans:my_plan", args=[earlier.pk]) in html


def test_a_patient_without_a_plan_is_told_where_their_exercises_will_be(
    client, patient, django_assert_max_num_queries
):
    client.force_login(patient.user)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("account:home")).content.decode()
    assert "Your exercise plan" in html
    assert "Your therapist will put your exercises here after your evaluation." in html


def test_the_apps_that_add_a_home_section_name_a_function_and_a_template():
    sections = [c for c in apps.get_app_configs() if getattr(c, "patient_home", None)]
    assert [c.label for c in sections] == ["careplans"]
    for config in sections:
        assert callable(import_string(config.patient_home))
        get_template(config.patient_home_template)


def test_staff_have_no_patient_home(client):
    client.force_login(StaffUserFactory())
    assert client.get(reverse("account:home")).status_code == 403


def test_setting_a_password_enables_the_normal_sign_in(client, patient):
    client.force_login(patient.user)
    response = client.post(
        reverse("account:set_password"),
        {"new_password1": "long-enough-pass-42", "new_password2": "long-enough-pass-42"},
        follow=True,
    )
    assert PASSWORD_SET in response.content.decode()
    assert int(client.session["_auth_user_id"]) == patient.user.pk  # still signed in
    client.logout()
    assert client.login(username=patient.email, password="long-enough-pass-42")


def test_a_weak_password_is_refused(client, patient):
    client.force_login(patient.user)
    response = client.post(
        reverse("account:set_password"), {"new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200 and response.context["form"].errors
