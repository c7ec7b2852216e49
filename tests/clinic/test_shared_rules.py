"""Rules that more than one part of the clinic applies: each is held by one function or
constant, and these tests fail when one of its callers goes its own way."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from clinic import links
from clinic.admin.free_times import FreeTimesForm
from clinic.api.serializers import AvailabilityQuerySerializer, PatientInputSerializer
from clinic.api.throttles import LoginLinkEmailRateThrottle
from clinic.forms import BookingChoiceForm, PatientDetailsForm
from clinic.models import (
    HOURS_OVERLAP_ENTERED,
    HOURS_OVERLAP_SAVED,
    Appointment,
    AppointmentType,
    Patient,
    User,
    WorkingHours,
    email_normalized,
)
from clinic.selectors import slot_list, therapist_schedule
from clinic.services import (
    PatientDetails,
    appointment_book,
    appointment_change_allowed,
    appointment_mark,
    booker,
    login_links,
    messaging,
    notifications,
    replies,
)
from clinic.services import booking as rules
from clinic.views import booking
from clinic.views.account import upcoming_visits
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    UserFactory,
    therapist_with_hours,
)

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
EVERY_STATUS = list(Appointment.Status)


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


# --- Which appointments are active, and which upcoming -----------------------------------------


def test_active_is_every_status_but_cancelled_like_the_databases_constraint():
    # Migration 0003's exclusion constraint covers rows WHERE status <> 'cancelled'.
    assert set(Appointment.ACTIVE_STATUSES) == set(Appointment.Status) - {"cancelled"}
    assert set(Appointment.UPCOMING_STATUSES) == {"booked", "confirmed"}
    assert set(Appointment.UPCOMING_STATUSES) < set(Appointment.ACTIVE_STATUSES)


@pytest.fixture
def visit_with(clinic_setup, next_monday):
    """A 9:00 visit on next_monday in the given status, and the patient's account."""

    def _visit(status):
        return AppointmentFactory(
            patient=PatientFactory(),
            therapist=clinic_setup["therapist"],
            location=clinic_setup["location"],
            appointment_type=clinic_setup["type"],
            start=at(next_monday, 9),
            status=status,
        )

    return _visit


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_every_reader_of_active_visits_agrees(clinic_setup, next_monday, visit_with, status):
    appointment = visit_with(status)
    active = status in Appointment.ACTIVE_STATUSES
    assert appointment.is_active is active
    starts = {
        slot.start
        for slot in slot_list(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start_date=next_monday,
            end_date=next_monday,
            enforce_window=False,
        )
    }
    assert (at(next_monday, 9) not in starts) is active  # it holds the therapist's time
    schedule = therapist_schedule(therapist=clinic_setup["therapist"], today=next_monday)
    assert (appointment in schedule[next_monday]) is active
    visits = [v.appointment for v in upcoming_visits(appointment.patient)]
    assert (appointment in visits) is (status in Appointment.COMING_STATUSES)


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_every_reader_of_upcoming_visits_agrees(visit_with, next_monday, status):
    appointment = visit_with(status)
    upcoming = status in Appointment.UPCOMING_STATUSES
    now = at(next_monday - datetime.timedelta(days=1), 10, 5)  # reminders are due
    assert (appointment in messaging.reminder_due_list(now=now)) is upcoming
    early = now - datetime.timedelta(days=3)  # before the late-change window
    assert appointment_change_allowed(appointment=appointment, now=early) is upcoming
    try:
        rules.appointment_reschedule(
            appointment=appointment, start=at(next_monday, 11), by_patient=False, now=now
        )
    except rules.BookingError as error:
        assert error.message in (rules.NOT_CHANGEABLE, rules.ALREADY_CANCELLED)
        moved = False
    else:
        moved = True
    assert moved is upcoming


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_only_upcoming_visits_are_confirmed_by_text(visit_with, next_monday, settings, status):
    appointment = visit_with(status)
    reply = replies.inbound_handle(
        from_number=str(appointment.patient.phone), body="C", now=at(next_monday, 8)
    )
    nothing = replies.REPLY_NOTHING_TO_CONFIRM.format(
        clinic=settings.CLINIC_SHORT_NAME, phone=appointment.location.phone.as_national
    )
    assert (reply != nothing) is (status in Appointment.UPCOMING_STATUSES)


