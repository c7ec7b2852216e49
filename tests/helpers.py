"""Plain functions shared by tests in more than one module (fixtures live in conftest.py)."""

import datetime
import itertools
import os
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from intake import services
from intake.forms import FORMS
from intake.models import IntakeAssessment
from tests.factories.clinic import AppointmentFactory, AppointmentTypeFactory, PatientFactory

IN_CI = bool(os.environ.get("CI"))
# A small stand-in for careplans/library.yaml, so tests do not depend on the real content.
LIBRARY_STAND_IN = Path(__file__).parent / "careplans" / "library_stand_in.yaml"


def missing_service(reason: str):
    """A test that needs something absent fails under CI and is skipped elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


# --- Arranging intakes ----------------------------------------------------------------------


def answers(red_flags=()):
    """Valid POST data for every step; ``red_flags`` are the codes answered yes."""
    from intake.demo import demo_answers

    return demo_answers(red_flags)


def submitted_intake(appointment, *, red_flags=(), changes=None, now=None) -> IntakeAssessment:
    """An intake sent through the services, each step validated by its own form."""
    intake = services.intake_for_appointment(appointment=appointment)
    for step, data in answers(red_flags).items():
        form = FORMS[step]({**data, **(changes or {}).get(step, {})})
        assert form.is_valid(), (step, form.errors)
        intake = services.intake_step_save(intake=intake, step=step, data=form.to_json())
    return services.intake_submit(intake=intake, now=now)


def started_intake(appointment) -> IntakeAssessment:
    intake = services.intake_for_appointment(appointment=appointment)
    form = FORMS["pain"](answers()["pain"])
    assert form.is_valid()
    return services.intake_step_save(intake=intake, step="pain", data=form.to_json())


_slots = itertools.count()


def another_visit(setup, *, therapist=None, start=None, patient=None):
    """An initial evaluation for ``patient`` (default: a new one) with ``therapist``.

    Each visit gets its own 2-hour slot, so PostgreSQL's no-double-booking constraint holds.
    """
    start = start or timezone.now() + datetime.timedelta(days=40, hours=2 * next(_slots))
    evaluation = AppointmentTypeFactory(
        slug="initial-evaluation", name="Initial evaluation", needs_intake=True, duration_minutes=60
    )
    return AppointmentFactory(
        patient=patient or PatientFactory(date_of_birth=datetime.date(1985, 3, 2)),
        therapist=therapist or setup["therapist"],
        location=setup["location"],
        appointment_type=evaluation,
        start=start,
    )


# --- Signing staff in -----------------------------------------------------------------------

# Taken when this module is first imported, before the conftest fixture wraps it.
_django_force_login = Client.force_login


def password_only_login(client, user, backend=None) -> None:
    """Django's ``force_login``: signed in as after the password, before any second factor."""
    _django_force_login(client, user, backend)


def second_factor_pass(client, user) -> None:
    """For staff who must use a second factor: give them a confirmed authenticator app and
    mark the client's session verified with it, as the second-factor page does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.mfa import mfa_required

    if not mfa_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# --- Health information in emails -----------------------------------------------------------

# Words an email to staff must never hold: they would say what is wrong with someone.
CLINICAL_WORDS = (
    "red flag",
    "cauda",
    "equina",
    "emergency",
    "911",
    "bladder",
    "urine",
    "bowel",
    "saddle",
    "numb",
    "weakness",
    "sexual",
    "cancer",
    "weight",
    "fever",
    "immune",
    "drug",
    "trauma",
    "fall",
    "osteoporosis",
    "steroid",
    "night",
    "pain",
    "symptom",
    "serious",
    "nprs",
    "oswestry",
    "odi",
    "score",
)


def health_information_in(text: str, patient) -> list[str]:
    """What of ``patient`` (name, contact, date of birth) or of the clinic's clinical words,
    flag summaries and advice ``text`` holds; empty when it holds none.

    Names and contacts count as whole words (a patient called Tod is not in "today"); a
    clinical word counts wherever a word starts with it ("numb" finds "numbness").
    """
    from intake import scoring

    identity = [
        patient.first_name,
        patient.last_name,
        patient.email,
        str(patient.phone)[-4:] if patient.phone else "",
        patient.date_of_birth.isoformat() if patient.date_of_birth else "",
    ]
    clinical = [
        *CLINICAL_WORDS,
        *(flag.summary for flag in scoring.RED_FLAGS),
        *scoring.RED_FLAG_ADVICE.values(),
    ]
    patterns = [(word, rf"\b{re.escape(word)}\b") for word in identity if word]
    patterns += [(word, rf"\b{re.escape(word)}") for word in clinical]
    return [word for word, pattern in patterns if re.search(pattern, text, flags=re.IGNORECASE)]


# --- Browser tests --------------------------------------------------------------------------


def csp_refusals(page) -> list[str]:
    """What the Content-Security-Policy refuses on this browser page, as the browser reports it
    on the console; the list fills as the page runs."""
    refused: list[str] = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", on_console)
    return refused


# --- The waitlist ---------------------------------------------------------------------------------


def waitlist_offer(patient, clinic_setup):
    """An open offer of tomorrow 10:00 to ``patient``, who is on the waitlist."""
    import datetime

    from django.utils import timezone

    from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening

    location, day = clinic_setup["location"], timezone.localdate() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(10), location.zone)
    entry = WaitlistEntry.objects.create(
        patient=patient,
        appointment_type=clinic_setup["type"],
        location=location,
        earliest_date=day,
        latest_date=day,
        first_name=patient.first_name,
    )
    opening = WaitlistOpening.objects.create(
        therapist=clinic_setup["therapist"],
        location=location,
        appointment_type=clinic_setup["type"],
        start=start,
        end=start + datetime.timedelta(minutes=45),
    )
    now = timezone.now()
    return WaitlistOffer.objects.create(
        opening=opening,
        entry=entry,
        round=1,
        sent_at=now,
        expires_at=now + datetime.timedelta(hours=2),
    )
