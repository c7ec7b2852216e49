"""Journey 4: a therapist signs in and lands on their schedule, opens a visit's intake, records
the assessment, builds a plan from a template, reorders it, changes a dose inline and
publishes it."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from careplans.library import library_load
from careplans.models import CarePlan, CarePlanTemplate
from clinic.formatting import long_date
from intake.views.review import ASSESSMENT_SAVED
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.docs_images import docs_image
from tests.e2e.journeys import staff_signs_in
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE_SLUG = "core-glute-foundation"
NEW_SETS = 4


def test_therapist_from_schedule_to_published_plan(page, intake_appointment):
    if not CarePlanTemplate.objects.filter(slug=TEMPLATE_SLUG).exists():
        library_load()  # a transactional test before this one may have flushed it
    appointment, _token = intake_appointment
    patient, therapist = appointment.patient, appointment.therapist
    intake = IntakeFactory(patient=patient, appointment=appointment)

    # Signing in lands on the schedule.
    staff_signs_in(page, therapist.user)
    page.wait_for_url("**/workspace/schedule/")
    assert page.get_by_role("heading", name="My schedule").is_visible()
    assert_accessible(page)
    shot(page, "therapist-1-schedule")

    # The visit is a week or two ahead: "Next week" until its week shows.
    visit_week = appointment.local_start.date() - datetime.timedelta(
        days=appointment.local_start.weekday()
    )
    row = page.locator(".schedule-item").filter(has_text=patient.full_name)
    for _ in range(3):
        if f"week={visit_week.isoformat()}" in page.url:
            break
        page.get_by_role("link", name="Next week").click()
        page.wait_for_load_state()
    assert page.get_by_text(f"week of {long_date(visit_week)}").is_visible()
    expect(row).to_have_count(1)
    assert_accessible(page)
    shot(page, "therapist-2-next-week")
    docs_image(page, "therapist-schedule")
    row.get_by_role("link", name=re.compile("Review intake")).click()

    page.wait_for_url(f"**/intake/review/{intake.pk}/")
    assert page.get_by_role("heading", name=patient.full_name, level=1).is_visible()
    assert_accessible(page)
    shot(page, "therapist-3-intake")
    docs_image(page, "therapist-intake-review")
    page.get_by_role("link", name="Start assessment").first.click()

    page.wait_for_url(f"**/intake/review/{intake.pk}/assessment/")
    page.get_by_label("Cadence (steps/min, easy pace)").fill("164")
    assert_accessible(page)
    shot(page, "therapist-4-assessment")
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(f"**/intake/review/{intake.pk}/")
    assert page.get_by_text(ASSESSMENT_SAVED).is_visible()
    assert page.get_by_text("164 steps/min").first.is_visible()

    # Back to the schedule, and the patient's plans from the same row.
    page.goto(f"/workspace/schedule/?week={appointment.local_start.date().isoformat()}")
    row = page.locator(".schedule-item").filter(has_text=patient.full_name)
    row.get_by_role("link", name=re.compile("Plan")).click()
    page.wait_for_url(f"**/plans/patients/{patient.pk}/")
    page.get_by_role("link", name="New plan").click()
    page.wait_for_url("**/new/")
    template = CarePlanTemplate.objects.get(slug=TEMPLATE_SLUG)
    page.get_by_label(re.compile(re.escape(template.name))).check()
    assert_accessible(page)
    page.get_by_role("button", name="Create draft").click()

    page.wait_for_url("**/edit/")
    plan = CarePlan.objects.get(patient=patient)
    first, second = plan.items.select_related("exercise").order_by("position")[:2]
    assert_accessible(page)
    shot(page, "therapist-5-builder")
    docs_image(page, "therapist-plan-builder")

    # Reorder: the first exercise moves down one place, in place (htmx).
    page.get_by_role("button", name=f"Move {first.exercise.name} down").click()
    cards = page.locator("article.plan-item")
    expect(cards.nth(0)).to_have_id(f"item-{second.pk}")
    expect(cards.nth(1)).to_have_id(f"item-{first.pk}")
    order = list(plan.items.order_by("position").values_list("pk", flat=True))
    assert order[:2] == [second.pk, first.pk]

    # A dose, edited inline: sets of the exercise now second.
    card = page.locator(f"#item-{first.pk}")
    card.get_by_label("Sets").fill(str(NEW_SETS))
    with page.expect_response(
        lambda r: f"/edit/items/{first.pk}/" in r.url and r.request.method == "POST"
    ) as saving:
        card.get_by_role("button", name="Save dose").click()
    assert saving.value.ok
    card.get_by_role("status").filter(has_text="Saved").wait_for()
    expect(card).not_to_have_class(re.compile(r"\bhtmx-(swapping|settling)\b"))
    first.refresh_from_db()
    assert first.sets == NEW_SETS
    assert card.get_by_label("Sets").input_value() == str(NEW_SETS)
    shot(page, "therapist-6-dose-saved")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Publish to {patient.first_name}").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert page.get_by_text(f"Plan published. {patient.first_name} has been emailed").is_visible()
    assert_accessible(page)
    shot(page, "therapist-7-published")
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.ACTIVE
    assert any(m.to == [patient.email] for m in mail.outbox)