@pytest.mark.parametrize("status", EVERY_STATUS)
@pytest.mark.parametrize("new_status", [Appointment.Status.ARRIVED, Appointment.Status.NO_SHOW])
def test_only_upcoming_visits_are_marked_arrived_or_no_show(visit_with, status, new_status):
    appointment = visit_with(status)
    try:  # a moment after the start: a no-show is marked then
        appointment_mark(appointment=appointment, status=new_status, now=appointment.start + MINUTE)
    except rules.BookingError:
        marked = False
    else:
        marked = True
    assert marked is (status in Appointment.UPCOMING_STATUSES)


MINUTE = datetime.timedelta(minutes=1)


def test_no_show_waits_for_the_start_unless_staff_confirm(visit_with):
    appointment = visit_with(Appointment.Status.BOOKED)
    before = appointment.start - MINUTE
    with pytest.raises(rules.BookingError) as caught:
        appointment_mark(appointment=appointment, status=Appointment.Status.NO_SHOW, now=before)
    assert caught.value.code == "too_early"
    assert caught.value.message == rules.NO_SHOW_TOO_EARLY
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    marked = appointment_mark(
        appointment=appointment, status=Appointment.Status.NO_SHOW, now=before, confirm_early=True
    )
    assert marked.status == Appointment.Status.NO_SHOW
    # The patient's "Upcoming" list drops it at once, though its time is still ahead.
    assert appointment not in [v.appointment for v in upcoming_visits(appointment.patient)]


def test_no_show_at_the_start_needs_no_confirm(visit_with):
    appointment = visit_with(Appointment.Status.CONFIRMED)
    marked = appointment_mark(
        appointment=appointment, status=Appointment.Status.NO_SHOW, now=appointment.start
    )
    assert marked.status == Appointment.Status.NO_SHOW


# --- Working hours that overlap ----------------------------------------------------------------

HOURS_CASES = [
    ((9, 12), (12, 14), False),  # one ends as the other starts
    ((9, 12), (11, 14), True),
    ((11, 14), (9, 12), True),
    ((9, 17), (10, 11), True),  # one inside the other
    ((9, 12), (9, 12), True),
    ((13, 14), (9, 12), False),
]


def block(therapist, location, hours, weekday=2):
    return WorkingHours(
        therapist=therapist,
        location=location,
        weekday=weekday,
        start_time=datetime.time(hours[0]),
        end_time=datetime.time(hours[1]),
    )


def therapist_page_data(therapist, location, *blocks):
    """The therapist's admin page with ``blocks`` entered as new rows of hours."""
    data = {
        "user": therapist.user.pk,
        "credentials": therapist.credentials,
        "locations": [location.pk],
        "is_active": "on",
        "hours-TOTAL_FORMS": len(blocks),
        "hours-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
    }
    for n, hours in enumerate(blocks):
        data.update(
            {
                f"hours-{n}-therapist": therapist.pk,
                f"hours-{n}-location": location.pk,
                f"hours-{n}-weekday": hours.weekday,
                f"hours-{n}-start_time": f"{hours.start_time:%H:%M}",
                f"hours-{n}-end_time": f"{hours.end_time:%H:%M}",
            }
        )
    return data


def saved_block_refused(candidate, saved) -> bool:
    saved.save()
    try:
        candidate.full_clean()
    except ValidationError as error:
        assert error.messages == [HOURS_OVERLAP_SAVED.format(block=saved)]
        return True
    finally:
        saved.delete()
    return False


