"""The alert says only that an intake at the clinic needs attention today, with a link: the
review page for the therapist, the intake list for the front desk. No health information."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from clinic import links
from clinic.models import User
from intake.models import UrgentAlert
from intake.services import alerts
from intake.services import questionnaire as services
from tests.factories.clinic import StaffUserFactory, UserFactory
from tests.helpers import health_information_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent(intake_appointment):
    """An intake with every cauda equina flag and several serious ones, never sent."""
    appointment, _ = intake_appointment
    intake = services.intake_for_appointment(appointment=appointment)
    raw = {
        code: "yes"
        for code in ("bladder", "bowel", "saddle_numbness", "cancer_history", "iv_drug_use")
    }
    return services.intake_draft_save(intake=intake, step="red_flags", raw=raw)


def send(intake) -> list:
    alerts.urgent_alert_send(alert_id=UrgentAlert.objects.get(intake=intake).pk)
    return mail.outbox


def test_the_therapist_gets_the_review_link_and_the_desk_the_list(urgent):
    desk = StaffUserFactory(email="desk@stride.example")
    StaffUserFactory(email="gone@stride.example", is_active=False)
    UserFactory(role=User.Role.PATIENT, email="someone@example.com")
    therapist = urgent.appointment.therapist.user
    to_therapist, to_desk = send(urgent)

    assert to_therapist.to == [therapist.email]
    assert to_therapist.subject == alerts.ALERT_SUBJECT
    assert to_therapist.body == alerts.ALERT_BODY.format(
        clinic=settings.CLINIC_NAME,
        link=links.absolute(reverse("intake:review", args=[urgent.pk])),
    )
    assert to_desk.to == [desk.email]
    assert to_desk.subject == alerts.ALERT_SUBJECT
    assert to_desk.body == alerts.ALERT_BODY.format(
        clinic=settings.CLINIC_NAME, link=links.absolute(reverse("intake:list"))
    )


def test_no_health_information_in_subject_or_body(urgent):
    StaffUserFactory(email="desk@stride.example")
    appointment = urgent.appointment
    for message in send(urgent):
        text = f"{message.subject}\n{message.body}"
        assert health_information_in(text, urgent.patient) == []
        assert appointment.therapist.user.last_name not in text
        assert appointment.location.name not in text
        assert str(appointment.start.day) not in message.subject


def test_the_health_check_finds_what_the_old_alert_said(urgent):
    """The check above can fail: it finds the name and the words the alert used to carry."""
    patient = urgent.patient
    old = (
        f"URGENT intake: red flag for {patient.full_name}\n"
        "reported a red flag on their intake: possible cauda equina syndrome"
    )
    found = health_information_in(old, patient)
    assert {patient.first_name, patient.last_name, "red flag", "cauda"} <= set(found)
