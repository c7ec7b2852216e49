"""A red flag on an intake reaches the clinic through a real worker on Redis and PostgreSQL."""

import time

from django.core import mail

from intake import services
from intake.forms import FORMS
from intake.models import IntakeAssessment
from tests.factories.clinic import StaffUserFactory
from tests.helpers import answers


def test_a_red_flag_emails_the_therapist_and_front_desk_through_the_worker(
    celery_worker, intake_appointment
):
    appointment, _ = intake_appointment
    desk = StaffUserFactory(email="desk@stride.example")
    intake = services.intake_for_appointment(appointment=appointment)
    for step, data in answers(red_flags=["saddle_numbness"]).items():
        form = FORMS[step](data)
        assert form.is_valid(), form.errors
        services.intake_step_save(intake=intake, step=step, data=form.to_json())

    services.intake_submit(intake=intake)  # commits; the alert is queued on commit

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(mail.outbox) < 2:
        time.sleep(0.1)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([desk.email, appointment.therapist.user.email])
    assert all("URGENT" in message.subject for message in mail.outbox)
    assert IntakeAssessment.objects.get(pk=intake.pk).is_urgent
