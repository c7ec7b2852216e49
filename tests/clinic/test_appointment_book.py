import datetime
import zoneinfo

import pytest
from django.core import mail

from clinic.models import Appointment, Patient
from clinic.services import (
    BookingError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    patient_match_or_create,
)
from clinic.services import booking as rules
from tests.factories.clinic import LocationFactory, PatientFactory, therapist_with_hours

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


def book(setup, start, **kwargs):
    kwargs.setdefault("patient", PatientFactory())
    return appointment_book(
        appointment_type=setup["type"], location=setup["location"], start=start, **kwargs
    )


def test_books_a_free_slot_and_emails_a_calendar_file(
    clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(clinic_setup, at(next_monday, 9))
    assert appointment.therapist == clinic_setup["therapist"]
    assert appointment.end - appointment.start == datetime.timedelta(minutes=45)
    assert appointment.blocked_until - appointment.end == datetime.timedelta(minutes=15)
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start == at(next_monday, 9)
    [email] = mail.outbox
    assert email.to == [appointment.patient.email]
    assert "is booked" in email.subject
    [(filename, ics, mimetype)] = email.attachments
    assert filename == "appointment.ics"
    assert mimetype == "text/calendar"
    assert f"UID:appointment-{appointment.pk}@stride" in ics
    assert "/appointments/" in email.body


def test_the_same_time_twice_is_refused_with_nearest_free_times(clinic_setup, next_monday):
    book(clinic_setup, at(next_monday, 9), therapist=clinic_setup["therapist"])
    with pytest.raises(BookingError) as caught:
        book(clinic_setup, at(next_monday, 9), therapist=clinic_setup["therapist"])
    assert caught.value.message == rules.SLOT_TAKEN
    assert caught.value.code == "taken"
    alternatives = [a.start.astimezone(CHICAGO) for a in caught.value.alternatives]
    assert at(next_monday, 8) in alternatives or at(next_monday, 10) in alternatives
    assert Appointment.objects.count() == 1


def test_overlapping_the_buffer_is_refused(clinic_setup, next_monday):
    book(clinic_setup, at(next_monday, 9))  # blocks 09:00-10:00
    with pytest.raises(BookingError, match="just taken"):
        book(clinic_setup, at(next_monday, 9, 45))


def test_any_therapist_assigns_the_least_busy(clinic_setup, next_monday):
    second = therapist_with_hours(location=clinic_setup["location"])
    first = book(clinic_setup, at(next_monday, 9))
    again = book(clinic_setup, at(next_monday, 9))
    assert {first.therapist, again.therapist} == {clinic_setup["therapist"], second}
    with pytest.raises(BookingError, match="just taken"):
        book(clinic_setup, at(next_monday, 9))


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda day: at(day, 9, 7), rules.SLOT_UNAVAILABLE),  # off the 15-minute grid
        (lambda day: at(day, 18), rules.SLOT_UNAVAILABLE),  # after hours
        (lambda day: at(day - datetime.timedelta(days=2), 9), rules.SLOT_UNAVAILABLE),  # Sat
        (lambda day: at(day - datetime.timedelta(days=400), 9), rules.SLOT_IN_PAST),
        (lambda day: at(day + datetime.timedelta(days=90), 9), rules.SLOT_TOO_FAR.format(days=60)),
    ],
)
def test_only_offered_starts_can_be_booked(clinic_setup, next_monday, when, message):
    with pytest.raises(BookingError) as caught:
        book(clinic_setup, when(next_monday))
    assert caught.value.message == message
    assert not Appointment.objects.exists()


def test_too_little_notice_is_refused(clinic_setup, next_monday):
    now = at(next_monday, 8)
    with pytest.raises(BookingError) as caught:
        book(clinic_setup, at(next_monday, 12), now=now)
    assert caught.value.message == rules.SLOT_TOO_SOON.format(hours=12)


def test_front_desk_may_book_short_notice_but_never_double(clinic_setup, next_monday):
    now = at(next_monday, 8)
    appointment = book(clinic_setup, at(next_monday, 12), now=now, source="front_desk")
    assert appointment.source == "front_desk"
    with pytest.raises(BookingError, match="just taken"):
        book(clinic_setup, at(next_monday, 12), now=now, source="front_desk")


