import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from clinic.api import serializers as shapes
from clinic.api.throttles import THROTTLED
from clinic.api.views import NO_SUCH_ENDPOINT
from clinic.models import Appointment, Patient
from clinic.services import booker
from clinic.services import booking as rules
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    TherapistFactory,
    therapist_with_hours,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
V1 = "/api/v1"
REQUIRED = serializers.Field.default_error_messages["required"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache; one test's requests must not limit the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def at(day, hh, mm=0, zone=CHICAGO):
    return datetime.datetime.combine(day, datetime.time(hh, mm), zone)


def slot_query(clinic_setup, day, end=None, **extra):
    params = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "start": day.isoformat(),
        "end": (end or day).isoformat(),
    }
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


def booking(clinic_setup, start, *, email="ana.lind@example.com", therapist=..., **extra):
    """A booking request body; the therapist is the clinic_setup's unless one (or None) is given."""
    body = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": clinic_setup["therapist"].pk if therapist is ... else therapist,
        "start": start.isoformat() if isinstance(start, datetime.datetime) else start,
        "patient": {
            "first_name": "Ana",
            "last_name": "Lind",
            "email": email,
            "phone": "(612) 555-0187",
            "date_of_birth": "1988-04-02",
            "sms_consent": True,
        },
        "reason_for_visit": "Knee pain on long runs",
    }
    body.update(extra)
    return body


def post_booking(api, body):
    return api.post(f"{V1}/appointments", body, format="json")


def set_rates(settings, **rates):
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = config


# --- Ping, schema, docs ------------------------------------------------------------------------


def test_ping_answers_without_the_database_or_a_throttle(api, settings, django_assert_num_queries):
    set_rates(settings, anon="1/min")
    with django_assert_num_queries(0):
        responses = [api.get(f"{V1}/ping") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].json() == {"ok": True}


def test_schema_lists_every_endpoint(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    for path in ("locations", "appointment-types", "therapists", "availability", "appointments"):
        assert f"/api/v1/{path}:" in schema


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/availability" in (tmp_path / "schema.yml").read_text()


def test_docs_load_swagger_from_our_static_files_not_a_cdn(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    for outside in ("cdn", "jsdelivr", "unpkg"):
        assert outside not in html.lower()
    # Nothing for the CSP to refuse: no <style> block, no inline script.
    assert "<style" not in html and "<script>" not in html
    assert "/static/css/pages/api-docs.css" in html


# --- Reference data ----------------------------------------------------------------------------


def test_locations_are_the_open_ones_with_full_address_and_e164_phone(
    api, django_assert_max_num_queries
):
    location = LocationFactory(name="NE Minneapolis", phone="612-555-0142")
    LocationFactory(name="Closed site", is_active=False)
    with django_assert_max_num_queries(1):
        response = api.get(f"{V1}/locations")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": location.pk,
            "name": "NE Minneapolis",
            "slug": location.slug,
            "address": "2112 Broadway Street NE, Suite 195, Minneapolis, MN 55413",
            "phone": "+16125550142",
            "time_zone": "America/Chicago",
        }
    ]


def test_appointment_types_are_the_active_online_bookable_ones(api, django_assert_max_num_queries):
    evaluation = AppointmentTypeFactory(
        name="Evaluation", description="First visit", duration_minutes=60, needs_intake=True
    )
    AppointmentTypeFactory(name="Dry needling", online_bookable=False)
    AppointmentTypeFactory(name="Retired", is_active=False)
    with django_assert_max_num_queries(1):
        response = api.get(f"{V1}/appointment-types")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": evaluation.pk,
            "name": "Evaluation",
            "slug": evaluation.slug,
            "description": "First visit",
            "duration_minutes": 60,
            "mode": "in_person",
            "needs_intake": True,
            "price_cents": 0,
        }
    ]


def test_therapists_are_the_active_ones_and_never_show_an_email(api, django_assert_max_num_queries):
    north, south = LocationFactory(), LocationFactory()
    both = TherapistFactory(locations=[north, south], bio="Runner's knee.")
    only_south = TherapistFactory(locations=[south])
    TherapistFactory(locations=[north], is_active=False)
    with django_assert_max_num_queries(2):
        response = api.get(f"{V1}/therapists")
    assert response.status_code == 200
    body = response.json()
    assert {t["id"] for t in body} == {both.pk, only_south.pk}
    [first] = [t for t in body if t["id"] == both.pk]
    assert {**first, "locations": sorted(first["locations"])} == {
        "id": both.pk,
        "name": both.name,
        "credentials": "PT, DPT",
        "bio": "Runner's knee.",
        "locations": sorted([north.pk, south.pk]),
    }
    assert "@" not in response.content.decode()


