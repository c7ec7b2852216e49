"""Journey 5: the patient signs in with the emailed link, lands on "My care", opens the plan,
prints it, and logs a session. At phone and desktop size, accessible on every page."""

import pytest
from django.core import mail

from careplans.models import CarePlan, SessionLog
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.journeys import path_of_link_in
from tests.factories.careplans import CarePlanFactory, ExerciseFactory, PrescribedExerciseFactory
from tests.factories.clinic import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)
PAIN = 2


@pytest.fixture
def plan(clinic_setup):
    patient = PatientFactory(first_name="Sam", email="sam.rivera@example.com")
    therapist = clinic_setup["therapist"]
    AppointmentFactory(patient=patient, therapist=therapist, location=clinic_setup["location"])
    plan = CarePlanFactory(
        patient=patient,
        author=therapist,
        status=CarePlan.Status.ACTIVE,
        title="Back to running",
        goals="- Run 10 miles (now 3/10)\n- Sit through a meeting (now 6/10)",
    )
    for position, (name, steps) in enumerate(
        [
            ("Side plank", ["Lie on your side, elbow under the shoulder.", "Lift the hips."]),
            ("Glute bridge", ["Lie on your back, knees bent.", "Push the hips up."]),
            ("Bird dog", ["On hands and knees.", "Reach the opposite arm and leg."]),
        ],
        start=1,
    ):
        PrescribedExerciseFactory(
            plan=plan,
            position=position,
            exercise=ExerciseFactory(name=name, instructions=steps),
            sets=3,
            reps=10,
            times_per_week=4,
        )
    return plan


def test_the_patient_signs_in_prints_the_plan_and_logs_a_session(page, plan, clinic_setup):
    patient = plan.patient
    page.goto("/account/login/")
    page.get_by_label("Your email address").fill(patient.email)
    assert_accessible(page)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/account/login/sent/")
    link = mail.outbox[-1]
    assert link.to == [patient.email]

    page.goto(path_of_link_in(link))
    assert page.get_by_role("heading", name=f"Welcome back, {patient.first_name}").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()

    # "My care": the plan card and the coming visit.
    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", name=f"Hi {patient.first_name}").is_visible()
    card = page.locator("section").filter(
        has=page.get_by_role("heading", name="Your exercise plan")
    )
    assert card.get_by_text(plan.title).is_visible()
    assert card.get_by_text("3 exercises").is_visible()
    assert page.get_by_role("heading", name="Upcoming appointments").is_visible()
    shot(page, "j5-1-my-care")
    assert_accessible(page)
    card.get_by_role("link", name="Open my plan").click()

    # The plan: today's list first, each exercise's how-to folded away.
    page.wait_for_url(f"**/plans/mine/{plan.pk}/")
    today = page.locator("#today")
    assert today.get_by_role("link", name="Side plank").is_visible()
    howto = page.get_by_text("Lift the hips.")
    assert not howto.is_visible()
    page.locator("#exercise-" + str(plan.items.get(position=1).pk)).get_by_text(
        "How to do it"
    ).click()
    assert howto.is_visible()
    assert page.get_by_role("list").filter(has_text="Run 10 miles (now 3/10)").is_visible()
    assert page.get_by_text("- Run 10 miles").count() == 0
    call = page.get_by_role("link", name=clinic_setup["location"].phone.as_national).first
    assert call.get_attribute("href") == f"tel:{clinic_setup['location'].phone}"
    shot(page, "j5-2-plan")
    assert_accessible(page)

    # Printed: no menu or buttons, every exercise's steps on paper, folded or not.
    page.emulate_media(media="print")
    assert not page.locator("header.navbar").is_visible()
    assert not page.get_by_role("link", name="Log a session").first.is_visible()
    assert page.get_by_text("Push the hips up.").is_visible()
    assert page.get_by_text("Reach the opposite arm and leg.").is_visible()
    assert page.locator(".print-only").first.is_visible()
    pdf_shot = page.pdf() if page.context.browser.browser_type.name == "chromium" else b""
    assert pdf_shot.startswith(b"%PDF")
    shot(page, "j5-3-plan-printed")
    page.emulate_media(media="screen")

    today.get_by_role("link", name="Log a session").click()
    page.wait_for_url(f"**/plans/mine/{plan.pk}/log/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Pain {PAIN} out of 10").click()
    page.wait_for_url(f"**/plans/mine/{plan.pk}/")
    assert page.get_by_text("Session saved. Nice work!").is_visible()
    shot(page, "j5-4-logged")
    assert_accessible(page)
    log = SessionLog.objects.get()
    assert (log.plan, log.pain_after) == (plan, PAIN)
