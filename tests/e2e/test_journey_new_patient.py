"""Journey 1: a new patient books an initial evaluation with any therapist, opens the intake link,
fills in every step (leaving half-way and coming back) and sends it. At phone and desktop size,
accessible on every page, keyboard rules checked where they matter."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from clinic.models import Appointment
from clinic.services.booker import PHONE_INVALID
from intake.models import IntakeAssessment
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.journeys import fill_fields, focused
from tests.factories.clinic import AppointmentTypeFactory, therapist_with_hours
from tests.helpers import answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def evaluation(clinic_setup):
    therapist_with_hours(location=clinic_setup["location"])  # "any therapist" has a choice
    return AppointmentTypeFactory(
        slug="initial-evaluation",
        name="Initial evaluation",
        needs_intake=True,
        duration_minutes=60,
    )


def books_an_evaluation(page, evaluation, location) -> Appointment:
    page.goto("/")
    page.get_by_role("link", name="Book a consultation").first.click()
    page.wait_for_url("**/book/")
    page.get_by_label(re.compile(evaluation.name)).check()
    page.get_by_label(re.compile(location.name)).check()
    assert (
        page.get_by_label("Therapist")
        .locator("option:checked")
        .inner_text()
        .startswith("Any therapist")
    )
    shot(page, "j1-1-book")
    assert_accessible(page)
    # The orange button shows where the keyboard is.
    page.get_by_label("Therapist").focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="See free times")
    ring = button.evaluate(
        "e => e === document.activeElement && getComputedStyle(e).outlineStyle"
        " + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert ring == "solid 3px"
    button.click()

    # The day picker is one Tab stop: arrows move between days, one Tab reaches the times.
    page.wait_for_url("**/book/times/**")
    assert_accessible(page)
    chosen_day = page.locator(".day-chip[aria-current=date]")
    chosen_day.focus()
    page.keyboard.press("ArrowRight")
    second = page.locator(".day-chip").nth(1)
    assert second.evaluate("e => e === document.activeElement")
    assert second.get_attribute("tabindex") == "0" and chosen_day.get_attribute("tabindex") == "-1"
    page.keyboard.press("Enter")
    page.wait_for_url("**day=**")
    page.locator(".day-chip[aria-current=date]").focus()
    page.keyboard.press("Tab")
    assert "time-btn" in focused(page)["cls"]
    shot(page, "j1-2-times")
    chosen_time = focused(page)["text"]
    page.keyboard.press("Enter")

    page.wait_for_url("**/book/details/**")
    consent = page.get_by_role("checkbox", name=re.compile("Text me"))
    assert not consent.is_checked()  # consent is the patient's own act
    page.get_by_role("button", name="Review booking").click()  # empty: errors, focus on them
    page.wait_for_load_state()
    assert focused(page)["summary"]
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*First name")).fill("Robin")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Okafor")
    page.get_by_label("Email").fill("robin.okafor@example.com")
    page.get_by_label("Mobile phone").fill("555-12")
    page.get_by_label(re.compile(r"^\s*Date of birth")).fill("1988-04-12")
    page.get_by_label("What brings you in?").fill("Low back pain since a marathon block")
    consent.check()
    page.get_by_role("button", name="Review booking").click()
    page.wait_for_load_state()
    assert page.get_by_text(PHONE_INVALID).is_visible()
    assert page.get_by_label("Mobile phone").input_value() == "555-12"  # shown as typed
    assert page.get_by_label(re.compile(r"^\s*First name")).input_value() == "Robin"  # nothing lost
    page.get_by_label("Mobile phone").fill("612-555-0188")
    shot(page, "j1-3-details")
    page.get_by_role("button", name="Review booking").click()

    page.wait_for_url("**/book/review/")
    assert page.get_by_text(chosen_time).first.is_visible()
    assert page.get_by_text("Texts: confirmation and a reminder").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/book/confirmed/**")
    assert page.get_by_role("heading", name="You're booked, Robin.").is_visible()
    shot(page, "j1-4-confirmed")
    assert_accessible(page)
    appointment = Appointment.objects.get()
    assert appointment.appointment_type == evaluation and appointment.patient.sms_consent
    assert any("is booked" in m.subject for m in mail.outbox)
    return appointment


def test_a_new_patient_books_and_sends_the_intake(page, clinic_setup, evaluation):
    appointment = books_an_evaluation(page, evaluation, clinic_setup["location"])
    given = answers()

    # The link is absolute, on the site's address (SITE_URL): open its path on this server.
    link = page.get_by_role("link", name="Start the questionnaire").get_attribute("href")
    page.goto(urlsplit(link).path)
    page.wait_for_url("**/pain/")
    intake_start = page.url.rsplit("/pain/", 1)[0] + "/"
    assert page.get_by_text("Step 1 of 8").is_visible()
    fill_fields(page, given["pain"])
    shot(page, "j1-5-intake-pain")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/red_flags/")
    # Yes and No are large buttons on every screen.
    box = page.locator("input[name=bladder][value=no] + label").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    fill_fields(page, given["red_flags"])
    assert page.locator("#red-flag-advice").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    # Half-way: type a little, leave, come back with the same link.
    page.wait_for_url("**/history/")
    page.get_by_label("Medicines you take now").fill("Ibuprofen as needed")
    with page.expect_response(lambda r: "/autosave/" in r.url):
        page.get_by_label("Medicines you take now").blur()
    page.goto("/")
    page.goto(intake_start)
    page.wait_for_url("**/history/")
    assert page.get_by_label("Medicines you take now").input_value() == "Ibuprofen as needed"
    assert page.get_by_text("Some answers need a look").count() == 0  # nothing touched yet
    shot(page, "j1-6-intake-resumed")

    for step in ["history", "running", "oswestry", "start_back", "goals"]:
        page.wait_for_url(f"**/{step}/")
        fill_fields(page, given[step])
        if step == "goals":
            assert_accessible(page)
        page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/review/")
    assert page.get_by_text("Sep 1, 2026").is_visible()  # dates in words, never ISO
    assert page.get_by_text("2026-09-01").count() == 0
    shot(page, "j1-7-intake-review")
    assert_accessible(page)
    page.get_by_role("button", name="Send to my therapist").click()
    page.wait_for_url("**/done/")
    shot(page, "j1-8-intake-sent")
    assert_accessible(page)
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_submitted and not intake.is_urgent
    assert intake.answers["history"]["medication"] == "Ibuprofen as needed"