def test_therapists_at_one_location(api):
    north, south = LocationFactory(), LocationFactory()
    here = TherapistFactory(locations=[north])
    TherapistFactory(locations=[south])
    response = api.get(f"{V1}/therapists", {"location": north.pk})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [here.pk]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("north", shapes.NOT_AN_ID.format(noun="location")),
        ("1.5", shapes.NOT_AN_ID.format(noun="location")),
        ("987654", shapes.UNKNOWN_ID.format(noun="location", pk_value=987654)),
        ("99999999999999999999999", None),
    ],
)
def test_therapists_refuse_a_bad_location(api, value, message):
    response = api.get(f"{V1}/therapists", {"location": value})
    assert response.status_code == 400
    if message:
        assert response.json() == {"location": [message]}


def test_therapists_refuse_a_closed_location(api):
    closed = LocationFactory(is_active=False)
    response = api.get(f"{V1}/therapists", {"location": closed.pk})
    assert response.status_code == 400
    assert response.json() == {
        "location": [shapes.UNKNOWN_ID.format(noun="location", pk_value=closed.pk)]
    }


# --- Availability ------------------------------------------------------------------------------


def test_availability_lists_free_times_in_local_time_with_offset(api, clinic_setup, next_monday):
    response = api.get(f"{V1}/availability", slot_query(clinic_setup, next_monday))
    assert response.status_code == 200
    slots = response.json()["slots"]
    first, last = slots[0], slots[-1]
    assert first == {
        "start": at(next_monday, 8).isoformat(),
        "end": at(next_monday, 8, 45).isoformat(),
        "therapist": clinic_setup["therapist"].pk,
    }
    assert first["start"].startswith(f"{next_monday.isoformat()}T08:00:00-0")
    assert last["start"] == at(next_monday, 16, 15).isoformat()
    # 08:00 to 16:15 every 15 minutes.
    assert len(slots) == 34


def test_availability_leaves_out_booked_times_and_can_ask_for_one_therapist(
    api, clinic_setup, next_monday
):
    other = therapist_with_hours(location=clinic_setup["location"])
    AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=at(next_monday, 9),
    )
    mine = api.get(
        f"{V1}/availability",
        slot_query(clinic_setup, next_monday, therapist=clinic_setup["therapist"].pk),
    ).json()["slots"]
    starts = {s["start"] for s in mine}
    assert at(next_monday, 9).isoformat() not in starts
    # Visits hold the therapist for 45 minutes plus a 15-minute buffer: 08:00 still fits
    # before the 09:00 visit, 08:15 does not.
    assert at(next_monday, 8).isoformat() in starts
    assert at(next_monday, 8, 15).isoformat() not in starts
    assert at(next_monday, 10).isoformat() in starts
    assert {s["therapist"] for s in mine} == {clinic_setup["therapist"].pk}

    anyone = api.get(f"{V1}/availability", slot_query(clinic_setup, next_monday)).json()["slots"]
    assert {s["therapist"] for s in anyone if s["start"] == at(next_monday, 9).isoformat()} == {
        other.pk
    }


def _bad_availability_queries():
    """(case, change to a good query, field, expected messages or None for "any")."""
    return [
        ("no type", {"appointment_type": None}, "appointment_type", [REQUIRED]),
        ("no location", {"location": None}, "location", [REQUIRED]),
        ("no start", {"start": None}, "start", [REQUIRED]),
        ("no end", {"end": None}, "end", [REQUIRED]),
        (
            "type not an id",
            {"appointment_type": "eval"},
            "appointment_type",
            [shapes.NOT_AN_ID.format(noun="appointment type")],
        ),
        (
            "unknown type",
            {"appointment_type": 987654},
            "appointment_type",
            [shapes.UNKNOWN_ID.format(noun="appointment type", pk_value=987654)],
        ),
        (
            "unknown location",
            {"location": 987654},
            "location",
            [shapes.UNKNOWN_ID.format(noun="location", pk_value=987654)],
        ),
        (
            "unknown therapist",
            {"therapist": 987654},
            "therapist",
            [shapes.UNKNOWN_ID.format(noun="therapist", pk_value=987654)],
        ),
        ("start not a date", {"start": "next monday"}, "start", None),
        ("impossible date", {"end": "2026-02-30"}, "end", None),
        (
            "ancient date",
            {"start": "0001-01-01"},
            "start",
            [shapes.DATE_OUT_OF_RANGE.format(first="2000-01-01", last="2999-12-31")],
        ),
    ]


