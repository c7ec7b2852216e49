"""The front desk's day: landing after sign-in, the "Today" page, booking for a caller, the
read-only text page and the free-times links."""

import datetime
import zoneinfo
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.admin.caller import SMS_CONSENT_LABEL
from clinic.mfa import mfa_required
from clinic.models import Appointment, AuditEvent, Message, Patient, User
from clinic.services.booker import PHONE_INVALID
from clinic.services.booking import SLOT_TAKEN
from tests.factories.clinic import (
    PASSWORD,
    AppointmentFactory,
    PatientUserFactory,
    StaffUserFactory,
    TherapistFactory,
)
from tests.factories.intake import IntakeFactory
from tests.helpers import second_factor_pass

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
TODAY = reverse("admin:clinic_appointment_today")
BOOK_CALLER = reverse("admin:clinic_appointment_book_caller")
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def front_desk(client):
    client.force_login(StaffUserFactory())
    return client


# --- Landing after sign-in ----------------------------------------------------------------------


def sign_in(client, user, next_path=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    response = client.post(reverse("login"), data, follow=True)
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("make_user", "lands_on"),
    [
        (lambda: TherapistFactory().user, "my_schedule"),
        (lambda: StaffUserFactory(), "admin:clinic_appointment_today"),
        (lambda: StaffUserFactory(role=User.Role.ADMIN, is_staff=True), "admin:index"),
        (lambda: PatientUserFactory().user, "account:home"),
    ],
    ids=["therapist", "front_desk", "clinic_admin", "patient"],
)
def test_each_role_lands_on_its_own_first_page(client, make_user, lands_on):
    user = make_user()
    landed = sign_in(client, user)
    if mfa_required(user):  # a clinic admin enrols an authenticator app first, then lands
        assert landed == reverse("mfa:setup") + "?next=" + quote(reverse("landing"), safe="")
        second_factor_pass(client, user)
        landed = client.get(reverse("landing"), follow=True).redirect_chain[-1][0]
    assert landed == reverse(lands_on)


def test_a_safe_next_wins_and_an_unsafe_one_is_ignored(client):
    therapist = TherapistFactory()
    assert sign_in(client, therapist.user, "/plans/library/") == "/plans/library/"
    client.logout()
    assert sign_in(client, therapist.user, "https://evil.example/") == reverse("my_schedule")


