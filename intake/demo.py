"""Demo intakes for ``seed_demo``: one reviewed with a clinician assessment, one red flag.

``demo_answers`` is also the tests' set of valid answers for every step (as POSTed), keyed
by the steps of intake/schema.py in their order.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from clinic.models import Appointment, AppointmentType, Location, Patient, Therapist
from intake import schema, scoring


def demo_answers(red_flags=(), *, night_pain=False) -> dict[str, dict]:
    """Valid form data for every step; ``red_flags`` are the codes answered yes."""
    flags = set(red_flags) | ({"night_pain"} if night_pain else set())
    return {
        schema.PAIN: {
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
        schema.RED_FLAGS: {
            f.code: schema.YES if f.code in flags else schema.NO for f in scoring.RED_FLAGS
        },
        schema.HISTORY: {"previous_episodes": schema.NO, "medication": "Ibuprofen as needed"},
        schema.RUNNING: {
            "runs_per_week": "5",
            "weekly_distance": "30",
            "distance_unit": schema.MILES,
            "years_running": "8",
            "recent_changes": ["distance"],
            "shoe_model": "Pegasus",
            "shoe_miles": "450",
            "surfaces": ["road"],
        },
        schema.OSWESTRY: {f"odi_{i}": "2" for i in range(10) if i != 7},
        schema.START_BACK: {
            **{f"sb_{i}": schema.AGREE if i in (0, 2, 5) else schema.DISAGREE for i in range(8)},
            "sb_8": "moderately",
        },
        schema.GOALS: {
            "activity_0": "Run 10 miles",
            "rating_0": "3",
            "activity_1": "Sit through a meeting",
            "rating_1": "6",
            "activity_2": "Lift my kids",
            "rating_2": "7",
            "get_back_to": "Racing the Twin Cities Marathon",
        },
    }


def intake_fill_and_submit(*, appointment: Appointment, answers: dict[str, dict]):
    """Answer every step through the real forms and services, then submit."""
    from intake.forms.questionnaire import FORMS
    from intake.services import questionnaire as services

    intake = services.intake_for_appointment(appointment=appointment)
    if intake.is_submitted:
        return intake
    for step, data in answers.items():
        form = FORMS[step](data)
        if not form.is_valid():
            raise ValueError(f"demo answers for {step} are invalid: {form.errors.as_json()}")
        intake = services.intake_step_save(intake=intake, step=step, data=form.to_json())
    return services.intake_submit(intake=intake)


@transaction.atomic
def demo_seed_intakes() -> None:
    """The demo patient's evaluation intake, assessed; a second patient with a red flag."""
    from clinic.demo import DEMO_PATIENT
    from clinic.selectors import slot_list
    from clinic.services import appointment_book, patient_match_or_create
    from intake.services.review import clinical_assessment_save

    evaluation = AppointmentType.objects.get(slug="initial-evaluation")
    patient = Patient.objects.get(email=DEMO_PATIENT["email"])
    appointment = patient.appointments.filter(appointment_type=evaluation).first()
    if appointment is not None:
        intake = intake_fill_and_submit(appointment=appointment, answers=demo_answers())
        if not hasattr(intake, "clinical_assessment"):
            clinical_assessment_save(
                intake=intake,
                therapist=appointment.therapist,
                data={
                    "standing_posture": "Mild anterior pelvic tilt; even shoulders.",
                    "lumbar_lordosis": "increased",
                    "pelvic_tilt": "anterior",
                    "cadence_spm": 158,
                    "overstriding": True,
                    "forward_trunk_lean": False,
                    "foot_strike": "heel",
                    "pelvic_drop": "right",
                    "thomas_test_left": True,
                    "thomas_test_right": True,
                    "slr_left_degrees": 70,
                    "slr_right_degrees": 65,
                    "prone_plank_seconds": 45,
                    "side_plank_left_seconds": 30,
                    "side_plank_right_seconds": 22,
                    "single_leg_squat_left": "fair",
                    "single_leg_squat_right": "poor",
                    "hip_abductor_left": 4,
                    "hip_abductor_right": 3,
                    "hypotheses": ["muscle_imbalance", "running_form", "training_load"],
                    "notes": "Weak right glute med with pelvic drop; low cadence with heel strike.",
                },
            )

    flagged = patient_match_or_create(
        first_name="Jordan",
        last_name="Kim",
        email="jordan.kim@example.com",
        phone="+16125550177",
        date_of_birth=datetime.date(1979, 8, 14),
        sms_consent=True,
    )
    if flagged.intakes.exists():
        return
    location = Location.objects.get(slug="coon-rapids")
    therapist = Therapist.objects.get(user__email="sam.okafor@stride.example")
    today = timezone.localdate()
    slots = slot_list(
        appointment_type=evaluation,
        location=location,
        therapist=therapist,
        start_date=today + datetime.timedelta(days=2),
        end_date=today + datetime.timedelta(days=9),
    )
    if slots:
        visit = appointment_book(
            appointment_type=evaluation,
            location=location,
            therapist=therapist,
            start=slots[0].start,
            patient=flagged,
            source=Appointment.Source.FRONT_DESK,
            reason_for_visit="Back pain that wakes me at night.",
        )
        intake_fill_and_submit(appointment=visit, answers=demo_answers(night_pain=True))
