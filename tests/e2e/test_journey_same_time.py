"""Journey 7: two people on two devices try to book the same time. The first to confirm gets it;
the second is told it was just taken, sees the nearest free times, keeps what they typed, and
books one of them. At phone and desktop size, accessible on every page."""

import re

import pytest

from clinic.models import Appointment
from clinic.services.booking import SLOT_TAKEN
from tests.e2e.browser import assert_accessible, shot

pytestmark = pytest.mark.django_db(transaction=True)


def reaches_review(page, setup, who: dict, *, day_index=1, time_index=2) -> str:
    page.goto("/book/")
    page.get_by_label(re.compile(setup["type"].name)).check()
    page.get_by_label(re.compile(setup["location"].name)).check()
    page.get_by_role("button", name="See free times").click()
    page.wait_for_url("**/book/times/**")
    page.locator(".day-chip").nth(day_index).click()
    page.wait_for_url("**day=**")
    slot = page.locator(".time-btn").nth(time_index)
    chosen = slot.inner_text()
    slot.click()
    page.wait_for_url("**/book/details/**")
    for label, value in who.items():
        page.get_by_label(re.compile(rf"^\s*{label}")).fill(value)  # not "Their first name"
    page.get_by_role("button", name="Review booking").click()
    page.wait_for_url("**/book/review/")
    return chosen


def test_two_people_book_the_same_time(page, new_page, clinic_setup):
    first, second = page, new_page(page.viewport_size)
    chosen = reaches_review(
        first,
        clinic_setup,
        {
            "First name": "Ana",
            "Last name": "Silva",
            "Email": "ana.silva@example.com",
            "Mobile phone": "612-555-0101",
            "Date of birth": "1990-02-03",
        },
    )
    same = reaches_review(
        second,
        clinic_setup,
        {
            "First name": "Ben",
            "Last name": "Ng",
            "Email": "ben.ng@example.com",
            "Mobile phone": "612-555-0102",
            "Date of birth": "1979-11-20",
        },
    )
    assert same == chosen

    first.get_by_role("button", name="Confirm booking").click()
    first.wait_for_url("**/book/confirmed/**")
    assert first.get_by_role("heading", name="You're booked, Ana.").is_visible()

    second.get_by_role("button", name="Confirm booking").click()
    second.wait_for_load_state()
    error = second.locator("#booking-error")
    assert error.get_by_text(SLOT_TAKEN).is_visible()
    nearest = error.locator(".time-btn")
    assert nearest.count() >= 1
    shot(second, "j7-1-just-taken")
    assert_accessible(second)
    taken = Appointment.objects.get()
    assert taken.patient.first_name == "Ana"

    nearest.first.click()
    second.wait_for_url("**/book/details/**")
    assert (
        second.get_by_label(re.compile(r"^\s*First name")).input_value() == "Ben"
    )  # nothing typed is lost
    second.get_by_role("button", name="Review booking").click()
    second.wait_for_url("**/book/review/")
    second.get_by_role("button", name="Confirm booking").click()
    second.wait_for_url("**/book/confirmed/**")
    assert second.get_by_role("heading", name="You're booked, Ben.").is_visible()
    shot(second, "j7-2-booked-another-time")
    starts = sorted(Appointment.objects.values_list("start", flat=True))
    assert len(starts) == 2 and starts[0] != starts[1]