def test_the_admin_home_is_today_for_the_desk_and_the_index_for_others(client):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == TODAY
    client.force_login(StaffUserFactory(role=User.Role.ADMIN, is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert 'href="' + TODAY + '"' in response.content.decode()  # "Today" in the header
    client.logout()
    assert client.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


# --- Today --------------------------------------------------------------------------------------


def visit_at(clinic_setup, start, **kwargs):
    return AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=start,
        **kwargs,
    )


@pytest.fixture
def busy_day(clinic_setup):
    """Visits an hour ago and in an hour (kept inside today), an urgent intake, a failed text."""
    now = timezone.now()
    # The location's clock reads about noon now, so an hour either side is still its today.
    location = clinic_setup["location"]
    location.time_zone = f"Etc/GMT{now.hour - 12:+d}"
    location.save(update_fields=["time_zone"])
    past = visit_at(clinic_setup, now - HOUR)
    coming = visit_at(clinic_setup, now + HOUR)
    tomorrow = visit_at(clinic_setup, now + datetime.timedelta(days=2))
    urgent = IntakeFactory(
        patient=coming.patient,
        appointment=coming,
        is_urgent=True,
        urgent_since=now,
        answers={"red_flags": {"saddle_numbness": "yes"}, "goals": {"get_back_to": "SECRET"}},
    )
    failed = Message.objects.create(
        patient=past.patient,
        appointment=past,
        kind=Message.Kind.CONFIRMATION,
        dedupe_key="confirmation:x",
        to="+16125550123",
        body="Stride: you're booked. [link]",
        status=Message.Status.FAILED,
        error_text="Unreachable handset",
    )
    return {
        "past": past,
        "coming": coming,
        "tomorrow": tomorrow,
        "urgent": urgent,
        "failed": failed,
    }


def test_today_lists_the_day_per_location_with_status_urgent_and_failed_texts(
    front_desk, busy_day, clinic_setup, django_assert_max_num_queries
):
    for _ in range(5):  # more visits (with other therapists) cost no more queries
        AppointmentFactory(
            location=clinic_setup["location"],
            appointment_type=clinic_setup["type"],
            start=busy_day["past"].start,
        )
    with django_assert_max_num_queries(10):
        response = front_desk.get(TODAY)
    assert response.status_code == 200
    html = response.content.decode()
    [place] = response.context["desk"].locations
    assert place.location == clinic_setup["location"]
    assert busy_day["past"] in place.visits and busy_day["coming"] in place.visits
    assert busy_day["tomorrow"] not in place.visits
    assert busy_day["coming"].patient.full_name in html
    # The urgent intake: its status and whom to call, never an answer.
    assert "Urgent intakes to call about" in html
    assert "SECRET" not in html and "saddle" not in html
    # The failed text, with a way to resend it.
    assert "Unreachable handset" in html and "(612) 555-0123" in html
    assert 'name="action" value="resend"' in html
    assert f'value="{busy_day["failed"].pk}"' in html
    assert 'href="' + BOOK_CALLER + '"' in html


def test_no_show_is_offered_only_once_the_visit_has_started(front_desk, busy_day):
    html = front_desk.get(TODAY).content.decode()
    mark = reverse("admin:clinic_appointment_today_mark", args=[busy_day["past"].pk])
    mark_coming = reverse("admin:clinic_appointment_today_mark", args=[busy_day["coming"].pk])
    past_form = html.split(f'action="{mark}"')[1].split("</form>")[0]
    coming_form = html.split(f'action="{mark_coming}"')[1].split("</form>")[0]
    assert 'value="no_show"' in past_form and 'value="arrived"' in past_form
    assert 'value="no_show"' not in coming_form and 'value="arrived"' in coming_form


def test_quick_actions_mark_through_the_service(front_desk, busy_day):
    past, coming = busy_day["past"], busy_day["coming"]
    url = reverse("admin:clinic_appointment_today_mark", args=[past.pk])
    response = front_desk.post(url, {"status": "no_show"})
    assert response.status_code == 302 and response.url == TODAY
    past.refresh_from_db()
    assert past.status == Appointment.Status.NO_SHOW
    # Forged for a visit still to come: the service refuses, nothing changes.
    url = reverse("admin:clinic_appointment_today_mark", args=[coming.pk])
    front_desk.post(url, {"status": "no_show"})
    coming.refresh_from_db()
    assert coming.status == Appointment.Status.BOOKED
    front_desk.post(url, {"status": "arrived"})
    coming.refresh_from_db()
    assert coming.status == Appointment.Status.ARRIVED
    assert front_desk.get(url).status_code == 405


@pytest.mark.parametrize(("role", "expected"), [(User.Role.THERAPIST, 403), (User.Role.ADMIN, 200)])
def test_today_and_book_caller_by_role(client, role, expected):
    client.force_login(StaffUserFactory(role=role, is_staff=True))
    assert client.get(TODAY).status_code == expected
    assert client.get(BOOK_CALLER).status_code == expected


def test_today_is_the_admins_landing_only_for_signed_in_staff(client):
    client.force_login(PatientUserFactory().user)
    assert client.get(TODAY).url.startswith(reverse("admin:login"))


# --- Book for a caller --------------------------------------------------------------------------


def caller_data(clinic_setup, day, time="08:00", **extra):
    return {
        "first_name": "Robin",
        "last_name": "Okafor",
        "phone": "(612) 555-0188",
        "email": "robin@example.com",
        "date_of_birth": "1979-04-12",
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": "",
        "day": day.isoformat(),
        "time": time,
        **extra,
    }


def test_book_for_a_caller_asks_what_a_caller_gives(
    front_desk, clinic_setup, next_monday, django_assert_max_num_queries
):
    # Session and user, and the three choice lists.
    with django_assert_max_num_queries(8):
        response = front_desk.get(
            BOOK_CALLER,
            {
                "day": next_monday.isoformat(),
                "time": "10:00",
                "location": clinic_setup["location"].pk,
            },
        )
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("First name", "Last name", "Mobile phone", "Email", "Date of birth", "Therapist"):
        assert label in html
    assert SMS_CONSENT_LABEL in html
    assert 'name="user"' not in html
    assert f'value="{next_monday.isoformat()}"' in html and 'value="10:00"' in html
    assert ">Any therapist<" in html


def test_book_for_a_caller_books_through_the_service(front_desk, clinic_setup, next_monday):
    response = front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:clinic_appointment_change", args=[appointment.pk])
    assert appointment.source == Appointment.Source.FRONT_DESK
    assert appointment.therapist == clinic_setup["therapist"]  # "any": whoever is free
    assert appointment.start == datetime.datetime.combine(next_monday, datetime.time(8), CHICAGO)
    patient = appointment.patient
    assert (patient.first_name, patient.email, str(patient.phone)) == (
        "Robin",
        "robin@example.com",
        "+16125550188",
    )
    assert patient.user is None and not patient.sms_consent
    # The same caller again is the same patient (the booking service's match).
    front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday, "10:00"))
    assert Patient.objects.count() == 1 and Appointment.objects.count() == 2


