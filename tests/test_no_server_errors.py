"""Property-based: no input a client can send makes a page or the API answer 500.

Bounded examples per test, so the file runs in well under a minute. The Django test client
re-raises a view's exception, so a server error fails the test with its traceback.
"""

import datetime
import json
import zoneinfo

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic import links
from clinic.services import appointment_book
from intake import schema
from intake.forms.questionnaire import FORMS
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import AppointmentFactory, PatientFactory, PatientUserFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = [
    "",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "9999-12-31T23:59:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "2026-02-30T10:00:00+00:00",
    "NaN",
    "inf",
    "-1",
    "1e309",
    str(2**64),
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "any",
    "on",
]
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"
)
junk = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(datetime.date.isoformat),
    st.tuples(st.datetimes(), offsets).map(lambda pair: pair[0].isoformat() + pair[1]),
)
json_junk = st.one_of(
    junk,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(junk, max_size=3),
    st.dictionaries(junk, junk, max_size=3),
)


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code


def choice_with(setup, **overrides):
    values = {"type": setup["type"].slug, "location": setup["location"].slug, "therapist": "any"}
    return {**values, **overrides}


@BOUNDED
@given(
    params=st.dictionaries(st.sampled_from(["type", "location", "therapist", "from", "day"]), junk)
)
def test_booking_times_page(client, clinic_setup, params):
    assert_no_server_error(client.get(reverse("book_times"), params))
    assert_no_server_error(client.get(reverse("book_times"), choice_with(clinic_setup, **params)))


@BOUNDED
@given(
    start=junk,
    details=st.dictionaries(
        st.sampled_from(
            list(
                [
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "date_of_birth",
                    "sms_consent",
                    "reason_for_visit",
                ]
            )
        ),
        junk,
    ),
)
def test_booking_details_page(client, clinic_setup, start, details):
    url = f"{reverse('book_details')}?{urlencode(choice_with(clinic_setup, start=start))}"
    assert_no_server_error(client.get(url))
    assert_no_server_error(client.post(url, details))
    assert_no_server_error(client.get(reverse("book_review")))


@pytest.fixture
def manage_token(clinic_setup, next_monday):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=datetime.datetime.combine(next_monday, datetime.time(9), CHICAGO),
        patient=PatientFactory(),
    )
    return links.appointment_token(appointment, salt=links.MANAGE_SALT)


@BOUNDED
@given(start=junk, day=junk, reason=junk)
def test_reschedule_and_cancel_pages(client, manage_token, start, day, reason):
    url = reverse("appointment_reschedule", args=[manage_token])
    assert_no_server_error(client.get(url, {"day": day}))
    assert_no_server_error(client.post(url, {"start": start}))
    assert_no_server_error(client.post(url, {"start": start, "confirm": "yes"}))
    assert_no_server_error(client.get(reverse("appointment_manage", args=[junk_token(start)])))


def junk_token(text):
    return (text or "x").replace("/", "_")[:200] or "x"


@BOUNDED
@given(
    params=st.dictionaries(
        st.sampled_from(["location", "appointment_type", "therapist", "start", "end"]), junk
    )
)
def test_api_availability(client, clinic_setup, params):
    base = {
        "location": clinic_setup["location"].pk,
        "appointment_type": clinic_setup["type"].pk,
        "start": "2030-01-07",
        "end": "2030-01-08",
    }
    assert_no_server_error(client.get(reverse("api:availability"), {**base, **params}))


@BOUNDED
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["appointment_type", "location", "therapist", "start", "patient", "reason_for_visit"]
        ),
        json_junk,
    ),
    patient=st.dictionaries(
        st.sampled_from(
            ["first_name", "last_name", "email", "phone", "date_of_birth", "sms_consent"]
        ),
        json_junk,
    ),
)
def test_api_booking(client, clinic_setup, body, patient):
    base = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "start": "2030-01-07T09:00:00-06:00",
        "patient": patient,
    }
    response = client.post(
        reverse("api:appointments"), json.dumps({**base, **body}), content_type="application/json"
    )
    assert_no_server_error(response)


@BOUNDED
@given(step=st.sampled_from(schema.STEP_NAMES), values=st.data())
def test_intake_step_forms_and_autosave(client, intake_appointment, step, values):
    _, token = intake_appointment
    fields = list(FORMS[step]().fields)
    data = values.draw(st.dictionaries(st.sampled_from(fields), junk, max_size=len(fields)))
    assert_no_server_error(client.post(reverse("intake:step", args=[token, step]), data))
    assert_no_server_error(client.post(reverse("intake:autosave", args=[token, step]), data))


@pytest.fixture
def builder(client, clinic_setup):
    therapist, patient = clinic_setup["therapist"], PatientUserFactory()
    AppointmentFactory(
        patient=patient,
        therapist=therapist,
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
    )
    client.force_login(therapist.user)
    plan = plan_with_items(patient=patient, author=therapist)
    return client, plan, plan.items.first()


@BOUNDED
@given(
    dose=st.dictionaries(
        st.sampled_from(
            ["sets", "reps", "hold_seconds", "times_per_week", "sides", "load", "notes"]
        ),
        junk,
    ),
    htmx=st.booleans(),
)
def test_care_plan_dose_form(builder, dose, htmx):
    client, plan, item = builder
    data = {f"item-{item.pk}-{name}": value for name, value in dose.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("careplans:item_update", args=[plan.pk, item.pk]), data, **headers
    )
    assert_no_server_error(response)
