import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from clinic import links
from clinic.api.throttles import THROTTLED
from clinic.formatting import local_datetime
from clinic.models import Appointment, Patient
from clinic.services import appointment_book, booker
from clinic.services import booking as rules
from clinic.views.manage import MOVE_QUESTION
from tests.factories.clinic import PatientFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")

DETAILS = {
    "first_name": "Jamie",
    "last_name": "Lee",
    "email": "jamie.lee@example.com",
    "phone": "(612) 555-0123",
    "date_of_birth": "1991-06-30",
    "sms_consent": "on",
    "reason_for_visit": "Back pain after my long runs",
}


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


def choice(setup, therapist="any"):
    return urlencode(
        {"type": setup["type"].slug, "location": setup["location"].slug, "therapist": therapist}
    )


def details_url(setup, start, therapist="any"):
    return f"{reverse('book_details')}?{choice(setup, therapist)}&" + urlencode(
        {"start": start.isoformat()}
    )


def test_start_page_lists_online_types_locations_and_therapists(client, clinic_setup):
    response = client.get(reverse("book"))
    html = response.content.decode()
    assert response.status_code == 200
    assert clinic_setup["type"].name in html
    assert clinic_setup["location"].full_address in html
    assert "Any therapist" in html
    assert clinic_setup["therapist"].name in html


def test_times_page_shows_days_with_free_times(
    client, clinic_setup, next_monday, django_assert_max_num_queries
):
    url = f"{reverse('book_times')}?{choice(clinic_setup)}&day={next_monday.isoformat()}"
    with django_assert_max_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "8:00 AM" in html and "4:15 PM" in html
    assert html.count('class="btn btn-outline-dark time-btn"') == 34
    assert f"day={next_monday.isoformat()}" in html


def test_times_page_without_a_choice_explains_what_is_missing(client, clinic_setup):
    response = client.get(reverse("book_times") + "?location=" + clinic_setup["location"].slug)
    assert response.status_code == 400
    assert "Choose the kind of appointment." in response.content.decode()


def test_the_whole_flow_books_and_confirms(
    client, clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    start = at(next_monday, 9)
    response = client.post(details_url(clinic_setup, start), DETAILS)
    assert response.status_code == 302
    assert response.url == reverse("book_review")
    review = client.get(reverse("book_review")).content.decode()
    assert "Jamie Lee" in review and local_datetime(start, CHICAGO) in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("book_review"))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.start == start
    assert appointment.patient.email == "jamie.lee@example.com"
    assert str(appointment.patient.phone) == "+16125550123"
    assert appointment.patient.sms_consent
    assert appointment.reason_for_visit == DETAILS["reason_for_visit"]

    page = client.get(response.url).content.decode()
    assert "You're booked, Jamie." in page
    assert reverse("appointment_ics", args=[response.url.split("/")[-2]]) in page
    assert mail.outbox and "is booked" in mail.outbox[0].subject


def test_invalid_details_keep_what_was_typed(client, clinic_setup, next_monday):
    bad = {**DETAILS, "email": "not-an-email", "phone": "12"}
    response = client.post(details_url(clinic_setup, at(next_monday, 9)), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert booker.PHONE_INVALID in html
    assert 'value="Jamie"' in html and 'value="Lee"' in html
    assert "Back pain after my long runs" in html
    assert not Appointment.objects.exists()


def test_a_lost_race_offers_the_nearest_times_and_keeps_the_details(
    client, clinic_setup, next_monday
):
    start = at(next_monday, 9)
    client.post(details_url(clinic_setup, start), DETAILS)
    appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=start,
        patient=PatientFactory(),
    )
    response = client.post(reverse("book_review"))
    html = response.content.decode()
    assert response.status_code == 409
    assert rules.SLOT_TAKEN in html
    assert local_datetime(at(next_monday, 10), CHICAGO) in html  # a nearby free time
    assert "Jamie Lee" in html
    assert Patient.objects.filter(email="jamie.lee@example.com").count() == 0
    # Choosing an alternative goes back to the details form, pre-filled.
    form = client.get(details_url(clinic_setup, at(next_monday, 10))).content.decode()
    assert 'value="jamie.lee@example.com"' in form


