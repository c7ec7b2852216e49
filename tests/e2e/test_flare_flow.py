"""A patient logs a painful session on a phone and is told what to do; the therapist sees the
patient under "Needs attention" and marks the flare-up handled."""

import re

import pytest
from django.core import mail
from django.test import Client

from careplans import flare
from careplans.models import CarePlan, PainFlare
from careplans.views_flares import FLARE_HANDLED
from careplans.views_patient import SESSION_LOGGED_FLARE
from tests.e2e.browser import DESKTOP, shot
from tests.factories.careplans import CarePlanFactory, ExerciseFactory, PrescribedExerciseFactory
from tests.factories.clinic import PASSWORD, AppointmentFactory, PatientUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_painful_session_reaches_the_therapist(phone, new_page, live_server, clinic_setup):
    therapist, location = clinic_setup["therapist"], clinic_setup["location"]
    patient = PatientUserFactory()
    AppointmentFactory(patient=patient, therapist=therapist, location=location)
    plan = CarePlanFactory(patient=patient, author=therapist, status=CarePlan.Status.ACTIVE)
    PrescribedExerciseFactory(
        plan=plan, position=1, exercise=ExerciseFactory(name="Side plank", category="strength")
    )
    PrescribedExerciseFactory(
        plan=plan, position=2, exercise=ExerciseFactory(name="Cat-camel", category="mobility")
    )

    # The patient, on a phone, logs a session with pain 9.
    page = phone
    client = Client()  # patients sign in by emailed link: here, by the session it would make
    client.force_login(patient.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/plans/mine/{plan.pk}/log/")
    page.get_by_role("button", name="Pain 9 out of 10").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/flare/$"))
    assert page.get_by_text(SESSION_LOGGED_FLARE).is_visible()
    assert page.get_by_role("heading", name=flare.FLARE_HEADING).is_visible()
    paused = page.locator("[data-flare=paused]")
    assert paused.get_by_text("Side plank").is_visible()
    assert page.locator("[data-flare=kept]").get_by_text("Cat-camel").is_visible()
    call = page.get_by_role("link", name=re.compile(r"^Call the clinic"))
    assert call.get_attribute("href") == f"tel:{location.phone}"
    assert page.get_by_role("heading", name=flare.URGENT_HEADING).is_visible()
    shot(page, "flare-1-patient")

    # The therapist is emailed a link, with no name and no score.
    (alert,) = [m for m in mail.outbox if m.to == [therapist.user.email]]
    assert patient.last_name not in alert.body and "9" not in alert.subject

    # On a desktop, the therapist finds the patient under "Needs attention" and handles it.
    desk = new_page(DESKTOP)
    desk.goto("/accounts/login/")
    desk.get_by_label("Email address").fill(therapist.user.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_load_state()
    desk.goto("/plans/")
    attention = desk.locator("#needs-attention-list")
    shot(desk, "flare-2-needs-attention")
    attention.get_by_role("link", name=patient.full_name).click()
    desk.wait_for_url(f"**/plans/patients/{patient.pk}/")
    assert desk.locator("svg.pain-chart circle.flare").count() == 1
    desk.get_by_label("What did you do about it?").fill("Phoned; rest two days, then half sets.")
    shot(desk, "flare-3-patient-page")
    desk.get_by_role("button", name="Mark handled").click()
    desk.wait_for_url(f"**/plans/patients/{patient.pk}/")
    assert desk.get_by_text(FLARE_HANDLED).is_visible()
    desk.goto("/plans/")
    assert desk.locator("#needs-attention-list").count() == 0
    handled = PainFlare.objects.get()
    assert handled.handled_by == therapist.user and handled.handled_at is not None
