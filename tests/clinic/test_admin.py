import datetime
import zoneinfo

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.formatting import local_datetime
from clinic.models import Appointment, Message, User, WorkingHours
from clinic.services import appointment_book
from clinic.services import booking as rules
from clinic.services.messaging import message_queue
from tests.factories.clinic import (
    AppointmentFactory,
    PatientFactory,
    StaffUserFactory,
    UserFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
CHANGELIST = reverse("admin:clinic_appointment_changelist")
ADD = reverse("admin:clinic_appointment_add")
FREE_TIMES = reverse("admin:clinic_appointment_free_times")
HOUR = datetime.timedelta(hours=1)


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


def change_url(appointment):
    return reverse("admin:clinic_appointment_change", args=[appointment.pk])


def messages_of(response):
    return [(m.level, m.message) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def front_desk(client):
    client.force_login(StaffUserFactory())
    return client


@pytest.fixture
def booked(clinic_setup, next_monday):
    """A front-desk booking at 09:00 local on next Monday."""
    return appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=clinic_setup["therapist"],
        start=at(next_monday, 9),
        patient=PatientFactory(),
        source=Appointment.Source.FRONT_DESK,
    )


def add_form_data(setup, patient, day, time, therapist=""):
    return {
        "patient": patient.pk,
        "appointment_type": setup["type"].pk,
        "location": setup["location"].pk,
        "therapist": therapist,
        "start_0": day.isoformat(),
        "start_1": time,
        "reason_for_visit": "  Sore knee after a half marathon  ",
        "_save": "Save",
    }


# --- Who gets in ------------------------------------------------------------------------------

ROLE_TABLE = [
    # (role, url name, expected status)
    (User.Role.FRONT_DESK, "admin:clinic_appointment_changelist", 200),
    (User.Role.FRONT_DESK, "admin:clinic_appointment_add", 200),
    (User.Role.FRONT_DESK, "admin:clinic_appointment_free_times", 200),
    (User.Role.FRONT_DESK, "admin:clinic_patient_changelist", 200),
    (User.Role.FRONT_DESK, "admin:clinic_therapist_changelist", 200),
    (User.Role.FRONT_DESK, "admin:clinic_appointmenttype_changelist", 200),
    (User.Role.FRONT_DESK, "admin:clinic_timeoff_add", 200),
    (User.Role.FRONT_DESK, "admin:clinic_workinghours_add", 200),
    (User.Role.FRONT_DESK, "admin:clinic_therapist_add", 403),
    (User.Role.FRONT_DESK, "admin:clinic_user_changelist", 403),
    (User.Role.FRONT_DESK, "admin:clinic_auditevent_changelist", 403),
    # Therapists have no patients or appointments in the admin: the admin cannot filter by
    # care relationship, so their patients are in the workspace (docs/access.md).
    (User.Role.THERAPIST, "admin:clinic_appointment_changelist", 403),
    (User.Role.THERAPIST, "admin:clinic_appointment_free_times", 403),
    (User.Role.THERAPIST, "admin:clinic_appointment_add", 403),
    (User.Role.THERAPIST, "admin:clinic_patient_changelist", 403),
    (User.Role.THERAPIST, "admin:clinic_patient_add", 403),
    (User.Role.THERAPIST, "admin:clinic_auditevent_changelist", 403),
    (User.Role.THERAPIST, "admin:careplans_exercise_changelist", 200),
    (User.Role.ADMIN, "admin:clinic_appointment_changelist", 200),
    (User.Role.ADMIN, "admin:clinic_patient_changelist", 200),
    (User.Role.ADMIN, "admin:clinic_auditevent_changelist", 200),
    (User.Role.ADMIN, "admin:clinic_auditevent_add", 403),
    (User.Role.PATIENT, "admin:clinic_appointment_changelist", 302),
    (User.Role.PATIENT, "admin:clinic_appointment_free_times", 302),
]


@pytest.mark.parametrize(("role", "url_name", "expected"), ROLE_TABLE)
def test_admin_pages_by_role(client, role, url_name, expected):
    if role == User.Role.PATIENT:
        client.force_login(UserFactory(role=role))
    else:
        client.force_login(StaffUserFactory(role=role))
    response = client.get(reverse(url_name))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("admin:login"))