def test_types_not_bookable_online_are_refused(clinic_setup, next_monday):
    clinic_setup["type"].online_bookable = False
    clinic_setup["type"].save()
    with pytest.raises(BookingError, match="calling the clinic"):
        book(clinic_setup, at(next_monday, 9))


def test_a_therapist_from_another_location_is_refused(clinic_setup, next_monday):
    stranger = therapist_with_hours(location=LocationFactory())
    with pytest.raises(BookingError) as caught:
        book(clinic_setup, at(next_monday, 9), therapist=stranger)
    assert caught.value.message == rules.THERAPIST_NOT_HERE


def test_a_returning_patient_is_matched_by_email_and_first_name_and_left_unchanged():
    first = patient_match_or_create(
        first_name="Ana",
        last_name="Ruiz",
        email="Ana.Ruiz@Example.com",
        phone="+16125550111",
        date_of_birth=datetime.date(1990, 1, 2),
    )
    again = patient_match_or_create(
        first_name="ana",
        last_name="Lind",
        email="ana.ruiz@example.com",
        phone="+16125550999",
        date_of_birth=datetime.date(1991, 1, 1),
        sms_consent=True,
    )
    assert again.pk == first.pk
    assert Patient.objects.count() == 1
    again.refresh_from_db()
    # A booking proves nothing: the record's phone, birth date and consent stay as they were.
    assert (again.phone, again.date_of_birth) == ("+16125550111", datetime.date(1990, 1, 2))
    assert not again.sms_consent
    assert again.email == "ana.ruiz@example.com"
    assert again.user is None  # the account is made when they first ask to sign in


def test_the_same_phone_and_name_with_another_email_is_a_possible_duplicate():
    """Finding 2: a look-alike booked first; the real patient's booking is not matched to it."""
    look_alike = patient_match_or_create(
        first_name="Ana", last_name="Ruiz", email="someone@else.example", phone="+16125550111"
    )
    real = patient_match_or_create(
        first_name="ana", last_name="RUIZ ", email="ana@work.example", phone="+16125550111"
    )
    assert real.pk != look_alike.pk
    assert real.email == "ana@work.example"
    assert real.possible_duplicate_of == look_alike
    look_alike.refresh_from_db()
    assert look_alike.email == "someone@else.example"


def test_a_shared_email_under_another_first_name_is_someone_else():
    """Finding 4: a parent booking a child with the parent's own email."""
    parent = patient_match_or_create(first_name="Ana", last_name="Ruiz", email="ana@example.com")
    child = patient_match_or_create(
        first_name="Mateo",
        last_name="Ruiz",
        email="ANA@example.com",
        date_of_birth=datetime.date(2012, 6, 1),
    )
    assert child.pk != parent.pk
    assert (child.first_name, child.email) == ("Mateo", "ana@example.com")
    assert child.possible_duplicate_of == parent
    # The parent's own bookings still find the parent.
    assert (
        patient_match_or_create(first_name="Ana", last_name="Ruiz", email="ana@example.com")
        == parent
    )


def test_a_shared_phone_does_not_make_two_people_one_patient():
    parent = patient_match_or_create(
        first_name="Ana",
        last_name="Ruiz",
        email="ana.ruiz@example.com",
        phone="+16125550111",
        date_of_birth=datetime.date(1980, 1, 2),
    )
    child = patient_match_or_create(
        first_name="Mateo",
        last_name="Ruiz",
        email="mateo.ruiz@example.com",
        phone="+16125550111",
        date_of_birth=datetime.date(2009, 6, 1),
    )
    namesake = patient_match_or_create(
        first_name="Ana",
        last_name="Berg",
        email="ana.berg@example.com",
        phone="+16125550111",
        date_of_birth=datetime.date(1975, 3, 4),
    )
    assert len({parent.pk, child.pk, namesake.pk}) == 3
    child.refresh_from_db()
    assert (child.first_name, child.phone) == ("Mateo", "+16125550111")
    assert parent.date_of_birth == datetime.date(1980, 1, 2)


