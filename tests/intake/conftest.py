import datetime

import pytest

from clinic import links
from tests.factories import AppointmentFactory, AppointmentTypeFactory, PatientFactory


@pytest.fixture
def intake_appointment(db, clinic_setup, next_monday):
    """A booked initial evaluation that needs an intake, and its signed intake link token."""
    evaluation = AppointmentTypeFactory(
        slug="initial-evaluation", name="Initial evaluation", needs_intake=True, duration_minutes=60
    )
    appointment = AppointmentFactory(
        patient=PatientFactory(date_of_birth=datetime.date(1985, 3, 2)),
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=evaluation,
        start=datetime.datetime.combine(
            next_monday, datetime.time(9), clinic_setup["location"].zone
        ),
    )
    return appointment, links.token_for(appointment.pk, salt=links.INTAKE_SALT)


def answers(red_flags=()):
    """Valid POST data for every step; ``red_flags`` are the codes answered yes."""
    from intake.demo import demo_answers

    return demo_answers(red_flags)