# --- The appointment list ---------------------------------------------------------------------


def test_changelist_shows_local_times_with_a_bounded_number_of_queries(
    front_desk, django_assert_max_num_queries
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = front_desk.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries)

    AppointmentFactory.create_batch(3)
    few = count_queries()
    AppointmentFactory.create_batch(27)
    with django_assert_max_num_queries(15):
        response = front_desk.get(CHANGELIST)
    assert count_queries() == few
    html = response.content.decode()
    assert html.count('name="_selected_action"') == 30

    first = Appointment.objects.order_by("start").first()
    assert local_datetime(first.start, CHICAGO) in html


def test_search_by_phone_in_any_format_finds_the_patient(front_desk):
    # Names of their own: Faker's random last names can coincide, and the last term is one.
    wanted = AppointmentFactory(patient=PatientFactory(phone="+16125550123", last_name="Okafor"))
    other = AppointmentFactory(patient=PatientFactory(phone="+16125550999", last_name="Lindqvist"))
    for term in ["(612) 555-0123", "612.555.0123", "0123", wanted.patient.last_name]:
        response = front_desk.get(CHANGELIST, {"q": term})
        results = list(response.context["cl"].result_list)
        assert wanted in results, term
        assert other not in results, term


def test_day_filter_uses_the_local_day(front_desk):
    today = timezone.now().astimezone(CHICAGO).date()
    today_visit = AppointmentFactory(start=at(today, 12))
    tomorrow_visit = AppointmentFactory(start=at(today + datetime.timedelta(days=1), 12))
    later_visit = AppointmentFactory(start=at(today + datetime.timedelta(days=9), 12))
    past_visit = AppointmentFactory(start=at(today - datetime.timedelta(days=1), 12))

    def listed(**query):
        return set(front_desk.get(CHANGELIST, query).context["cl"].result_list)

    assert listed(day="today") == {today_visit}
    assert listed(day="tomorrow") == {tomorrow_visit}
    assert listed(day="next7") == {today_visit, tomorrow_visit}
    assert later_visit not in listed(day="week")
    # The list opens on today onwards; "All" and the date links reach the past.
    assert listed() == {today_visit, tomorrow_visit, later_visit}
    assert past_visit in listed(day="all")
    assert past_visit in listed(start__year=str(past_visit.local_start.year))


# --- Actions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_arrived", Appointment.Status.ARRIVED),
        ("mark_completed", Appointment.Status.COMPLETED),
        ("mark_no_show", Appointment.Status.NO_SHOW),
    ],
)
def test_mark_actions_change_status_through_the_service(front_desk, booked, action, status):
    # A past start: a no-show is marked once the visit should have begun.
    Appointment.objects.filter(pk=booked.pk).update(start=timezone.now() - HOUR)
    response = front_desk.post(CHANGELIST, {"action": action, "_selected_action": [booked.pk]})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == status
    assert messages_of(response) == [
        (messages.SUCCESS, f"1 appointment marked {Appointment.Status(status).label.lower()}.")
    ]


def test_a_refused_status_change_shows_the_service_message(front_desk, booked):
    booked.status = Appointment.Status.COMPLETED
    booked.save(update_fields=["status"])
    fresh = AppointmentFactory()
    response = front_desk.post(
        CHANGELIST,
        {
            "action": "mark_no_show",
            "_selected_action": [booked.pk, fresh.pk],
            "confirm_early": "yes",
        },
    )
    booked.refresh_from_db()
    fresh.refresh_from_db()
    assert booked.status == Appointment.Status.COMPLETED
    assert fresh.status == Appointment.Status.NO_SHOW
    found = messages_of(response)
    assert (messages.SUCCESS, "1 appointment marked no-show.") in found
    refusal = rules.BAD_STATUS_CHANGE.format(current="completed", new="no-show")
    assert any(level == messages.WARNING and refusal in text for level, text in found)


