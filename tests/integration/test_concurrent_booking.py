"""No double booking under real concurrency: separate threads, separate PostgreSQL connections."""

import datetime
import threading
import zoneinfo

from django.db import connection, connections

from clinic.models import Appointment
from clinic.services import BookingError, appointment_book
from clinic.services import booking as rules
from tests.factories.clinic import PatientFactory, therapist_with_hours

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
CLIENTS = 24


def fire_at_once(n, work):
    barrier = threading.Barrier(n)
    results = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            outcome = work(i)
        except BookingError as error:
            outcome = error
        except Exception as error:  # anything else is a bug the test must show
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_bookings_of_one_slot_give_exactly_one(real_services, clinic_setup, next_monday):
    assert connection.vendor == "postgresql"
    start = datetime.datetime.combine(next_monday, datetime.time(9), CHICAGO)
    patients = [PatientFactory() for _ in range(CLIENTS)]

    results = fire_at_once(
        CLIENTS,
        lambda i: appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            therapist=clinic_setup["therapist"],
            start=start,
            patient=patients[i],
        ),
    )

    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, BookingError)]
    assert len(results) == CLIENTS
    assert len(booked) == 1, results
    assert len(refused) == CLIENTS - 1
    assert {r.message for r in refused} == {rules.SLOT_TAKEN}
    assert Appointment.objects.filter(start=start).count() == 1


def test_any_therapist_races_fill_each_therapist_once(real_services, clinic_setup, next_monday):
    therapist_with_hours(location=clinic_setup["location"])
    therapist_with_hours(location=clinic_setup["location"])
    start = datetime.datetime.combine(next_monday, datetime.time(11), CHICAGO)
    patients = [PatientFactory() for _ in range(CLIENTS)]

    results = fire_at_once(
        CLIENTS,
        lambda i: appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=start,
            patient=patients[i],
        ),
    )

    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 3, results
    assert len({a.therapist_id for a in booked}) == 3
    assert all(isinstance(r, Appointment | BookingError) for r in results)


def test_a_double_submit_by_a_new_patient_never_errors(real_services, clinic_setup, next_monday):
    """Two requests for one new patient at once: one patient, no 500."""
    from clinic.models import Patient
    from clinic.services import patient_match_or_create

    results = fire_at_once(
        8,
        lambda i: patient_match_or_create(
            first_name="Dana",
            last_name="Fox",
            email="Dana.Fox@example.com" if i % 2 else "dana.fox@example.com",
            phone="+16125550999",
            date_of_birth=datetime.date(1992, 2, 2),
            sms_consent=True,
        ),
    )
    assert all(isinstance(r, Patient) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Patient.objects.filter(email__iexact="dana.fox@example.com").count() == 1


def test_sign_in_links_asked_for_at_once_make_one_account(real_services):
    from clinic.models import User
    from clinic.services.login_links import patient_account

    patient = PatientFactory(email="dana.fox@example.com")
    results = fire_at_once(8, lambda i: patient_account(email=patient.email))
    assert all(isinstance(r, User) for r in results), results
    assert len({r.pk for r in results}) == 1
    patient.refresh_from_db()
    assert patient.user_id == results[0].pk
    assert User.objects.filter(email__iexact=patient.email).count() == 1


def test_any_therapist_races_never_deadlock(real_services, clinic_setup, next_monday):
    """Bookers racing for the same therapists must queue, not wait on each other's rows.

    Two inserts that clash under the exclusion constraint, each made before the other
    committed, wait for each other: PostgreSQL breaks that after a second with an error.
    """
    for _ in range(3):
        therapist_with_hours(location=clinic_setup["location"])
    starts = [
        datetime.datetime.combine(next_monday, datetime.time(hour), CHICAGO)
        for hour in (9, 10, 11, 12, 13, 14)
    ]
    patients = [PatientFactory() for _ in range(CLIENTS)]
    for start in starts:
        results = fire_at_once(
            CLIENTS,
            lambda i, start=start: appointment_book(
                appointment_type=clinic_setup["type"],
                location=clinic_setup["location"],
                start=start,
                patient=patients[i],
            ),
        )
        assert all(isinstance(r, Appointment | BookingError) for r in results), results
        booked = [r for r in results if isinstance(r, Appointment)]
        assert len({a.therapist_id for a in booked}) == len(booked)
    assert Appointment.objects.count() == len(starts) * 4
