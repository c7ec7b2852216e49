"""A therapist builds and publishes a care plan; the patient signs in by link and logs a session."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from careplans.library import library_load
from careplans.models import CarePlan, CarePlanTemplate, SessionLog
from tests.e2e.browser import DESKTOP, shot
from tests.factories.clinic import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE_SLUG = "core-glute-foundation"
NEW_REPS = 11
PAIN = 3


def path_of_link_in(message) -> str:
    """The path and query of the first link in an email (its host is SITE_URL, not the test
    server's)."""
    url = urlsplit(re.search(r"https?://\S+", message.body).group(0))
    return f"{url.path}?{url.query}" if url.query else url.path


@pytest.fixture
def desktop(new_page):
    """A desktop-sized page on the live server, for the therapist."""
    return new_page(DESKTOP)


def therapist_builds_and_publishes(page, *, therapist, patient) -> CarePlan:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(therapist.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Care plans").click()
    page.wait_for_url("**/plans/")
    page.get_by_role("link", name=re.compile(re.escape(patient.full_name))).click()
    page.wait_for_url(f"**/plans/patients/{patient.pk}/")
    assert page.get_by_role("heading", name=patient.full_name).is_visible()
    assert page.get_by_text("No plans yet.").is_visible()
    shot(page, "plan-1-patient")

    template = CarePlanTemplate.objects.get(slug=TEMPLATE_SLUG)
    page.get_by_role("link", name="New plan").click()
    page.wait_for_url("**/new/")
    page.get_by_label(re.compile(re.escape(template.name))).check()
    shot(page, "plan-2-start")
    page.get_by_role("button", name="Create draft").click()

    page.wait_for_url("**/edit/")
    plan = CarePlan.objects.get(patient=patient)
    assert plan.is_draft and plan.template == template
    items = list(plan.items.select_related("exercise").order_by("position"))
    assert [i.exercise_id for i in items] == list(
        template.items.order_by("position").values_list("exercise_id", flat=True)
    )
    assert page.get_by_role("heading", name=template.name).is_visible()
    shot(page, "plan-3-builder")

    # Change the first exercise's reps inline. htmx swaps the card in place: a marker set on
    # the window before the edit survives only if the page was not reloaded.
    first = items[0]
    assert first.reps is not None and first.reps != NEW_REPS
    card = page.locator(f"#item-{first.pk}")
    assert card.get_by_text(first.dose_and_frequency).is_visible()
    page.evaluate("window.__noReload = true")
    card.get_by_label("Reps").fill(str(NEW_REPS))
    assert "dirty" in (card.get_attribute("class") or "")
    with page.expect_response(
        lambda r: f"/edit/items/{first.pk}/" in r.url and r.request.method == "POST"
    ) as saving:
        card.get_by_role("button", name="Save dose").click()
    assert saving.value.ok
    card = page.locator(f"#item-{first.pk}")
    card.get_by_role("status").filter(has_text="Saved").wait_for()
    first.refresh_from_db()
    assert first.reps == NEW_REPS
    assert card.get_by_text(first.dose_and_frequency).is_visible()
    assert card.get_by_label("Reps").input_value() == str(NEW_REPS)
    # Read once htmx has finished swapping the card in: until then the old one may be there.
    expect(card).not_to_have_class(re.compile(r"\bhtmx-(swapping|settling)\b"))
    assert "dirty" not in (card.get_attribute("class") or "")
    assert page.evaluate("window.__noReload") is True
    shot(page, "plan-4-dose-saved")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=f"Publish to {patient.first_name}").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert dialogs == ["Publish this plan? The patient will be emailed a link to it."]
    assert page.get_by_text(f"Plan published. {patient.first_name} has been emailed").is_visible()
    shot(page, "plan-5-published")
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.ACTIVE
    return plan


def test_therapist_publishes_a_plan_and_the_patient_logs_a_session(
    desktop, phone, intake_appointment
):
    # The test database starts with the library (loaded once, as `load_library` does after a
    # deploy's migrate); a transactional test run before this one may have flushed it.
    if not CarePlanTemplate.objects.filter(slug=TEMPLATE_SLUG).exists():
        library_load()
    appointment, _ = intake_appointment
    patient = appointment.patient
    assert patient.user is None  # booked, never signed in: the account comes with the link

    plan = therapist_builds_and_publishes(desktop, therapist=appointment.therapist, patient=patient)
    (published,) = [m for m in mail.outbox if m.to == [patient.email]]
    assert plan.title in published.body

    # The patient taps the link in the email, is asked to sign in, and asks for a link.
    page = phone
    page.goto(path_of_link_in(published))
    page.wait_for_url("**/account/login/**")
    page.get_by_label("Your email address").fill(patient.email.upper())
    shot(page, "plan-6-login")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/account/login/sent/")
    assert page.get_by_role("heading", name="Check your email").is_visible()

    link = mail.outbox[-1]
    assert link.to == [patient.email] and "sign-in link" in link.subject
    page.goto(path_of_link_in(link))
    assert page.get_by_role("heading", name=f"Welcome back, {patient.first_name}").is_visible()
    shot(page, "plan-7-sign-in")
    page.get_by_role("button", name="Sign in").click()

    # Back where the plan email pointed, at phone size: every exercise with its dose.
    page.wait_for_url(f"**/plans/mine/{plan.pk}/")
    assert page.get_by_role("heading", name=plan.title, level=1).is_visible()
    items = list(plan.items.select_related("exercise").order_by("position"))
    assert page.locator("article.exercise-card").count() == len(items)
    for item in items:
        card = page.locator(f"#exercise-{item.pk}")
        assert card.get_by_role("heading", name=item.exercise.name).is_visible()
        assert card.locator(".dose").inner_text() == item.dose_and_frequency
    assert f"× {NEW_REPS}" in page.locator(f"#exercise-{items[0].pk} .dose").inner_text()
    shot(page, "plan-8-my-plan")

    page.get_by_role("link", name="Log a session").click()
    page.wait_for_url(f"**/plans/mine/{plan.pk}/log/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == len(items)
    assert all(boxes.nth(n).is_checked() for n in range(len(items)))
    shot(page, "plan-9-log")
    page.get_by_role("button", name=f"Pain {PAIN} out of 10").click()  # the one tap that saves

    page.wait_for_url(f"**/plans/mine/{plan.pk}/")
    assert page.get_by_text("Session saved. Nice work!").is_visible()
    recent = page.locator("section").filter(has=page.get_by_role("heading", name="Recent sessions"))
    assert recent.get_by_text(f"pain {PAIN}/10").is_visible()
    assert recent.get_by_text(f"{len(items)} exercises").is_visible()
    shot(page, "plan-10-logged")

    log = SessionLog.objects.get()
    assert (log.plan, log.patient, log.pain_after) == (plan, patient, PAIN)
    patient.refresh_from_db()  # asking for the link made the account
    assert log.created_by == patient.user is not None
    assert set(log.exercises_done.all()) == set(items)