def test_bookings_from_one_address_are_limited_like_the_apis(
    client, clinic_setup, next_monday, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "booking": "1/min",
        },
    }
    cache.clear()  # throttle counts live in the cache
    client.post(details_url(clinic_setup, at(next_monday, 9)), DETAILS)
    assert client.post(reverse("book_review")).status_code == 302
    client.post(details_url(clinic_setup, at(next_monday, 11)), {**DETAILS, "email": "b@x.org"})
    response = client.post(reverse("book_review"))
    html = response.content.decode()
    assert response.status_code == 429
    assert THROTTLED in html
    assert "b@x.org" in html  # the details are kept for a later try
    assert Appointment.objects.count() == 1
    cache.clear()


def test_review_without_a_draft_goes_back_to_the_start(client):
    response = client.get(reverse("book_review"))
    assert response.status_code == 302
    assert response.url == reverse("book")


@pytest.fixture
def booked(clinic_setup, next_monday):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
    )
    return appointment, links.appointment_token(appointment, salt=links.MANAGE_SALT)


def test_manage_page_offers_reschedule_and_cancel(client, booked):
    _appointment, token = booked
    html = client.get(reverse("appointment_manage", args=[token])).content.decode()
    assert reverse("appointment_reschedule", args=[token]) in html
    assert reverse("appointment_cancel", args=[token]) in html


