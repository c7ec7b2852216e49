"""The waitlist for someone one cares for: joined from the times page with the booking details
step's "Me / someone I care for"; the offers go to the guardian; the visit is the dependent's."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from clinic.forms import FOR_DEPENDENT
from clinic.models import Appointment, Patient
from clinic.models_scheduling import WaitlistEntry
from clinic.services import appointment_cancel
from clinic.services.booker import DEPENDENT_BIRTH_DATE_MISSING
from clinic.services.replies import inbound_handle
from tests.factories.clinic import AppointmentFactory

pytestmark = pytest.mark.django_db
GUARDIAN_PHONE = "+16125550177"


@pytest.fixture
def always_sending(settings):
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0


def query(setup):
    return f"type={setup['type'].slug}&location={setup['location'].slug}&therapist=any"


def join_form(day, **changes):
    data = {
        "earliest_date": day.isoformat(),
        "latest_date": (day + datetime.timedelta(days=5)).isoformat(),
        "for_whom": FOR_DEPENDENT,
        "dependent_first_name": "Sam",
        "dependent_last_name": "Ames",
        "dependent_date_of_birth": (
            timezone.localdate() - datetime.timedelta(days=3000)
        ).isoformat(),
        "first_name": "Robin",
        "last_name": "Ames",
        "email": "robin.ames@example.com",
        "phone": "(612) 555-0177",
        "sms_consent": "on",
    }
    data.update(changes)
    return data


def test_the_join_page_asks_who_it_is_for_with_the_booking_rules(client, clinic_setup, next_monday):
    url = f"/book/waitlist/?{query(clinic_setup)}"
    page = client.get(url).content.decode()
    assert "Who is this appointment for?" in page and 'id="dependent-fields"' in page
    bad = client.post(url, join_form(next_monday, dependent_date_of_birth=""))
    assert bad.status_code == 400
    assert DEPENDENT_BIRTH_DATE_MISSING in bad.content.decode()
    assert b'value="Sam"' in bad.content and b"robin.ames@example.com" in bad.content
    assert not WaitlistEntry.objects.exists() and not Patient.objects.exists()


def test_joining_for_a_dependent_files_the_entry_under_their_own_record(
    client, clinic_setup, next_monday
):
    url = f"/book/waitlist/?{query(clinic_setup)}"
    response = client.post(url, join_form(next_monday))
    assert response.status_code == 200
    assert "You're on the waitlist for Sam, Robin." in response.content.decode()
    entry = WaitlistEntry.objects.select_related("patient__guardian").get()
    sam, robin = entry.patient, entry.patient.guardian
    assert (sam.first_name, sam.email, robin.first_name) == ("Sam", "", "Robin")
    assert (entry.first_name, entry.email) == ("Robin", "robin.ames@example.com")
    # Joining again for the same child finds the same record (the booking's matching).
    client.post(url, join_form(next_monday))
    assert set(WaitlistEntry.objects.values_list("patient", flat=True)) == {sam.pk}
    assert Patient.objects.count() == 2


def test_an_offer_for_a_dependent_goes_to_the_guardian_and_books_the_dependents_visit(
    client,
    clinic_setup,
    next_monday,
    sms_outbox,
    always_sending,
    django_capture_on_commit_callbacks,
):
    tuesday = next_monday + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tuesday, datetime.time(10), clinic_setup["location"].zone)
    taken = AppointmentFactory(
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
        start=start,
    )
    client.post(f"/book/waitlist/?{query(clinic_setup)}", join_form(next_monday))
    entry = WaitlistEntry.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=taken, by_patient=False)

    (offer_text,) = [s for s in sms_outbox if "opened up" in s["body"]]
    assert offer_text["to"] == GUARDIAN_PHONE and "opened up for Sam" in offer_text["body"]
    (offer_email,) = [m for m in mail.outbox if "A time opened up" in m.subject]
    assert offer_email.to == ["robin.ames@example.com"]
    assert offer_email.body.startswith("Hi Robin,") and "asked about for Sam" in offer_email.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = inbound_handle(from_number=GUARDIAN_PHONE, body="Y")
    assert "it's yours" in reply
    visit = Appointment.objects.get(status="booked", start=start)
    assert visit.patient == entry.patient and visit.source == Appointment.Source.WAITLIST
    confirmation = [m for m in mail.outbox if "is booked" in m.subject]
    assert [m.to for m in confirmation] == [["robin.ames@example.com"]]
    assert confirmation[0].body.startswith("Hi Robin,")
    assert "Sam's appointment is booked." in confirmation[0].body
