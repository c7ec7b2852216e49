"""Finding 7: malformed or out-of-range dates and times are a clear 400, never a 500, and
nothing the patient typed is lost."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from clinic import links
from clinic.admin.free_times import DAY_OUT_OF_RANGE
from clinic.services import appointment_book
from clinic.views.booking import DRAFT_KEY
from clinic.views.day_picker import DATE_UNREADABLE, TIME_UNREADABLE
from tests.factories.clinic import PatientFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
BAD_STARTS = [
    "2026-02-30T10:00:00+00:00",
    "9999-12-31T23:59:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "2026-13-01T10:00:00+00:00",
    "2026-01-01T25:00:00+00:00",
]
DETAILS = {
    "first_name": "Jamie",
    "last_name": "Lee",
    "email": "jamie.lee@example.com",
    "phone": "(612) 555-0123",
    "date_of_birth": "1991-06-30",
    "sms_consent": "on",
}


def choice(setup):
    return {"type": setup["type"].slug, "location": setup["location"].slug, "therapist": "any"}


@pytest.mark.parametrize("day", ["9999-12-31", "2026-02-30", "0001-01-01x", "99999-01-01"])
def test_times_page_with_an_impossible_from_date_is_400(client, clinic_setup, day):
    response = client.get(reverse("book_times"), {**choice(clinic_setup), "from": day})
    assert response.status_code == 400
    assert escape(DATE_UNREADABLE) in response.content.decode()
    # The choice is kept: the page still offers the times of what was chosen.
    assert response.context["choice"]["type"] == clinic_setup["type"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_times_page_with_an_impossible_day_does_not_fail(client, clinic_setup, day):
    response = client.get(reverse("book_times"), {**choice(clinic_setup), "day": day})
    assert response.status_code == 200


@pytest.mark.parametrize("start", BAD_STARTS)
def test_details_page_with_an_impossible_start_is_400(client, clinic_setup, start):
    response = client.get(reverse("book_details"), {**choice(clinic_setup), "start": start})
    assert response.status_code == 400
    assert escape(TIME_UNREADABLE) in response.content.decode()


@pytest.mark.parametrize("start", BAD_STARTS)
def test_details_post_with_an_impossible_start_keeps_what_was_typed(client, clinic_setup, start):
    url = f"{reverse('book_details')}?{urlencode({**choice(clinic_setup), 'start': start})}"
    response = client.post(url, DETAILS)
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(TIME_UNREADABLE) in html
    assert "jamie.lee@example.com" in html
    assert client.session[DRAFT_KEY]["patient"]["email"] == "jamie.lee@example.com"
    # The review step has no time yet: back to the start, not a 500.
    assert client.get(reverse("book_review")).status_code == 302


@pytest.mark.parametrize("start", BAD_STARTS)
def test_reschedule_post_with_an_impossible_start_is_400(client, clinic_setup, next_monday, start):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=datetime.datetime.combine(next_monday, datetime.time(9), CHICAGO),
        patient=PatientFactory(),
    )
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    response = client.post(reverse("appointment_reschedule", args=[token]), {"start": start})
    assert response.status_code == 400
    assert escape(TIME_UNREADABLE) in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_admin_free_times_with_an_impossible_day_is_400(client, clinic_setup, day):
    client.force_login(StaffUserFactory())
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "day": day,
    }
    response = client.get(reverse("admin:clinic_appointment_free_times"), query)
    assert response.status_code == 400
    assert escape(DAY_OUT_OF_RANGE) in response.content.decode()