def entered_blocks_refused(admin_client, therapist, location, first, second) -> bool:
    url = reverse("admin:clinic_therapist_change", args=[therapist.pk])
    response = admin_client.post(url, therapist_page_data(therapist, location, first, second))
    message = HOURS_OVERLAP_ENTERED.format(day="Wednesday", first=first.times, second=second.times)
    refused = message in response.content.decode()
    assert response.status_code == (200 if refused else 302)
    WorkingHours.objects.filter(therapist=therapist).delete()
    return refused


@pytest.mark.parametrize(("first", "second", "clash"), HOURS_CASES)
def test_saved_and_entered_hours_overlap_by_one_rule(
    admin_client, clinic_setup, first, second, clash
):
    therapist, location = clinic_setup["therapist"], clinic_setup["location"]
    WorkingHours.objects.filter(therapist=therapist).delete()
    a, b = block(therapist, location, first), block(therapist, location, second)
    assert a.overlaps(b) is b.overlaps(a) is clash
    assert saved_block_refused(b, a) is clash  # WorkingHours.clean, on the hours page
    assert entered_blocks_refused(admin_client, therapist, location, a, b) is clash  # the inline


def test_the_hours_page_and_the_therapist_page_both_ask_working_hours_overlaps(
    admin_client, clinic_setup, monkeypatch
):
    therapist, location = clinic_setup["therapist"], clinic_setup["location"]
    WorkingHours.objects.filter(therapist=therapist).delete()
    a, b = block(therapist, location, (9, 12)), block(therapist, location, (10, 14))
    monkeypatch.setattr(WorkingHours, "overlaps", lambda self, other: False)
    assert not saved_block_refused(b, a)
    assert not entered_blocks_refused(admin_client, therapist, location, a, b)
    touching = block(therapist, location, (12, 14))
    monkeypatch.setattr(WorkingHours, "overlaps", lambda self, other: True)
    assert saved_block_refused(touching, a)
    assert entered_blocks_refused(admin_client, therapist, location, a, touching)


# --- A therapist who does not work at the location ---------------------------------------------


@pytest.fixture
def elsewhere():
    """A therapist with hours at another location only."""
    return therapist_with_hours(location=LocationFactory())


def test_the_booking_pages_refuse_a_therapist_from_elsewhere_with_the_services_message(
    client, clinic_setup, elsewhere
):
    query = {
        "type": clinic_setup["type"].slug,
        "location": clinic_setup["location"].slug,
        "therapist": elsewhere.pk,
    }
    form = BookingChoiceForm(query)
    assert not form.is_valid()
    assert form.errors == {"therapist": [rules.THERAPIST_NOT_HERE]}
    response = client.get(reverse("book_times"), query)
    assert response.status_code == 400
    assert rules.THERAPIST_NOT_HERE in response.content.decode()


def test_the_api_refuses_a_therapist_from_elsewhere_with_the_services_message(
    clinic_setup, next_monday, elsewhere
):
    api = APIClient()
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": elsewhere.pk,
        "start": next_monday.isoformat(),
        "end": next_monday.isoformat(),
    }
    response = api.get("/api/v1/availability", query)
    assert response.json() == {"therapist": [rules.THERAPIST_NOT_HERE]}


