"""A patient books, reschedules and cancels on a phone-sized screen."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from clinic.models import Appointment, Patient
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
    assert page.get_by_label("Me", exact=True).is_checked()  # their own visit, by default
    assert not page.get_by_label("Their first name").is_visible()
    page.get_by_label(re.compile(r"^\s*First name")).fill("Jamie")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Lee")
    page.get_by_label("Email").fill("jamie.lee@example.com")
    page.get_by_label("Mobile phone").fill("612-555-0123")
    page.get_by_label(re.compile(r"^\s*Date of birth")).fill("1991-06-30")
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


def _link_path(message) -> str:
    """The path of the first link in an email (its host is SITE_URL, not the test server's)."""
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def _book_for_a_child(page, clinic_setup, *, first_name, born):
    page.goto("/book/")
    page.get_by_label(re.compile(clinic_setup["type"].name)).check()
    page.get_by_label(re.compile(clinic_setup["location"].name)).check()
    page.get_by_role("button", name="See free times").click()
    page.wait_for_url("**/book/times/**")
    page.locator(".day-chip").nth(1).click()
    page.locator(".time-btn").first.click()

    page.wait_for_url("**/book/details/**")
    page.get_by_label("Someone I care for").check()
    assert page.get_by_label("Their first name").is_visible()  # shown once chosen
    page.get_by_label("Their first name").fill(first_name)
    page.get_by_label("Their last name").fill("Park")
    page.get_by_label("Their date of birth").fill(born.isoformat())
    page.get_by_label(re.compile(r"^\s*First name")).fill("Robin")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Park")
    page.get_by_label("Email").fill("robin.park@example.com")
    page.get_by_label("Mobile phone").fill("612-555-0166")
    shot(page, f"book-for-{first_name.lower()}-details")
    page.get_by_role("button", name="Review booking").click()

    page.wait_for_url("**/book/review/")
    assert page.locator("#booking-for").get_by_text(f"{first_name} Park").is_visible()
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/book/confirmed/**")
    assert page.get_by_role("heading", name="You're booked, Robin.").is_visible()
    assert page.get_by_text(f"This appointment is for {first_name}.").is_visible()


def test_a_parent_books_for_two_children_and_sees_both_in_my_care(phone, clinic_setup):
    clinic_setup["type"].needs_intake = True
    clinic_setup["type"].save(update_fields=["needs_intake"])
    today = timezone.localdate()
    page = phone
    _book_for_a_child(page, clinic_setup, first_name="Noa", born=today - datetime.timedelta(3300))
    shot(page, "book-for-noa-confirmed")
    _book_for_a_child(page, clinic_setup, first_name="Eli", born=today - datetime.timedelta(4400))

    robin = Patient.objects.get(email="robin.park@example.com")
    children = Patient.objects.filter(guardian=robin)
    assert sorted(children.values_list("first_name", flat=True)) == ["Eli", "Noa"]
    assert {to for m in mail.outbox for to in m.to} == {"robin.park@example.com"}

    # Robin signs in with an emailed link; "My care" lists each child with their visit.
    page.goto("/account/login/")
    page.get_by_label("Your email address").fill("robin.park@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/account/login/sent/")
    page.goto(_link_path(mail.outbox[-1]))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    for child in children:
        card = page.locator(f'[data-dependent="{child.pk}"]')
        assert card.get_by_role("heading", name=f"{child.first_name} Park").is_visible()
        assert card.get_by_role("link", name=f"Start {child.first_name}'s intake").is_visible()
    shot(page, "account-guardian")

    # Each child's intake is their own, worded about them.
    intake_link = page.get_by_role("link", name="Start Noa's intake").get_attribute("href")
    page.goto(urlsplit(intake_link).path)  # links carry SITE_URL's host, not the test server's
    assert page.get_by_role("heading", name="Your child's pain").is_visible()
    assert page.get_by_text("You are answering for Noa.").is_visible()
