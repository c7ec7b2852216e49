"""The front desk and dependents: "Book for a caller" for someone the caller cares for, and
adding a dependent to a patient from the patient's page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.forms import FOR_DEPENDENT
from clinic.models import Appointment, Patient
from clinic.services.booking import DEPENDENT_BIRTH_DATE_MISSING
from tests.factories.clinic import StaffUserFactory

pytestmark = pytest.mark.django_db
BOOK_CALLER = reverse("admin:clinic_appointment_book_caller")
SAM_BORN = timezone.localdate() - datetime.timedelta(days=365 * 7)


@pytest.fixture
def front_desk(client):
    client.force_login(StaffUserFactory())
    return client


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
        "for_whom": FOR_DEPENDENT,
        "dependent_first_name": "Sam",
        "dependent_last_name": "Okafor",
        "dependent_date_of_birth": SAM_BORN.isoformat(),
        **extra,
    }


def test_the_caller_form_asks_who_the_visit_is_for(front_desk):
    html = front_desk.get(BOOK_CALLER).content.decode()
    assert "Who is this appointment for?" in html
    for name in ("dependent_first_name", "dependent_last_name", "dependent_date_of_birth"):
        assert html.count(f'name="{name}"') == 1
    assert html.count('name="first_name"') == 1


def test_a_caller_books_for_a_child_under_their_own_record(
    front_desk, clinic_setup, next_monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday))
    assert response.status_code == 302
    appointment = Appointment.objects.select_related("patient__guardian").get()
    sam, robin = appointment.patient, appointment.patient.guardian
    assert (sam.first_name, sam.date_of_birth, sam.email) == ("Sam", SAM_BORN, "")
    assert (robin.first_name, robin.email) == ("Robin", "robin@example.com")
    assert appointment.source == Appointment.Source.FRONT_DESK
    (email,) = mail.outbox
    assert email.to == ["robin@example.com"] and email.body.startswith("Hi Robin,")
    assert "Sam's appointment is booked." in email.body
    # The same caller and child again: the same two records.
    front_desk.post(BOOK_CALLER, caller_data(clinic_setup, next_monday, "10:00"))
    assert Patient.objects.count() == 2
    assert set(Appointment.objects.values_list("patient", flat=True)) == {sam.pk}


def test_a_caller_without_the_childs_date_of_birth_is_told_and_keeps_what_was_typed(
    front_desk, clinic_setup, next_monday
):
    bad = front_desk.post(
        BOOK_CALLER, caller_data(clinic_setup, next_monday, dependent_date_of_birth="")
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and DEPENDENT_BIRTH_DATE_MISSING in html
    assert 'value="Sam"' in html and 'value="robin@example.com"' in html
    assert not Appointment.objects.exists() and not Patient.objects.exists()