def test_the_admin_refuses_a_therapist_from_elsewhere_with_the_services_message(
    admin_client, clinic_setup, next_monday, elsewhere
):
    data = {
        "patient": PatientFactory().pk,
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": elsewhere.pk,
        "start_0": next_monday.isoformat(),
        "start_1": "09:00",
        "reason_for_visit": "",
        "_save": "Save",
    }
    response = admin_client.post(reverse("admin:clinic_appointment_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [rules.THERAPIST_NOT_HERE]
    assert not Appointment.objects.exists()


def test_every_caller_asks_the_one_location_check(clinic_setup, monkeypatch):
    """With the check saying yes, no caller refuses the therapist on its own."""
    asked = []
    monkeypatch.setattr(rules, "therapist_works_at", lambda **kwargs: asked.append(kwargs) or True)
    elsewhere = therapist_with_hours(location=LocationFactory())
    query = {
        "type": clinic_setup["type"].slug,
        "location": clinic_setup["location"].slug,
        "therapist": elsewhere.pk,
    }
    assert BookingChoiceForm(query).is_valid()
    api_query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": elsewhere.pk,
        "start": "2030-01-07",
        "end": "2030-01-07",
    }
    assert AvailabilityQuerySerializer(data=api_query).is_valid()
    assert len(asked) == 2


# --- A patient's date of birth and phone -------------------------------------------------------

WEB_DETAILS = {
    "first_name": "Jamie",
    "last_name": "Lee",
    "email": "jamie.lee@example.com",
    "phone": "(612) 555-0123",
    "date_of_birth": "1991-06-30",
}


def web_form_result(field, value):
    """The booking page's details form: the cleaned value, or the field's messages."""
    form = PatientDetailsForm({**WEB_DETAILS, field: value})
    return form.cleaned_data[field] if form.is_valid() else form.errors[field]


def api_result(field, value):
    shape = PatientInputSerializer(data={**WEB_DETAILS, field: value})
    if shape.is_valid():
        return shape.validated_data[field]
    return [str(message) for message in shape.errors[field]]


def admin_result(field, value):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
    form_class = admin.site._registry[Patient].get_form(request)
    form = form_class({**WEB_DETAILS, "email": "someone.else@example.com", field: value})
    return form.cleaned_data[field] if form.is_valid() else form.errors[field]


def service_result(clinic_setup, next_monday, field, value):
    details = {**WEB_DETAILS, "date_of_birth": datetime.date(1991, 6, 30), field: value}
    try:
        appointment = appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=at(next_monday, 9),
            patient=PatientDetails(**details),
        )
    except rules.BookingError as error:
        assert error.code == field
        return [error.message]
    patient = appointment.patient
    return str(patient.phone) if field == "phone" else patient.date_of_birth


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        (days_ago(-1), [booker.DATE_OF_BIRTH_NOT_PAST]),
        (days_ago(0), [booker.DATE_OF_BIRTH_NOT_PAST]),
        (days_ago(1), days_ago(1)),
        (days_ago(booker.OLDEST_PATIENT_DAYS), days_ago(booker.OLDEST_PATIENT_DAYS)),
        (days_ago(booker.OLDEST_PATIENT_DAYS + 1), [booker.DATE_OF_BIRTH_TOO_EARLY]),
    ],
    ids=["tomorrow", "today", "yesterday", "oldest", "older"],
)
def test_one_date_of_birth_rule_for_the_page_the_api_the_admin_and_the_service(
    clinic_setup, next_monday, date_of_birth, expected
):
    typed = date_of_birth.isoformat()
    assert web_form_result("date_of_birth", typed) == expected
    assert api_result("date_of_birth", typed) == expected
    assert admin_result("date_of_birth", typed) == expected
    assert service_result(clinic_setup, next_monday, "date_of_birth", date_of_birth) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("(612) 555-0123", "+16125550123"),
        ("612.555.0187", "+16125550187"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-12", [booker.PHONE_INVALID]),
        ("+1 612 555 01", [booker.PHONE_INVALID]),
        ("not a phone", [booker.PHONE_INVALID]),
    ],
)
def test_one_phone_rule_for_the_page_the_api_the_admin_and_the_service(
    clinic_setup, next_monday, phone, expected
):
    assert web_form_result("phone", phone) == expected
    assert api_result("phone", phone) == expected
    assert admin_result("phone", phone) == expected
    assert service_result(clinic_setup, next_monday, "phone", phone) == expected


def test_the_admin_and_the_api_take_a_patient_without_phone_or_date_of_birth():
    assert api_result("phone", "") == "" and admin_result("phone", "") == ""
    assert api_result("date_of_birth", None) is None
    assert admin_result("date_of_birth", "") is None


# --- Smaller rules ------------------------------------------------------------------------------