@pytest.mark.parametrize(
    ("change", "field", "messages"),
    [case[1:] for case in _bad_availability_queries()],
    ids=[case[0] for case in _bad_availability_queries()],
)
def test_availability_refuses_missing_or_invalid_params(
    api, clinic_setup, next_monday, change, field, messages
):
    query = {**slot_query(clinic_setup, next_monday), **change}
    response = api.get(f"{V1}/availability", {k: v for k, v in query.items() if v is not None})
    assert response.status_code == 400
    body = response.json()
    assert field in body
    if messages is not None:
        assert body[field] == messages


def test_availability_refuses_an_end_before_the_start(api, clinic_setup, next_monday):
    query = slot_query(clinic_setup, next_monday, end=next_monday - datetime.timedelta(days=1))
    response = api.get(f"{V1}/availability", query)
    assert response.status_code == 400
    assert response.json() == {"end": [shapes.END_BEFORE_START]}


def test_availability_refuses_a_range_longer_than_the_setting(
    api, clinic_setup, next_monday, settings
):
    settings.BOOKING_MAX_RANGE_DAYS = 7
    ok = api.get(
        f"{V1}/availability",
        slot_query(clinic_setup, next_monday, end=next_monday + datetime.timedelta(6)),
    )
    assert ok.status_code == 200
    response = api.get(
        f"{V1}/availability",
        slot_query(clinic_setup, next_monday, end=next_monday + datetime.timedelta(7)),
    )
    assert response.status_code == 400
    assert response.json() == {"end": [shapes.RANGE_TOO_LONG.format(days=7)]}


def test_availability_refuses_a_therapist_from_another_location(api, clinic_setup, next_monday):
    elsewhere = therapist_with_hours(location=LocationFactory())
    response = api.get(
        f"{V1}/availability", slot_query(clinic_setup, next_monday, therapist=elsewhere.pk)
    )
    assert response.status_code == 400
    assert response.json() == {"therapist": [rules.THERAPIST_NOT_HERE]}


def test_availability_refuses_a_type_booked_by_phone_only(api, clinic_setup, next_monday):
    phone_only = AppointmentTypeFactory(online_bookable=False)
    response = api.get(
        f"{V1}/availability", slot_query(clinic_setup, next_monday, appointment_type=phone_only.pk)
    )
    assert response.status_code == 400
    assert response.json() == {"appointment_type": [rules.NOT_BOOKABLE_ONLINE]}


