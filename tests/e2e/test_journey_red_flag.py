"""Journey 2: a patient answers Yes to a cauda equina question and sees the emergency advice on
that step; the therapist's workspace shows the urgent banner, and the review page the red flag.
At phone and desktop size, accessible on every page."""

import pytest

from intake import scoring
from intake.models import IntakeAssessment
from tests.e2e.browser import assert_accessible, shot
from tests.e2e.journeys import staff_signs_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cauda_equina_yes_reaches_the_therapist(page, new_page, intake_appointment):
    appointment, token = intake_appointment
    page.goto(f"/intake/{token}/red_flags/")
    advice = page.locator("#red-flag-advice")
    assert advice.count() == 0
    assert_accessible(page)

    page.locator("input[name=bladder][value=no]").check()
    page.get_by_role(
        "group", name=scoring.RED_FLAGS_BY_CODE["saddle_numbness"].question
    ).get_by_text("Yes", exact=True).click()  # the big Yes button, as a finger taps it
    advice.wait_for(state="visible")
    assert scoring.RED_FLAG_ADVICE[scoring.CAUDA_EQUINA] in advice.inner_text()
    assert advice.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    call_clinic = advice.locator("#call-clinic")
    assert call_clinic.get_attribute("href") == f"tel:{appointment.location.phone}"
    assert page.url.endswith("/red_flags/")  # on that step, before Next
    advice.scroll_into_view_if_needed()
    shot(page, "j2-1-emergency-advice")
    assert_accessible(page)
    intake = IntakeAssessment.objects.get(appointment=appointment)
    assert intake.is_urgent and intake.red_flags == ["saddle_numbness"]

    # The therapist, on a screen of the same size, sees the banner wherever they are.
    desk = new_page(page.viewport_size)
    staff_signs_in(desk, appointment.therapist.user)
    desk.goto("/workspace/schedule/")
    banner = desk.locator("#urgent-banner")
    assert banner.is_visible()
    assert "1 urgent intake" in banner.inner_text()
    shot(desk, "j2-2-urgent-banner")
    assert_accessible(desk)
    banner.get_by_role("link", name="Open intakes to review").click()
    desk.wait_for_url("**/intake/review/")
    assert_accessible(desk)
    desk.get_by_role("link", name=appointment.patient.full_name).click()
    desk.wait_for_url(f"**/intake/review/{intake.pk}/")
    flags = desk.locator("#red-flags")
    assert flags.is_visible()
    assert "Red flags (1)" in flags.inner_text()
    shot(desk, "j2-3-review")
    assert_accessible(desk)
