"""The README's pictures: the booking page, the intake and the plan on a phone, and the
therapist's review page, from the demo practice. Saved under tests/e2e/screenshots/readme/ (each
made small: at most 256 colours, under 150 KB); `make doc-images` copies them to docs/img/."""

import datetime

import pytest
from django.core.management import call_command
from PIL import Image

from tests.e2e.browser import DESKTOP, PHONE, SCREENSHOTS
from tests.e2e.journeys import staff_signs_in

pytestmark = pytest.mark.django_db(transaction=True)
OUT = SCREENSHOTS / "readme"
LIMIT = 150 * 1024


def picture(page, name: str):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))  # what the screen shows, not the whole page
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)
    assert path.stat().st_size < LIMIT, (name, path.stat().st_size)
    return path


def test_the_readme_pictures(new_page):
    from careplans.library import library_load

    library_load()  # as a deploy does after migrate; a transactional test may have flushed it
    call_command("seed_demo", verbosity=0)
    from clinic import links
    from clinic.demo import DEMO_PASSWORD, demo_logins
    from clinic.models import Appointment
    from intake.models import IntakeAssessment

    phone = new_page(PHONE)
    phone.goto("/book/")
    picture(phone, "booking")

    # A second evaluation for a demo patient, weeks after the first: its intake not begun.
    visit = Appointment.objects.filter(appointment_type__needs_intake=True).order_by("pk").first()
    visit.pk = None
    while Appointment.objects.filter(  # the same hour of a later week that is free
        therapist=visit.therapist, start__lt=visit.blocked_until, blocked_until__gt=visit.start
    ).exists():
        week = datetime.timedelta(days=7)
        visit.start, visit.end, visit.blocked_until = (
            visit.start + week,
            visit.end + week,
            visit.blocked_until + week,
        )
    visit.save()
    phone.goto(f"/intake/{links.appointment_token(visit, salt=links.INTAKE_SALT)}/")
    phone.wait_for_url("**/pain/")
    phone.get_by_role("group", name="How bad is your pain right now?").get_by_label("4").check()
    phone.get_by_role("group", name="At its best in the last week?").get_by_label("2").check()
    picture(phone, "intake")

    logins = dict(demo_logins())
    # The demo patient's plan, from a template, as their therapist would publish it.
    from careplans import services as plans
    from careplans.models import CarePlanTemplate
    from clinic.models import Patient

    patient = Patient.objects.get(email=logins["Patient"])
    seen = patient.appointments.order_by("start").first()
    intake = IntakeAssessment.objects.filter(patient=patient, submitted_at__isnull=False).first()
    plan = plans.careplan_create(
        patient=patient,
        author=seen.therapist,
        template=CarePlanTemplate.objects.filter(is_active=True).order_by("pk").first(),
        intake=intake,
    )
    plans.careplan_publish(plan=plan)
    plan_page = new_page(PHONE)
    plan_page.goto("/accounts/login/")
    plan_page.get_by_label("Email address").fill(logins["Patient"])
    plan_page.get_by_label("Password").fill(DEMO_PASSWORD)
    plan_page.get_by_role("button", name="Sign in").click()
    plan_page.wait_for_load_state()
    plan_page.goto("/plans/mine/")
    plan_page.wait_for_load_state()
    assert "/plans/mine/" in plan_page.url, plan_page.url
    picture(plan_page, "plan")

    intake = IntakeAssessment.objects.filter(submitted_at__isnull=False).order_by("-pk").first()
    desk = new_page(DESKTOP)
    therapist = intake.appointment.therapist.user
    staff_signs_in(desk, therapist, DEMO_PASSWORD)
    desk.goto(f"/intake/review/{intake.pk}/")
    picture(desk, "review")