@pytest.mark.parametrize("appointments", [50, 250])
def test_availability_query_count_does_not_grow_with_the_schedule(
    api, clinic_setup, next_monday, appointments, django_assert_max_num_queries
):
    location, visit = clinic_setup["location"], clinic_setup["type"]
    team = [clinic_setup["therapist"]] + [therapist_with_hours(location=location) for _ in range(4)]
    weekdays = [
        next_monday + datetime.timedelta(days=n)
        for n in range(28)
        if (next_monday + datetime.timedelta(days=n)).weekday() < 5
    ]
    patient = PatientFactory()
    for n in range(appointments):
        # Spread over therapists, then days, then two-hour steps: never overlapping.
        therapist = team[n % len(team)]
        day = weekdays[(n // len(team)) % len(weekdays)]
        hour = 8 + 2 * (n // (len(team) * len(weekdays)))
        AppointmentFactory(
            patient=patient,
            therapist=therapist,
            location=location,
            appointment_type=visit,
            start=at(day, hour),
        )
    query = slot_query(clinic_setup, next_monday, end=next_monday + datetime.timedelta(days=27))
    with django_assert_max_num_queries(8):
        response = api.get(f"{V1}/availability", query)
    assert response.status_code == 200
    starts = {(s["therapist"], s["start"]) for s in response.json()["slots"]}
    assert (team[0].pk, at(next_monday, 8).isoformat()) not in starts
    assert (team[0].pk, at(next_monday, 9).isoformat()) in starts


DST_DAYS = [
    (datetime.date(2027, 3, 14), "2027-03-14T08:00:00-05:00"),
    (datetime.date(2027, 11, 7), "2027-11-07T08:00:00-06:00"),
]


@pytest.mark.parametrize(("day", "first_start"), DST_DAYS, ids=["spring", "fall"])
def test_availability_on_a_dst_sunday_starts_at_eight_local(api, settings, day, first_start):
    if day <= timezone.localdate() + datetime.timedelta(days=1):
        pytest.skip(f"{day} has passed; the next-change test below covers later years")
    settings.BOOKING_HORIZON_DAYS = 800
    location = LocationFactory(time_zone="America/Chicago")
    visit = AppointmentTypeFactory(duration_minutes=45)
    therapist_with_hours(location=location, weekdays=[6])  # Sundays, 08:00-17:00
    response = api.get(f"{V1}/availability", slot_query({"location": location, "type": visit}, day))
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert slots[0]["start"] == first_start
    assert slots[-1]["start"] == first_start.replace("T08:00", "T16:15")


def _next_offset_changes(zone, after: datetime.date) -> dict[str, datetime.date]:
    """The next local dates on which ``zone`` moves its clocks forward and back."""
    found: dict[str, datetime.date] = {}
    day = after
    while len(found) < 2:
        day += datetime.timedelta(days=1)
        before = at(day - datetime.timedelta(days=1), 12, zone=zone).utcoffset()
        now = at(day, 12, zone=zone).utcoffset()
        if now != before:
            found.setdefault("spring" if now > before else "fall", day)
    return found


@pytest.mark.parametrize(("change", "offset"), [("spring", "-05:00"), ("fall", "-06:00")])
def test_availability_on_the_next_dst_change_starts_at_eight_local(api, settings, change, offset):
    day = _next_offset_changes(CHICAGO, timezone.localdate() + datetime.timedelta(days=1))[change]
    settings.BOOKING_HORIZON_DAYS = 800
    location = LocationFactory(time_zone="America/Chicago")
    visit = AppointmentTypeFactory(duration_minutes=45)
    therapist_with_hours(location=location, weekdays=[day.weekday()])
    response = api.get(f"{V1}/availability", slot_query({"location": location, "type": visit}, day))
    assert response.json()["slots"][0]["start"] == f"{day.isoformat()}T08:00:00{offset}"


# --- Booking -----------------------------------------------------------------------------------


def test_booking_returns_the_visit_and_its_links(
    api, clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    assert response.status_code == 201
    body = response.json()
    appointment = Appointment.objects.get()
    assert body == {
        "id": appointment.pk,
        "start": at(next_monday, 9).isoformat(),
        "end": at(next_monday, 9, 45).isoformat(),
        "therapist": clinic_setup["therapist"].pk,
        "therapist_name": clinic_setup["therapist"].name,
        "location": clinic_setup["location"].pk,
        "appointment_type": clinic_setup["type"].pk,
        "manage_url": body["manage_url"],
        "intake_url": None,
    }
    assert "/appointments/" in body["manage_url"]
    assert appointment.source == Appointment.Source.ONLINE
    assert appointment.start == at(next_monday, 9)
    assert appointment.reason_for_visit == "Knee pain on long runs"
    patient = appointment.patient
    assert (patient.email, str(patient.phone), patient.sms_consent) == (
        "ana.lind@example.com",
        "+16125550187",
        True,
    )
    assert patient.date_of_birth == datetime.date(1988, 4, 2)
    [email] = mail.outbox
    assert email.to == ["ana.lind@example.com"]


def test_booking_a_visit_that_needs_intake_returns_the_intake_link(api, clinic_setup, next_monday):
    clinic_setup["type"] = AppointmentTypeFactory(slug="evaluation", needs_intake=True)
    response = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    assert response.status_code == 201
    assert "/intake/" in response.json()["intake_url"]


@pytest.mark.parametrize("leave_out", [False, True], ids=["null", "omitted"])
def test_booking_without_a_therapist_assigns_a_free_one(api, clinic_setup, next_monday, leave_out):
    body = booking(clinic_setup, at(next_monday, 10), therapist=None)
    if leave_out:
        del body["therapist"]
    response = post_booking(api, body)
    assert response.status_code == 201
    assert response.json()["therapist"] == clinic_setup["therapist"].pk


def test_a_returning_patient_is_matched_by_email_not_duplicated(api, clinic_setup, next_monday):
    first = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    second = post_booking(
        api,
        booking(clinic_setup, at(next_monday, 11), email="Ana.Lind@Example.com", therapist=None),
    )
    assert (first.status_code, second.status_code) == (201, 201)
    patient = Patient.objects.get()
    assert patient.appointments.count() == 2


def test_a_patient_known_to_the_front_desk_is_matched(api, clinic_setup, next_monday):
    known = PatientFactory(email="ana.lind@example.com", first_name="Ana")
    response = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    assert response.status_code == 201
    assert Appointment.objects.get().patient == known
    assert Patient.objects.count() == 1


def test_a_taken_time_is_409_with_the_nearest_free_times(api, clinic_setup, next_monday):
    start = at(next_monday, 9)
    assert post_booking(api, booking(clinic_setup, start)).status_code == 201
    response = post_booking(api, booking(clinic_setup, start, email="ben@example.com"))
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == rules.SLOT_TAKEN
    assert body["alternatives"]
    assert set(body["alternatives"][0]) == {"start", "end", "therapist"}
    assert all(alt["start"] != start.isoformat() for alt in body["alternatives"])
    for alt in body["alternatives"]:
        local = datetime.datetime.fromisoformat(alt["start"])
        assert local.utcoffset() == local.astimezone(CHICAGO).utcoffset()
    # The refused booking's new patient was rolled back with it.
    assert not Patient.objects.filter(email="ben@example.com").exists()


def _refused_starts():
    """Only a start that availability offers can be booked."""
    return [
        (
            "past",
            lambda monday: timezone.now() - datetime.timedelta(days=1),
            rules.SLOT_IN_PAST,
        ),
        ("off grid", lambda monday: at(monday, 9, 7), rules.SLOT_UNAVAILABLE),
        (
            "too soon",
            lambda monday: timezone.now() + datetime.timedelta(hours=1),
            rules.SLOT_TOO_SOON.format(hours=12),
        ),
        ("out of hours", lambda monday: at(monday, 20), rules.SLOT_UNAVAILABLE),
        (
            "weekend",
            lambda monday: at(monday + datetime.timedelta(days=5), 9),
            rules.SLOT_UNAVAILABLE,
        ),
        (
            "beyond the horizon",
            lambda monday: at(monday + datetime.timedelta(days=70), 9),
            rules.SLOT_TOO_FAR.format(days=60),
        ),
    ]


@pytest.mark.parametrize(
    ("start_for", "message"),
    [case[1:] for case in _refused_starts()],
    ids=[case[0] for case in _refused_starts()],
)
def test_only_a_start_that_availability_offers_can_be_booked(
    api, clinic_setup, next_monday, settings, start_for, message
):
    settings.BOOKING_MIN_NOTICE_HOURS = 12
    settings.BOOKING_HORIZON_DAYS = 60
    response = post_booking(
        api, booking(clinic_setup, start_for(next_monday), email="new@example.com")
    )
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not Appointment.objects.exists()
    assert not Patient.objects.exists()


def test_booking_a_phone_only_type_is_refused_with_its_code(api, clinic_setup, next_monday):
    clinic_setup["type"] = AppointmentTypeFactory(online_bookable=False)
    response = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    assert response.status_code == 400
    assert response.json() == {"detail": rules.NOT_BOOKABLE_ONLINE, "code": "not_bookable"}


def test_booking_a_therapist_from_another_location_is_refused(api, clinic_setup, next_monday):
    elsewhere = therapist_with_hours(location=LocationFactory())
    response = post_booking(api, booking(clinic_setup, at(next_monday, 9), therapist=elsewhere.pk))
    assert response.status_code == 400
    assert response.json() == {"detail": rules.THERAPIST_NOT_HERE, "code": "unavailable"}


def test_a_start_without_its_offset_is_refused(api, clinic_setup, next_monday):
    naive = f"{next_monday.isoformat()}T09:00:00"
    response = post_booking(api, booking(clinic_setup, naive))
    assert response.status_code == 400
    assert response.json() == {"start": [shapes.START_NAIVE]}


def test_an_invalid_phone_is_a_field_error(api, clinic_setup, next_monday):
    body = booking(clinic_setup, at(next_monday, 9))
    body["patient"]["phone"] = "555-12"
    response = post_booking(api, body)
    assert response.status_code == 400
    assert list(response.json()) == ["patient"]
    assert list(response.json()["patient"]) == ["phone"]


def test_a_phone_is_optional(api, clinic_setup, next_monday):
    body = booking(clinic_setup, at(next_monday, 9))
    del body["patient"]["phone"]
    body["patient"]["sms_consent"] = False
    response = post_booking(api, body)
    assert response.status_code == 201
    assert str(Patient.objects.get().phone) == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"patient": None}, "patient"),
        ({"patient": "Ana"}, "patient"),
        ({"start": "tomorrow at nine"}, "start"),
        ({"start": "0001-01-01T00:00:00+05:00"}, "start"),
        ({"location": 99999999999999999999999}, "location"),
        ({"appointment_type": True}, "appointment_type"),
        ({"therapist": 987654}, "therapist"),
        ({"reason_for_visit": "x" * 2001}, "reason_for_visit"),
    ],
)
def test_bad_input_is_a_400_never_a_500(api, clinic_setup, next_monday, change, field):
    response = post_booking(api, booking(clinic_setup, at(next_monday, 9)) | change)
    assert response.status_code == 400
    assert field in response.json()