def test_reschedule_moves_the_visit_and_frees_the_old_time(
    clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    appointment = book(clinic_setup, at(next_monday, 9))
    with django_capture_on_commit_callbacks(execute=True):
        moved = appointment_reschedule(appointment=appointment, start=at(next_monday, 14))
    assert moved.pk == appointment.pk
    assert moved.start == at(next_monday, 14)
    assert "has moved" in mail.outbox[0].subject
    assert book(clinic_setup, at(next_monday, 9)).pk != appointment.pk


def test_reschedule_onto_a_taken_time_is_refused(clinic_setup, next_monday):
    appointment = book(clinic_setup, at(next_monday, 9))
    book(clinic_setup, at(next_monday, 14))
    with pytest.raises(BookingError, match="just taken"):
        appointment_reschedule(appointment=appointment, start=at(next_monday, 14))
    appointment.refresh_from_db()
    assert appointment.start == at(next_monday, 9)


def test_reschedule_within_its_own_buffer_is_allowed(clinic_setup, next_monday):
    appointment = book(clinic_setup, at(next_monday, 9))
    moved = appointment_reschedule(appointment=appointment, start=at(next_monday, 9, 30))
    assert moved.start == at(next_monday, 9, 30)


def test_late_changes_go_through_the_phone(clinic_setup, next_monday):
    appointment = book(clinic_setup, at(next_monday, 9))
    late = at(next_monday, 9) - datetime.timedelta(hours=20)
    with pytest.raises(BookingError) as caught:
        appointment_cancel(appointment=appointment, now=late)
    assert caught.value.message == rules.LATE_CHANGE.format(hours=24, phone="(612) 555-0142")
    with pytest.raises(BookingError, match="call us"):
        appointment_reschedule(appointment=appointment, start=at(next_monday, 14), now=late)
    # The front desk may still cancel.
    appointment_cancel(appointment=appointment, by_patient=False, now=late)


def test_cancel_frees_the_time_and_is_not_repeated(
    clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    appointment = book(clinic_setup, at(next_monday, 9))
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = appointment_cancel(appointment=appointment, reason="  Feeling better ")
    assert cancelled.status == Appointment.Status.CANCELLED
    assert cancelled.cancellation_reason == "Feeling better"
    assert "cancelled" in mail.outbox[-1].subject
    assert "METHOD:CANCEL" in mail.outbox[-1].attachments[0][1]
    with pytest.raises(BookingError) as caught:
        appointment_cancel(appointment=appointment)
    assert caught.value.message == rules.ALREADY_CANCELLED
    assert book(clinic_setup, at(next_monday, 9)).status == Appointment.Status.BOOKED


def test_status_changes_follow_the_visit(clinic_setup, next_monday):
    appointment = book(clinic_setup, at(next_monday, 9))
    assert appointment_mark(appointment=appointment, status="arrived").status == "arrived"
    assert appointment_mark(appointment=appointment, status="completed").status == "completed"
    with pytest.raises(BookingError) as caught:
        appointment_mark(appointment=appointment, status="no_show")
    assert caught.value.message == rules.BAD_STATUS_CHANGE.format(
        current="completed", new="no-show"
    )


def test_database_refuses_overlap_even_when_the_service_is_bypassed(
    clinic_setup, next_monday, django_db_blocker
):
    """PostgreSQL's exclusion constraint is the last line; SQLite relies on the service."""
    from django.db import IntegrityError, connection, transaction

    from tests.factories.clinic import AppointmentFactory

    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    kwargs = {
        "therapist": clinic_setup["therapist"],
        "location": clinic_setup["location"],
        "appointment_type": clinic_setup["type"],
    }
    AppointmentFactory(start=at(next_monday, 9), **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(start=at(next_monday, 9, 30), **kwargs)
    AppointmentFactory(start=at(next_monday, 9, 30), status="cancelled", **kwargs)
    AppointmentFactory(start=at(next_monday, 10), **kwargs)  # half-open: touching is fine


def test_a_completed_visit_cannot_be_moved(clinic_setup, next_monday):
    appointment = book(clinic_setup, at(next_monday, 9))
    appointment_mark(appointment=appointment, status="completed")
    with pytest.raises(BookingError) as caught:
        appointment_reschedule(appointment=appointment, start=at(next_monday, 14), by_patient=False)
    assert caught.value.message == rules.NOT_CHANGEABLE


def test_front_desk_alternatives_include_same_day_times(clinic_setup, next_monday):
    now = at(next_monday, 8)
    book(clinic_setup, at(next_monday, 10), now=now, source="front_desk")
    with pytest.raises(BookingError) as caught:
        book(clinic_setup, at(next_monday, 10), now=now, source="front_desk")
    days = {a.start.astimezone(CHICAGO).date() for a in caught.value.alternatives}
    assert next_monday in days
