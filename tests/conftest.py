import pytest

from tests.clinic import sms_fakes


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as a deploy leaves a real one: migrated, then the exercise library
    loaded (``manage.py load_library``; migrations do not load it). Tests that flush the
    database (``transaction=True``) take the library with them; pytest-django runs them last."""
    from careplans.library import library_load

    with django_db_blocker.unblock():
        library_load()


@pytest.fixture(autouse=True)
def staff_force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` signs staff in as far as a real sign-in goes: password and,
    for staff who must use one, the second factor (a confirmed authenticator app, verified in
    the session). The tests of the second factor itself sign in through the pages, or with
    ``tests.helpers.password_only_login``."""
    from django.test import Client

    from tests.helpers import password_only_login, second_factor_pass

    def force_login(self, user, backend=None):
        password_only_login(self, user, backend)
        second_factor_pass(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def next_monday():
    """A Monday at least a week ahead, so notice and horizon never get in the way."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return today + datetime.timedelta(days=7 + (7 - today.weekday()) % 7)


@pytest.fixture
def clinic_setup(db):
    """One location, a 45-minute type with a 15-minute buffer, a therapist working Mon-Fri 8-17."""
    from tests.factories.clinic import AppointmentTypeFactory, LocationFactory, therapist_with_hours

    location = LocationFactory(slug="ne-minneapolis", name="NE Minneapolis")
    return {
        "location": location,
        "type": AppointmentTypeFactory(slug="follow-up", duration_minutes=45),
        "therapist": therapist_with_hours(location=location),
    }


@pytest.fixture(autouse=True)
def sms_outbox():
    """The locmem SMS backend's outbox, empty at the start of every test."""
    from clinic.sms.backends import locmem

    locmem.outbox.clear()
    return locmem.outbox


@pytest.fixture
def intake_appointment(db, clinic_setup, next_monday):
    """A booked initial evaluation that needs an intake, and its signed intake link token."""
    import datetime

    from clinic import links
    from tests.factories.clinic import AppointmentFactory, AppointmentTypeFactory, PatientFactory

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
    return appointment, links.appointment_token(appointment, salt=links.INTAKE_SALT)


@pytest.fixture
def scripted(settings):
    """An SMS backend that answers as ``sms_fakes.script`` says and records every call."""
    settings.SMS_BACKEND = "tests.clinic.sms_fakes.ScriptedBackend"
    sms_fakes.calls.clear()
    sms_fakes.script.clear()
    sms_fakes.before_send.clear()
    return sms_fakes