def test_an_email_address_is_matched_the_same_way_by_booking_sign_in_and_its_rate_limit():
    patient = PatientFactory(email="ana.lind@example.com", first_name="Ana")
    typed = "  Ana.Lind@Example.COM "
    assert email_normalized(typed) == "ana.lind@example.com"
    assert (
        booker.patient_match_or_create(first_name="Ana", last_name="Lind", email=typed) == patient
    )
    account = login_links.patient_account(email=typed)
    assert account is not None and account.patient == patient
    assert LoginLinkEmailRateThrottle(typed).email_key == (
        LoginLinkEmailRateThrottle(patient.email).email_key
    )


@pytest.mark.parametrize("mode", list(AppointmentType.Mode))
def test_texts_calendar_files_emails_and_pages_agree_on_where_a_visit_is(client, mode):
    appointment = AppointmentFactory(appointment_type=AppointmentTypeFactory(mode=mode))
    location = appointment.location
    at_the_clinic = mode == AppointmentType.Mode.IN_PERSON
    assert appointment.appointment_type.is_in_person is at_the_clinic
    text = messaging.appointment_text(appointment=appointment, kind="confirmation")
    assert (location.short_address in text) is at_the_clinic
    calendar = icalendar.Calendar.from_ical(notifications.appointment_ics(appointment=appointment))
    [event] = calendar.walk("VEVENT")
    assert (location.full_address in str(event["location"])) is at_the_clinic
    notifications.appointment_email_send(appointment_id=appointment.pk, kind="confirmation")
    assert (location.full_address in mail.outbox[-1].body) is at_the_clinic
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    page = client.get(reverse("appointment_manage", args=[token])).content.decode()
    assert (location.full_address in page) is at_the_clinic


def test_the_admin_and_the_api_offer_the_same_active_types_locations_and_therapists(
    admin_client, clinic_setup
):
    closed = LocationFactory(is_active=False)
    retired = AppointmentTypeFactory(is_active=False)
    away = therapist_with_hours(location=clinic_setup["location"], is_active=False)
    response = admin_client.get(reverse("admin:clinic_appointment_add"))
    add_form = response.context["adminform"].form
    free_times = FreeTimesForm(admin_site=admin.site)
    api = AvailabilityQuerySerializer()
    for name, inactive in [("location", closed), ("appointment_type", retired)]:
        offered = [
            set(add_form.fields[name].queryset),
            set(free_times.fields[name].queryset),
            set(api.fields[name].get_queryset()),
        ]
        assert offered[0] == offered[1] == offered[2], name
        assert inactive not in offered[0], name
    therapists = [
        set(add_form.fields["therapist"].queryset),
        set(free_times.fields["therapist"].queryset),
        set(api.fields["therapist"].get_queryset()),
    ]
    assert therapists[0] == therapists[1] == therapists[2] == {clinic_setup["therapist"]}
    assert away not in therapists[0]


def test_the_times_page_and_the_reschedule_page_choose_the_day_alike(
    client, clinic_setup, next_monday
):
    sunday = next_monday - datetime.timedelta(days=1)  # no hours on Sundays
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday + datetime.timedelta(days=14), 9),
        patient=PatientFactory(),
    )
    choice = {
        "type": clinic_setup["type"].slug,
        "location": clinic_setup["location"].slug,
        "therapist": "any",
    }
    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    pages = [
        (reverse("book_times"), choice),
        (reverse("appointment_reschedule", args=[token]), {}),
    ]
    for url, query in pages:
        asked = client.get(url, {**query, "day": next_monday.isoformat()}).context
        assert asked["selected"] == next_monday, url
        for day in (sunday.isoformat(), "someday"):
            fallback = client.get(url, {**query, "day": day}).context
            assert fallback["selected"] == next(iter(fallback["days"])), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_review_without_a_booking_in_progress_says_the_session_ended(client, method):
    response = getattr(client, method)(reverse("book_review"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [booking.SESSION_ENDED]
