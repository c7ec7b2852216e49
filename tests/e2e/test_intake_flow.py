"""A patient fills in the intake on a phone, leaves half-way, comes back, and sends it."""

import pytest

from intake.models import IntakeAssessment
from tests.e2e.browser import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_intake_on_a_phone_with_resume_and_red_flag_advice(phone, intake_appointment):
    appointment, token = intake_appointment
    page = phone
    page.goto(f"/intake/{token}/")
    page.wait_for_url("**/pain/")
    assert page.get_by_text("Step 1 of 8").is_visible()
    page.get_by_role("group", name="How bad is your pain right now?").get_by_label("4").check()
    page.get_by_role("group", name="At its best in the last week?").get_by_label("2").check()
    page.get_by_role("group", name="At its worst in the last week?").get_by_label("7").check()
    page.get_by_label("Lower back, centre").check()
    page.get_by_label("Neither leg").check()
    page.get_by_label("After runs").check()
    page.get_by_label("When did this episode start?").fill("2026-09-01")
    page.get_by_label("Gradually").check()
    page.get_by_label("Anything that set it off?").fill("Hill repeats")
    shot(page, "intake-1-pain")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/red_flags/")
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.locator("input[name=night_pain][value=yes]").check()
    # The advice appears under the question as soon as it is answered, before going on.
    page.locator("#red-flag-advice").wait_for(state="visible")
    page.get_by_role("button", name="Next").click()

    # History: type something and leave without pressing anything (autosave keeps it).
    page.wait_for_url("**/history/")
    page.get_by_label("Medicines you take now").fill("Ibuprofen")
    page.get_by_label("Medicines you take now").blur()
    page.wait_for_timeout(2500)
    page.goto(f"/intake/{token}/")  # a new visit resumes at the unfinished step
    page.wait_for_url("**/history/")
    assert page.get_by_label("Medicines you take now").input_value() == "Ibuprofen"

    # Finish the remaining steps with the same answers the tests use everywhere.
    from tests.helpers import answers

    all_answers = answers(red_flags=["night_pain"])
    for step in ["history", "running", "oswestry", "start_back", "goals"]:
        page.goto(f"/intake/{token}/{step}/")
        for name, value in all_answers[step].items():
            if (step, name) == ("history", "medication"):
                continue  # typed above and kept by autosave
            values = value if isinstance(value, list) else [value]
            field = page.locator(f"[name={name}]").first
            kind = field.get_attribute("type")
            if kind in ("radio", "checkbox"):
                for v in values:
                    page.locator(f"[name={name}][value='{v}']").check()
            elif field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(values[0])
            else:
                field.fill(values[0])
        if step == "oswestry":
            shot(page, "intake-5-oswestry")
        page.get_by_role("button", name="Next").click()
        page.wait_for_load_state()

    page.goto(f"/intake/{token}/review/")
    shot(page, "intake-8-review")
    page.get_by_role("button", name="Send to my therapist").click()
    page.wait_for_url("**/done/")
    assert page.get_by_role("heading", name="Please read this now").is_visible()
    shot(page, "intake-9-done")
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_submitted and intake.is_urgent
    assert intake.answers["history"]["medication"] == "Ibuprofen"
    assert intake.answers["pain"]["onset_story"] == "Hill repeats"
