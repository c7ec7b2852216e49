"""On a phone, a "yes" to a cauda equina question shows the emergency advice on the step at once,
under the question and above the next one, with tap-to-call links, before Next is pressed."""

import pytest

from intake import scoring
from intake.models import IntakeAssessment
from tests.e2e.browser import assert_accessible, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_emergency_advice_appears_as_soon_as_yes_is_tapped(phone, intake_appointment):
    appointment, token = intake_appointment
    page = phone
    page.goto(f"/intake/{token}/red_flags/")
    advice = page.locator("#red-flag-advice")
    assert advice.count() == 0

    page.locator("input[name=bladder][value=no]").check()
    page.locator("input[name=saddle_numbness][value=yes]").check()
    advice.wait_for(state="visible", timeout=5_000)

    assert page.url.endswith("/red_flags/")  # nothing was submitted
    assert scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA] in advice.inner_text()
    call_911 = advice.get_by_role("link", name="Call 911")
    assert call_911.get_attribute("href") == "tel:911"
    call_clinic = advice.locator("#call-clinic")
    assert call_clinic.get_attribute("href") == f"tel:{appointment.location.phone}"
    assert call_911.is_visible() and call_clinic.is_visible()

    # Under the question answered yes, above the next question.
    answered = page.locator("input[name=saddle_numbness][value=yes]").bounding_box()
    block = advice.bounding_box()
    following = page.locator("input[name=both_legs][value=no]").bounding_box()
    assert answered["y"] < block["y"] < following["y"]
    shot(page, "intake-red-flag-advice")
    assert_accessible(page)

    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_urgent and intake.red_flags == ["saddle_numbness"]

    # Changing the answer to No takes the advice away; the intake stays urgent.
    page.locator("input[name=saddle_numbness][value=no]").check()
    advice.wait_for(state="detached", timeout=5_000)
    intake.refresh_from_db()
    assert intake.is_urgent
