"""Mail about a dependent's visit is read by their guardian: it greets the guardian and names
the dependent ("Hi Robin, Sam's appointment is booked"), and prints nothing stored about a
record the booking was matched to."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from careplans import services as careplan_services
from careplans.models import CarePlan
from clinic.models import Appointment, Message, Patient
from clinic.services.booker import DependentDetails, PatientDetails
from clinic.services.booking import appointment_book
from clinic.services.messaging import appointment_text
from clinic.services.notifications import appointment_email_send
from intake.services.reassessment import reassessment_request_create
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import DependentFactory, PatientUserFactory, TherapistFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
ROBIN_EMAIL = "robin.ames@example.com"


def at(day, hh):
    return datetime.datetime.combine(day, datetime.time(hh), CHICAGO)


@pytest.fixture
def robin():
    return PatientUserFactory(
        first_name="Robin",
        last_name="Storedname",
        email=ROBIN_EMAIL,
        phone="+16125550188",
        sms_consent=True,
        date_of_birth=datetime.date(1980, 3, 14),
    )


@pytest.fixture
def sam_visit(clinic_setup, next_monday, robin, django_capture_on_commit_callbacks):
    sam = DependentFactory(guardian=robin, first_name="Sam", last_name="Ames")
    with django_capture_on_commit_callbacks(execute=True):
        return appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=at(next_monday, 9),
            patient=sam,
            source=Appointment.Source.FRONT_DESK,
        )


def assert_addresses_robin_about_sam(body: str) -> None:
    assert body.startswith(("Hi Robin,", "Hello Robin,")), body[:80]
    assert "Sam" in body
    assert "Hi Sam" not in body and "Hello Sam" not in body


@pytest.mark.parametrize("kind", ["confirmation", "reschedule", "cancellation", "intake"])
def test_each_visit_email_greets_the_guardian_and_names_the_dependent(sam_visit, kind):
    mail.outbox.clear()
    appointment_email_send(appointment_id=sam_visit.pk, kind=kind)
    (email,) = mail.outbox
    assert email.to == [ROBIN_EMAIL]
    assert_addresses_robin_about_sam(email.body)
    assert email.subject.startswith("Sam's ")
    assert "Your " not in email.subject


def test_the_confirmation_says_whose_appointment_it_is(sam_visit):
    body = mail.outbox[0].body
    assert "Sam's appointment is booked." in body
    assert "Your appointment" not in body


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (Message.Kind.CONFIRMATION, "Sam is booked for"),
        (Message.Kind.REMINDER, "reminder of Sam's "),
        (Message.Kind.RESCHEDULE, "Sam's "),
        (Message.Kind.CANCELLATION, "Sam's "),
        (Message.Kind.INTAKE_REQUEST, "please fill in Sam's intake"),
        (Message.Kind.LINK_RESENT, "Sam's "),
    ],
)
def test_each_visit_text_names_the_dependent(sam_visit, kind, words):
    text = appointment_text(appointment=sam_visit, kind=kind)
    assert words in text
    assert " your " not in text and "you're" not in text


def test_a_patients_own_mail_keeps_its_words(clinic_setup, next_monday, robin):
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=at(next_monday, 10),
        patient=robin,
        source=Appointment.Source.FRONT_DESK,
        notify=False,
    )
    appointment_email_send(appointment_id=appointment.pk, kind="confirmation")
    body = mail.outbox[-1].body
    assert body.startswith("Hi Robin,") and "Your appointment is booked." in body
    assert "you're booked for" in appointment_text(appointment=appointment, kind="confirmation")


def test_an_online_booking_for_a_child_prints_only_what_was_typed(
    clinic_setup, next_monday, robin, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            start=at(next_monday, 9),
            patient=PatientDetails(
                first_name="Robin",
                last_name="Ames",
                email=ROBIN_EMAIL,
                phone="(612) 555-0199",
                sms_consent=True,
                dependent=DependentDetails(
                    first_name="Sam",
                    last_name="Ames",
                    date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 8),
                ),
            ),
        )
    assert appointment.patient.guardian == robin  # matched on the email and first name
    (email,) = mail.outbox
    assert_addresses_robin_about_sam(email.body)
    texts = " ".join(m["body"] for m in sms_outbox)
    for stored in ("Storedname", "555-0188", "5550188", "1980"):
        assert stored not in email.body and stored not in email.subject and stored not in texts


def test_the_reassessment_email_asks_the_guardian_about_the_dependent(
    robin, django_capture_on_commit_callbacks
):
    sam = DependentFactory(guardian=robin, first_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        reassessment_request_create(patient=sam, therapist=TherapistFactory())
    (email,) = mail.outbox
    assert email.to == [ROBIN_EMAIL]
    assert_addresses_robin_about_sam(email.body)
    assert "how Sam is getting on" in email.body


def test_the_plan_published_email_greets_the_guardian(robin):
    sam = DependentFactory(guardian=robin, first_name="Sam")
    plan = plan_with_items(status=CarePlan.Status.ACTIVE, patient=sam)
    assert careplan_services.careplan_published_email_send(plan_id=plan.pk)
    (email,) = mail.outbox
    assert email.to == [ROBIN_EMAIL]
    assert_addresses_robin_about_sam(email.body)
    assert "Sam's exercise plan" in email.body
    assert Patient.objects.filter(pk=sam.pk, guardian=robin).exists()


def test_the_exercise_reminder_email_goes_to_the_guardian_about_the_dependent(clinic_setup, robin):
    from careplans import reminders
    from tests.factories.clinic import AppointmentFactory

    evening = datetime.datetime(2026, 12, 9, 18, 30, tzinfo=CHICAGO)  # a Wednesday
    sam = DependentFactory(guardian=robin, first_name="Sam")
    AppointmentFactory(
        patient=sam,
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
    )
    plan = plan_with_items(
        patient=sam,
        status=CarePlan.Status.ACTIVE,
        start_date=evening.date() - datetime.timedelta(days=14),
    )
    reminders.reminder_save(
        plan=plan,
        days=(0, 2, 4),
        local_time=datetime.time(18),
        channel="email",
        now=evening - datetime.timedelta(days=7),
    )
    result = reminders.reminder_sweep(now=evening)
    assert reminders.reminder_email_send(day_id=result.email_day_ids[0])
    (email,) = mail.outbox
    assert email.to == [ROBIN_EMAIL]
    assert_addresses_robin_about_sam(email.body)
    assert "time for Sam's exercises today" in email.body
