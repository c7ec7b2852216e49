"""A patient books, reschedules and cancels on a phone-sized screen."""

import re

import pytest
from django.core import mail

from clinic.models import Appointment
from tests.e2e.browser import assert_accessible, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_book_then_reschedule_then_cancel_on_a_phone(phone, clinic_setup):
    page = phone
    page.goto("/")
    page.get_by_role("link", name="Book a consultation").first.click()

    page.get_by_label(re.compile(clinic_setup["type"].name)).check()
    page.get_by_label(re.compile(clinic_setup["location"].name)).check()
    shot(page, "book-1-choose")
    assert_accessible(page)
    page.get_by_role("button", name="See free times").click()

    page.wait_for_url("**/book/times/**")
    shot(page, "book-2-times")
    assert_accessible(page)
    page.locator(".day-chip").nth(1).click()
    chosen_time = page.locator(".time-btn").first.inner_text()
    page.locator(".time-btn").first.click()

    page.wait_for_url("**/book/details/**")
    page.get_by_role("button", name="Review booking").click()  # empty: errors, nothing lost
    assert page.get_by_text("Please correct the highlighted fields").is_visible()
    assert_accessible(page)
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("Email").fill("jamie.lee@example.com")
    page.get_by_label("Mobile phone").fill("612-555-0123")
    page.get_by_label("Date of birth").fill("1991-06-30")
    page.get_by_label("What brings you in?").fill("Back pain after long runs")
    shot(page, "book-3-details")
    assert_accessible(page)
    page.get_by_role("button", name="Review booking").click()

    page.wait_for_url("**/book/review/")
    assert page.get_by_text(chosen_time).first.is_visible()
    shot(page, "book-4-review")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()

    page.wait_for_url("**/book/confirmed/**")
    assert page.get_by_role("heading", name="You're booked, Jamie.").is_visible()
    shot(page, "book-5-confirmed")
    assert_accessible(page)
    appointment = Appointment.objects.get()
    assert appointment.patient.email == "jamie.lee@example.com"
    assert "is booked" in mail.outbox[-1].subject

    page.get_by_role("link", name="Change or cancel").click()
    page.get_by_role("link", name="Choose another time").click()
    page.locator(".day-chip").nth(2).click()
    page.locator(".time-btn").nth(3).click()
    assert page.get_by_role("heading", name=re.compile(r"^Move to .+\?$")).is_visible()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/appointments/**")
    assert page.get_by_text("Your appointment has been moved").is_visible()
    moved = Appointment.objects.get()
    assert moved.start != appointment.start
    shot(page, "book-6-moved")

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_label("Reason (optional)").fill("Feeling better")
    page.get_by_role("button", name="Yes, cancel it").click()
    assert page.get_by_text("Your appointment is cancelled").is_visible()
    shot(page, "book-7-cancelled")
    assert Appointment.objects.get().status == Appointment.Status.CANCELLED