def test_bad_patient_fields_are_errors_on_the_patient(api, clinic_setup, next_monday):
    body = booking(clinic_setup, at(next_monday, 9))
    body["patient"] = {
        "first_name": "",
        "email": "not-an-email",
        "date_of_birth": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }
    response = post_booking(api, body)
    assert response.status_code == 400
    errors = response.json()["patient"]
    assert set(errors) == {"first_name", "last_name", "email", "date_of_birth"}
    assert errors["last_name"] == [REQUIRED]
    assert errors["date_of_birth"] == [booker.DATE_OF_BIRTH_NOT_PAST]


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[]", "application/json", 400),
        ("appointment_type=1", "application/x-www-form-urlencoded", 415),
    ],
)
def test_only_a_json_object_is_accepted(api, content, content_type, status):
    response = api.post(f"{V1}/appointments", content, content_type=content_type)
    assert response.status_code == status


def test_appointments_cannot_be_read_back(api, clinic_setup, next_monday):
    created = post_booking(api, booking(clinic_setup, at(next_monday, 9)))
    assert created.status_code == 201
    response = api.get(f"{V1}/appointments")
    assert response.status_code == 405
    assert set(response.json()) == {"detail"}
    content = response.content.decode()
    assert "ana.lind" not in content and "Lind" not in content
    for path in (f"appointments/{created.json()['id']}", "patients", "patients/1"):
        missing = api.get(f"{V1}/{path}")
        assert missing.status_code == 404
        assert missing.json() == {"detail": NO_SUCH_ENDPOINT}


