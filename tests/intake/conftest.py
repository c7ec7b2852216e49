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
    from intake import scoring

    return {
        "pain": {
            "nprs_now": "4",
            "nprs_best": "2",
            "nprs_worst": "7",
            "areas": ["low_back_centre", "buttock"],
            "legs": "none",
            "times": ["after_runs", "sitting"],
            "onset_date": "2026-09-01",
            "onset_how": "gradual",
            "onset_story": "Marathon block",
        },
        "red_flags": {
            flag.code: "yes" if flag.code in red_flags else "no" for flag in scoring.RED_FLAGS
        },
        "history": {"previous_episodes": "no", "medication": "Ibuprofen as needed"},
        "running": {
            "runs_per_week": "5",
            "weekly_distance": "30",
            "distance_unit": "mi",
            "years_running": "8",
            "recent_changes": ["distance"],
            "shoe_model": "Pegasus",
            "shoe_miles": "450",
            "surfaces": ["road"],
        },
        "oswestry": {f"odi_{i}": "2" for i in range(10) if i != 7},
        "start_back": {
            **{f"sb_{i}": "agree" if i in (0, 2, 5) else "disagree" for i in range(8)},
            "sb_8": "moderately",
        },
        "goals": {
            "activity_0": "Run 10 miles",
            "rating_0": "3",
            "activity_1": "Sit through a meeting",
            "rating_1": "6",
            "activity_2": "Lift my kids",
            "rating_2": "7",
            "get_back_to": "Racing the Twin Cities Marathon",
        },
    }