def test_book_for_a_caller_refuses_clearly_and_keeps_what_was_typed(
    front_desk, clinic_setup, next_monday
):
    bad = front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday, phone="555-12"))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert PHONE_INVALID in html.replace("&#x27;", "'")
    assert 'value="robin@example.com"' in html and 'value="555-12"' in html
    front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday))
    taken = front_desk.post(
        BOOK_CALLER, caller_data(clinic_setup, next_monday, email="sam@example.com")
    )
    assert taken.status_code == 400
    assert SLOT_TAKEN in taken.content.decode().replace("&#x27;", "'").replace("&mdash;", "—")
    assert Appointment.objects.count() == 1


# --- A text's page ------------------------------------------------------------------------------


def test_a_texts_page_is_read_only_and_human(front_desk, busy_day):
    message = busy_day["failed"]
    message.provider_id = "SM-PROVIDER-ID"
    message.save(update_fields=["provider_id"])
    url = reverse("admin:clinic_message_change", args=[message.pk])
    response = front_desk.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "confirmation:x" not in html and "SM-PROVIDER-ID" not in html
    assert 'name="_save"' not in html
    assert "Failed: Unreachable handset" in html
    assert "(612) 555-0123" in html
    assert "you&#x27;re booked. [link]" in html
    assert front_desk.post(url, {"status": "sent"}).status_code == 403
    # The list's resend action still works.
    response = front_desk.post(
        reverse("admin:clinic_message_changelist"),
        {"action": "resend", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302


# --- Free times ---------------------------------------------------------------------------------


def test_free_times_links_read_the_time_and_book_a_caller(front_desk, clinic_setup, next_monday):
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "day": next_monday.isoformat(),
    }
    response = front_desk.get(reverse("admin:clinic_appointment_free_times"), query)
    html = response.content.decode()
    name = clinic_setup["therapist"].name
    assert f">8:00 AM with {name}</a>" in html
    [link] = response.context["rows"][0]["therapists"]
    assert link["add_url"].startswith(BOOK_CALLER)
    assert f"day={next_monday.isoformat()}" in link["add_url"] and "time=08%3A00" in link["add_url"]
    prefilled = front_desk.get(link["add_url"]).content.decode()
    assert 'value="08:00"' in prefilled


def test_the_new_patient_form_has_no_user_field(front_desk):
    html = front_desk.get(reverse("admin:clinic_patient_add")).content.decode()
    assert 'name="first_name"' in html
    assert 'name="user"' not in html and 'name="possible_duplicate_of"' not in html


def test_the_desks_writes_are_in_the_audit_trail(front_desk, busy_day, clinic_setup, next_monday):
    past = busy_day["past"]
    front_desk.post(
        reverse("admin:clinic_appointment_today_mark", args=[past.pk]), {"status": "no_show"}
    )
    marked = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, object_id=str(past.pk))
    assert marked.patient_id == past.patient_id
    assert marked.changed_fields == ["status"]
    assert marked.changed_values == {"status": "no_show"}
    front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday))
    booked = Appointment.objects.get(patient__email="robin@example.com")
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert (created.object_id, created.patient_id) == (str(booked.pk), booked.patient_id)