def test_an_unknown_address_or_a_trailing_slash_is_a_json_404(api):
    for method in ("get", "post", "delete"):
        response = getattr(api, method)(f"{V1}/locations/")
        assert response.status_code == 404
        assert response.json() == {"detail": NO_SUCH_ENDPOINT}


# --- Rate limits -------------------------------------------------------------------------------


def test_reads_are_limited_per_address_at_the_anon_rate(api, settings):
    set_rates(settings, anon="2/min")
    assert api.get(f"{V1}/locations").status_code == 200
    assert api.get(f"{V1}/appointment-types").status_code == 200
    response = api.get(f"{V1}/locations")
    assert response.status_code == 429
    assert response.json()["detail"].startswith(THROTTLED)
    assert "Retry-After" in response.headers
    # A made-up X-Forwarded-For does not buy a fresh allowance...
    spoofed = api.get(f"{V1}/locations", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    # ...but another client address has its own.
    assert api.get(f"{V1}/locations", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_booking_is_limited_at_the_booking_rate(api, clinic_setup, next_monday, settings):
    set_rates(settings, anon="100/min", booking="2/min")
    statuses = [
        post_booking(api, booking(clinic_setup, at(next_monday, hour), therapist=None)).status_code
        for hour in (9, 11, 13)
    ]
    assert statuses == [201, 201, 429]
    throttled = post_booking(api, booking(clinic_setup, at(next_monday, 15), therapist=None))
    assert throttled.json()["detail"].startswith(THROTTLED)
    assert Appointment.objects.count() == 2
    # Reads have their own allowance.
    assert api.get(f"{V1}/locations").status_code == 200