def test_patient_reschedules_from_the_link(client, booked, next_monday):
    appointment, token = booked
    url = reverse("appointment_reschedule", args=[token])
    page = client.get(url + f"?day={next_monday.isoformat()}").content.decode()
    assert "2:00 PM" in page
    # A tap on a time only asks.
    asked = client.post(url, {"start": at(next_monday, 14).isoformat()})
    assert asked.status_code == 200
    html = asked.content.decode()
    question = MOVE_QUESTION.format(when=local_datetime(at(next_monday, 14), CHICAGO))
    assert question in html and 'name="confirm" value="yes"' in html
    appointment.refresh_from_db()
    assert appointment.start == at(next_monday, 9)
    # Back returns to the same day's times.
    assert f"?day={next_monday.isoformat()}" in html
    response = client.post(url, {"start": at(next_monday, 14).isoformat(), "confirm": "yes"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == at(next_monday, 14)


def test_patient_cancels_from_the_link(client, booked):
    appointment, token = booked
    response = client.post(reverse("appointment_cancel", args=[token]), {"reason": "Better"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "cancelled" in html and "Book another time" in html
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    # The cancellation closed the link.
    assert client.get(reverse("appointment_manage", args=[token])).status_code == 410


def test_inside_the_late_window_the_page_shows_the_phone(client, booked, settings):
    appointment, token = booked
    settings.BOOKING_LATE_CHANGE_HOURS = 24 * 60
    html = client.get(reverse("appointment_manage", args=[token])).content.decode()
    assert 'id="late-change"' in html
    assert "(612) 555-0142" in html
    assert reverse("appointment_cancel", args=[token]) not in html
    response = client.post(reverse("appointment_cancel", args=[token]))
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.is_active


@pytest.mark.parametrize("name", ["appointment_manage", "appointment_cancel", "appointment_ics"])
def test_bad_or_foreign_tokens_get_the_link_closed_page(client, booked, name):
    appointment, token = booked
    intake_token = links.appointment_token(appointment, salt=links.INTAKE_SALT)
    for bad in ["nonsense", token[:-2] + "xx", intake_token]:
        response = client.get(reverse(name, args=[bad]))
        assert response.status_code == 410
        assert links.LINK_CLOSED_TEMPLATE in [t.name for t in response.templates]


def test_calendar_download(client, booked):
    _appointment, token = booked
    response = client.get(reverse("appointment_ics", args=[token]))
    assert response["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in response.content


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("patient", 403), ("front_desk", 403), ("therapist", 200)],
)
def test_my_schedule_is_for_therapists(client, clinic_setup, booked, who, status):
    if who == "patient":
        client.force_login(UserFactory())
    elif who == "front_desk":
        client.force_login(StaffUserFactory())
    elif who == "therapist":
        client.force_login(clinic_setup["therapist"].user)
    response = client.get(reverse("my_schedule"))
    assert response.status_code == status


def test_my_schedule_lists_this_weeks_visits(client, clinic_setup, django_assert_max_num_queries):
    from django.utils import timezone

    from tests.factories.clinic import AppointmentFactory

    today = timezone.localdate()
    AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=at(today, 23, 30) - datetime.timedelta(hours=1),
    )
    client.force_login(clinic_setup["therapist"].user)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("my_schedule")).content.decode()
    assert "Today," in html
    assert "10:30 PM" in html


def test_my_schedule_moves_by_week_and_links_each_visit(
    client, clinic_setup, intake_appointment, next_monday, django_assert_max_num_queries
):
    from intake.models import IntakeAssessment
    from tests.factories.clinic import AppointmentFactory

    appointment, _token = intake_appointment
    intake = IntakeAssessment.objects.create(
        patient=appointment.patient, appointment=appointment, status="submitted"
    )
    for day in range(5):  # more visits that week cost no more queries
        AppointmentFactory(
            therapist=clinic_setup["therapist"],
            location=clinic_setup["location"],
            appointment_type=clinic_setup["type"],
            start=at(next_monday + datetime.timedelta(days=day), 15),
        )
    client.force_login(clinic_setup["therapist"].user)
    url = reverse("my_schedule")
    this_week = client.get(url).content.decode()
    assert appointment.patient.full_name not in this_week
    assert "Next week" in this_week and "This week</a>" not in this_week
    with django_assert_max_num_queries(6):
        response = client.get(url, {"week": next_monday.isoformat()})
    html = response.content.decode()
    assert appointment.patient.full_name in html
    assert reverse("intake:review", args=[intake.pk]) in html
    assert reverse("careplans:patient", args=[appointment.patient_id]) in html
    assert "This week</a>" in html  # a way back
    previous = (next_monday - datetime.timedelta(days=7)).isoformat()
    assert f"?week={previous}" in html
    # A week asked for by any of its days starts on its Monday; nonsense is this week.
    wednesday = next_monday + datetime.timedelta(days=2)
    assert client.get(url, {"week": wednesday.isoformat()}).context["week"].monday == next_monday
    for junk in ("someday", "9999-12-31"):
        assert client.get(url, {"week": junk}).context["week"].is_this_week


def test_the_text_consent_box_is_never_ticked_for_the_patient(client, clinic_setup, next_monday):
    html = client.get(details_url(clinic_setup, at(next_monday, 9))).content.decode()
    box = re.search(r'<input[^>]*name="sms_consent"[^>]*>', html).group(0)
    assert "checked" not in box


def test_a_short_phone_is_refused_and_shown_as_typed(client, clinic_setup, next_monday):
    url = details_url(clinic_setup, at(next_monday, 9))
    response = client.post(url, {**DETAILS, "phone": "555-12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(booker.PHONE_INVALID) in html
    assert 'value="555-12"' in html
    assert not Appointment.objects.exists()


def test_the_step_bar_marks_steps_before_this_one_done_and_this_one_current(client, clinic_setup):
    html = client.get(reverse("book")).content.decode()
    bar = re.search(r'<ol class="booking-steps.*?</ol>', html, re.S).group(0)
    assert "done" not in bar
    assert re.search(r'class="flex-fill current" aria-current="step">1 · What', bar)
