import pytest

from tests.factories.clinic import (
    AppointmentFactory,
    PatientUserFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)
from tests.helpers import LIBRARY_STAND_IN


@pytest.fixture
def stand_in_library(settings):
    """The stand-in library file, and the pages reading it instead of the real one, for the
    length of one test. Load it into the database with ``library_load(stand_in_library)``."""
    settings.CAREPLANS_LIBRARY_FILE = LIBRARY_STAND_IN
    return LIBRARY_STAND_IN


@pytest.fixture
def care(db, clinic_setup):
    """A therapist, a patient of theirs with an account, and the rest of the cast."""
    therapist = clinic_setup["therapist"]
    patient = PatientUserFactory()
    AppointmentFactory(
        patient=patient,
        therapist=therapist,
        location=clinic_setup["location"],
        appointment_type=clinic_setup["type"],
    )
    other_patient = PatientUserFactory()
    elsewhere = TherapistFactory()
    AppointmentFactory(patient=other_patient, therapist=elsewhere)
    return {
        **clinic_setup,
        "patient": patient,
        "other_patient": other_patient,
        "other_therapist": elsewhere,
        "front_desk": StaffUserFactory(),
        "admin": UserFactory(role="admin", is_staff=True),
    }