def test_no_show_before_the_start_asks_first(front_desk, booked):
    selected = {"action": "mark_no_show", "_selected_action": [booked.pk]}
    asked = front_desk.post(CHANGELIST, selected)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "not started yet" in html and 'name="confirm_early" value="yes"' in html
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.BOOKED
    response = front_desk.post(CHANGELIST, {**selected, "confirm_early": "yes"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.NO_SHOW


def test_cancel_asks_first_then_cancels_with_a_reason(front_desk, booked):
    data = {"action": "cancel", "_selected_action": [booked.pk]}
    response = front_desk.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "Cancel 1 appointment?" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.BOOKED

    response = front_desk.post(
        CHANGELIST, {**data, "post": "yes", "cancellation_reason": "Called in sick"}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED
    assert booked.cancellation_reason == "Called in sick"
    assert messages_of(response) == [(messages.SUCCESS, "1 appointment cancelled.")]

    front_desk.get(CHANGELIST)  # shows, and so clears, the messages so far
    response = front_desk.post(CHANGELIST, {**data, "post": "yes"})
    [(level, text)] = messages_of(response)
    assert level == messages.WARNING
    assert text.startswith(rules.ALREADY_CANCELLED)


def test_the_front_desk_cannot_delete_an_appointment(front_desk, booked):
    delete_url = reverse("admin:clinic_appointment_delete", args=[booked.pk])
    assert front_desk.get(delete_url).status_code == 403
    assert front_desk.post(delete_url, {"post": "yes"}).status_code == 403
    actions = dict(front_desk.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert Appointment.objects.filter(pk=booked.pk).exists()


# --- Booking by phone -------------------------------------------------------------------------


def test_add_form_books_a_free_slot_through_the_service(front_desk, clinic_setup, next_monday):
    patient = PatientFactory()
    response = front_desk.post(ADD, add_form_data(clinic_setup, patient, next_monday, "10:15"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment = Appointment.objects.get()
    assert appointment.patient == patient
    assert appointment.start == at(next_monday, 10, 15)
    assert appointment.end == at(next_monday, 11)
    assert appointment.therapist == clinic_setup["therapist"]  # "any" picked the free one
    assert appointment.source == Appointment.Source.FRONT_DESK
    assert appointment.reason_for_visit == "Sore knee after a half marathon"


def test_add_form_refuses_a_taken_slot_and_saves_nothing(
    front_desk, clinic_setup, next_monday, booked
):
    data = add_form_data(
        clinic_setup, PatientFactory(), next_monday, "09:00", clinic_setup["therapist"].pk
    )
    response = front_desk.post(ADD, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert error.startswith(rules.SLOT_TAKEN)
    assert local_datetime(at(next_monday, 10), CHICAGO) in error  # the nearest free times
    assert Appointment.objects.count() == 1


def test_add_form_reads_the_start_in_the_location_time_zone(front_desk, clinic_setup, next_monday):
    location = clinic_setup["location"]
    location.time_zone = "America/New_York"
    location.save(update_fields=["time_zone"])
    response = front_desk.post(
        ADD, add_form_data(clinic_setup, PatientFactory(), next_monday, "08:00")
    )
    assert response.status_code == 302
    eastern = zoneinfo.ZoneInfo("America/New_York")
    assert Appointment.objects.get().start == datetime.datetime.combine(
        next_monday, datetime.time(8), eastern
    )


def test_add_form_is_prefilled_from_a_free_times_link(front_desk, clinic_setup, next_monday):
    patient = PatientFactory()
    response = front_desk.get(
        ADD,
        {
            "patient": patient.pk,
            "appointment_type": clinic_setup["type"].pk,
            "location": clinic_setup["location"].pk,
            "therapist": clinic_setup["therapist"].pk,
            "start": f"{next_monday.isoformat()}T08:00",
        },
    )
    form = response.context["adminform"].form
    assert form["start"].value() == datetime.datetime.combine(next_monday, datetime.time(8))
    html = response.content.decode()
    assert f'value="{next_monday.isoformat()}"' in html
    assert 'value="08:00:00"' in html
    assert str(patient) in html


# --- Moving a visit ---------------------------------------------------------------------------


def change_data(appointment, day, time, reason=None):
    return {
        "start_0": day.isoformat(),
        "start_1": time,
        "reason_for_visit": appointment.reason_for_visit if reason is None else reason,
        "_save": "Save",
        # The read-only texts inline still posts its management form.
        "messages-TOTAL_FORMS": "0",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "0",
    }


def test_change_form_moving_the_start_reschedules(front_desk, booked, next_monday):
    response = front_desk.get(change_url(booked))
    assert response.status_code == 200
    assert 'value="09:00:00"' in response.content.decode()  # local, not UTC

    response = front_desk.post(change_url(booked), change_data(booked, next_monday, "13:30"))
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.start == at(next_monday, 13, 30)
    assert booked.end == at(next_monday, 14, 15)
    assert booked.blocked_until == at(next_monday, 14, 30)
    assert Appointment.objects.count() == 1
    assert any("Moved to" in text for _, text in messages_of(response))


def test_change_form_refuses_a_clash_with_the_service_message(
    front_desk, clinic_setup, booked, next_monday
):
    other = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        therapist=clinic_setup["therapist"],
        start=at(next_monday, 11),
        patient=PatientFactory(),
        source=Appointment.Source.FRONT_DESK,
    )
    response = front_desk.post(change_url(booked), change_data(booked, next_monday, "11:00"))
    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert error.startswith(rules.SLOT_TAKEN)
    booked.refresh_from_db()
    other.refresh_from_db()
    assert booked.start == at(next_monday, 9)
    assert other.start == at(next_monday, 11)


def test_change_form_saves_notes_without_moving(front_desk, booked, next_monday):
    response = front_desk.post(
        change_url(booked), change_data(booked, next_monday, "09:00", reason="Left hip")
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.reason_for_visit == "Left hip"
    assert booked.start == at(next_monday, 9)


def test_status_is_read_only_on_the_change_form(front_desk, booked, next_monday):
    data = {**change_data(booked, next_monday, "09:00"), "status": "completed"}
    front_desk.post(change_url(booked), data)
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.BOOKED


# --- Free times -------------------------------------------------------------------------------


def test_free_times_lists_the_day_with_booking_links(
    front_desk, clinic_setup, next_monday, django_assert_max_num_queries
):
    patient = PatientFactory()
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "therapist": "",
        "day": next_monday.isoformat(),
        "patient": patient.pk,
    }
    # Session and permissions, the form's four choice lists, slot_list's two, the names.
    with django_assert_max_num_queries(18):
        response = front_desk.get(FREE_TIMES, query)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0]["time"] == "8:00 AM"
    assert rows[-1]["time"] == "4:15 PM"
    [link] = rows[0]["therapists"]
    assert link["name"] == clinic_setup["therapist"].name
    assert f"start={next_monday.isoformat()}T08%3A00" in link["add_url"]
    assert f"patient={patient.pk}" in link["add_url"]
    assert link["add_url"] in response.content.decode().replace("&amp;", "&")


def test_free_times_names_the_day_in_full(front_desk, clinic_setup):
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "day": "2030-12-09",
    }
    response = front_desk.get(FREE_TIMES, query)
    assert response.context["day_label"] == "Monday, December 9"
    assert "<h2>Monday, December 9 at NE Minneapolis</h2>" in response.content.decode()


def test_free_times_leaves_out_booked_time(front_desk, clinic_setup, next_monday, booked):
    query = {
        "appointment_type": clinic_setup["type"].pk,
        "location": clinic_setup["location"].pk,
        "day": next_monday.isoformat(),
    }
    times = [row["time"] for row in front_desk.get(FREE_TIMES, query).context["rows"]]
    assert "8:00 AM" in times
    assert "9:00 AM" not in times  # booked 9:00-9:45 plus the 15-minute buffer
    assert "10:00 AM" in times


def test_changelist_links_to_free_times(front_desk):
    assert f'href="{FREE_TIMES}"' in front_desk.get(CHANGELIST).content.decode()


# --- Patients and the schedule ----------------------------------------------------------------


def test_patient_page_lists_their_appointments_read_only(front_desk, booked, next_monday):
    url = reverse("admin:clinic_patient_change", args=[booked.patient.pk])
    html = front_desk.get(url).content.decode()
    assert booked.appointment_type.name in html
    assert local_datetime(at(next_monday, 9), CHICAGO) in html
    assert change_url(booked) in html


def test_working_hours_overlap_is_refused(front_desk, clinic_setup):
    therapist = clinic_setup["therapist"]
    response = front_desk.post(
        reverse("admin:clinic_workinghours_add"),
        {
            "therapist": therapist.pk,
            "location": clinic_setup["location"].pk,
            "weekday": 0,
            "start_time": "16:00",
            "end_time": "18:00",
        },
    )
    assert response.status_code == 200
    assert "This overlaps another block" in str(response.context["adminform"].form.errors)


def test_therapist_inline_refuses_overlapping_new_blocks(admin_client, clinic_setup):
    therapist = clinic_setup["therapist"]
    WorkingHours.objects.filter(therapist=therapist).delete()
    existing = WorkingHoursFactory(
        therapist=therapist, location=clinic_setup["location"], weekday=5
    )
    prefix = "hours"
    data = {
        "user": therapist.user.pk,
        "credentials": therapist.credentials,
        "locations": [clinic_setup["location"].pk],
        "is_active": "on",
        f"{prefix}-TOTAL_FORMS": 3,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-0-id": existing.pk,
        f"{prefix}-0-therapist": therapist.pk,
        f"{prefix}-0-location": clinic_setup["location"].pk,
        f"{prefix}-0-weekday": 5,
        f"{prefix}-0-start_time": "08:00",
        f"{prefix}-0-end_time": "17:00",
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
    }
    for n in (1, 2):
        data.update(
            {
                f"{prefix}-{n}-therapist": therapist.pk,
                f"{prefix}-{n}-location": clinic_setup["location"].pk,
                f"{prefix}-{n}-weekday": 1,
                f"{prefix}-{n}-start_time": f"{8 + n}:00",
                f"{prefix}-{n}-end_time": f"{12 + n}:00",
            }
        )
    url = reverse("admin:clinic_therapist_change", args=[therapist.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Two blocks on Tuesday overlap" in response.content.decode()
    assert WorkingHours.objects.filter(therapist=therapist).count() == 1


# --- Texts ------------------------------------------------------------------------------------


def test_resend_queues_again_only_the_failed_and_undelivered_texts(front_desk, sms_outbox):
    patient = PatientFactory()
    texts = {}
    for status in [Message.Status.FAILED, Message.Status.UNDELIVERED, Message.Status.SENT]:
        message, _ = message_queue(
            kind=Message.Kind.REPLY, patient=patient, dedupe_key=f"resend:{status}", body="Hi"
        )
        Message.objects.filter(pk=message.pk).update(status=status, attempts=3)
        texts[status] = message.pk
    response = front_desk.post(
        reverse("admin:clinic_message_changelist"),
        {"action": "resend", "_selected_action": list(texts.values())},
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        (messages.SUCCESS, "2 text(s) queued again."),
        (messages.WARNING, "1 text(s) were not failed, so not resent."),
    ]
    assert len(sms_outbox) == 2
    statuses = dict(Message.objects.filter(pk__in=texts.values()).values_list("pk", "status"))
    assert statuses[texts[Message.Status.FAILED]] == Message.Status.SENT
    assert statuses[texts[Message.Status.UNDELIVERED]] == Message.Status.SENT
    assert statuses[texts[Message.Status.SENT]] == Message.Status.SENT
    assert Message.objects.get(pk=texts[Message.Status.SENT]).attempts == 3


def test_only_a_superuser_may_delete_a_text(client):
    message, _ = message_queue(
        kind=Message.Kind.REPLY, patient=PatientFactory(), dedupe_key="delete", body="Hi"
    )
    delete_url = reverse("admin:clinic_message_delete", args=[message.pk])
    client.force_login(StaffUserFactory())
    assert client.get(delete_url).status_code == 403
    client.force_login(StaffUserFactory(role=User.Role.ADMIN, is_superuser=True))
    assert client.get(delete_url).status_code == 200
