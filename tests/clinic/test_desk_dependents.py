"""The front desk and dependents: "Book for a caller" for someone the caller cares for, and
adding a dependent to a patient from the patient's page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.forms import FOR_DEPENDENT
from clinic.models import Appointment, AuditEvent, Patient
from clinic.services.booker import DEPENDENT_BIRTH_DATE_MISSING
from tests.factories.clinic import DependentFactory, PatientFactory, StaffUserFactory

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


# --- Adding a dependent from the patient's page --------------------------------------------------


def add_url(patient):
    return reverse("admin:clinic_patient_add_dependent", args=[patient.pk])


def test_the_desk_adds_a_dependent_to_a_patient_and_it_is_audited(front_desk):
    robin = PatientFactory(first_name="Robin", email="robin@example.com")
    page = front_desk.get(reverse("admin:clinic_patient_change", args=[robin.pk])).content
    assert add_url(robin).encode() in page and b"Add someone they care for" in page
    assert front_desk.get(add_url(robin)).status_code == 200
    data = {"first_name": "Sam", "last_name": "Okafor", "date_of_birth": SAM_BORN.isoformat()}
    response = front_desk.post(add_url(robin), data)
    sam = Patient.objects.get(guardian=robin)
    assert response.status_code == 302
    assert response.url == reverse("admin:clinic_patient_change", args=[sam.pk])
    assert (sam.first_name, sam.last_name, sam.date_of_birth, sam.email) == (
        "Sam",
        "Okafor",
        SAM_BORN,
        "",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, patient=sam)
    assert event.object_id == str(sam.pk) and event.user_id is not None
    assert "guardian" in event.changed_fields
    # The same child again is the same record, and nothing new is audited as made.
    front_desk.post(add_url(robin), {**data, "first_name": "sam"})
    assert Patient.objects.filter(guardian=robin).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, patient=sam).count() == 1


def test_adding_a_dependent_uses_the_booking_rules_and_keeps_what_was_typed(front_desk):
    robin = PatientFactory(first_name="Robin")
    bad = front_desk.post(add_url(robin), {"first_name": "Sam", "last_name": "Okafor"})
    assert bad.status_code == 400
    assert DEPENDENT_BIRTH_DATE_MISSING in bad.content.decode() and b'value="Sam"' in bad.content
    assert not Patient.objects.filter(guardian=robin).exists()


def test_a_dependent_cannot_be_given_dependents(front_desk):
    sam = DependentFactory()
    page = front_desk.get(reverse("admin:clinic_patient_change", args=[sam.pk])).content
    assert add_url(sam).encode() not in page
    refused = front_desk.post(
        add_url(sam), {"first_name": "Ali", "last_name": "B", "date_of_birth": "2020-01-01"}
    )
    assert refused.status_code == 400 and not Patient.objects.filter(guardian=sam).exists()


def test_a_therapist_cannot_add_a_dependent_through_the_admin(client):
    robin = PatientFactory()
    client.force_login(StaffUserFactory(role="therapist", is_staff=True))
    response = client.post(
        add_url(robin), {"first_name": "Sam", "last_name": "B", "date_of_birth": "2020-01-01"}
    )
    assert response.status_code in (403, 404)
    assert not Patient.objects.filter(guardian=robin).exists()
