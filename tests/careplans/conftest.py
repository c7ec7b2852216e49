import sys
import types

import pytest

from tests.factories.clinic import (
    AppointmentFactory,
    PatientUserFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)

# A small stand-in for careplans/library_data.py, so tests do not depend on the real content.
STAND_IN = {
    "MUSCLES": ["gluteus maximus", "multifidus", "hamstrings"],
    "EQUIPMENT": {"mat": "Mat", "band": "Resistance band"},
    "BODY_REGIONS": {"core": "Core", "hips": "Hips and thighs"},
    "CONTRAINDICATION_TAGS": {
        "loaded_lumbar_flexion": "Loaded lumbar flexion",
        "high_impact": "High impact",
        "end_range_extension": "End-range lumbar extension",
    },
    "HYPOTHESIS_CAUTIONS": {
        "herniated_disc": ["loaded_lumbar_flexion"],
        "facet_joint": ["end_range_extension"],
        "muscle_imbalance": [],
    },
    "RED_FLAG_CAUTION_TAGS": ["high_impact"],
    "EXERCISES": [
        {
            "slug": "si-bridge",
            "name": "Stand-in bridge",
            "category": "strength",
            "body_region": "hips",
            "muscles_primary": ["gluteus maximus"],
            "muscles_secondary": ["hamstrings"],
            "equipment": ["mat"],
            "difficulty": 1,
            "instructions": ["Lie on your back.", "Lift the hips."],
            "cues": ["Squeeze the glutes"],
            "common_mistakes": ["Arching the back"],
            "default_sets": 3,
            "default_reps": 12,
            "default_hold_seconds": None,
            "per_side": False,
            "contraindications": [],
            "video_url": "",
            "easier": "",
            "harder": "si-single-bridge",
        },
        {
            "slug": "si-single-bridge",
            "name": "Stand-in single-leg bridge",
            "category": "strength",
            "body_region": "hips",
            "muscles_primary": ["gluteus maximus"],
            "muscles_secondary": [],
            "equipment": ["mat"],
            "difficulty": 2,
            "instructions": ["Lift on one leg."],
            "cues": [],
            "common_mistakes": [],
            "default_sets": 3,
            "default_reps": 8,
            "default_hold_seconds": None,
            "per_side": True,
            "contraindications": [],
            "video_url": "https://video.example/single-bridge",
            "easier": "si-bridge",
            "harder": "",
        },
        {
            "slug": "si-sit-up",
            "name": "Stand-in sit-up",
            "category": "strength",
            "body_region": "core",
            "muscles_primary": ["rectus abdominis"],
            "muscles_secondary": [],
            "equipment": [],
            "difficulty": 2,
            "instructions": ["Curl up."],
            "cues": [],
            "common_mistakes": [],
            "default_sets": 2,
            "default_reps": 10,
            "default_hold_seconds": None,
            "per_side": False,
            "contraindications": ["loaded_lumbar_flexion"],
            "video_url": "",
            "easier": "",
            "harder": "",
        },
        {
            "slug": "si-hops",
            "name": "Stand-in hops",
            "category": "running_drill",
            "body_region": "core",
            "muscles_primary": [],
            "muscles_secondary": [],
            "equipment": [],
            "difficulty": 3,
            "instructions": ["Hop."],
            "cues": [],
            "common_mistakes": [],
            "default_sets": 3,
            "default_reps": None,
            "default_hold_seconds": 30,
            "per_side": False,
            "contraindications": ["high_impact"],
            "video_url": "",
            "easier": "",
            "harder": "",
        },
    ],
    "TEMPLATES": [
        {
            "slug": "si-glutes",
            "name": "Stand-in glutes",
            "description": "Bridges.",
            "suggested_for": ["muscle_imbalance"],
            "items": [
                {
                    "exercise": "si-bridge",
                    "sets": 3,
                    "reps": 15,
                    "hold_seconds": None,
                    "per_side": False,
                    "times_per_week": 4,
                    "notes": "Slowly.",
                },
                {
                    "exercise": "si-hops",
                    "sets": 2,
                    "reps": None,
                    "hold_seconds": 20,
                    "per_side": False,
                    "times_per_week": 2,
                    "notes": "",
                },
            ],
        },
        {
            "slug": "si-disc",
            "name": "Stand-in disc",
            "description": "For discs.",
            "suggested_for": ["herniated_disc", "sciatica"],
            "items": [
                {
                    "exercise": "si-single-bridge",
                    "sets": 2,
                    "reps": 8,
                    "hold_seconds": None,
                    "per_side": True,
                    "times_per_week": 5,
                    "notes": "",
                }
            ],
        },
    ],
}


@pytest.fixture
def stand_in_library(monkeypatch):
    """Swap careplans.library_data for the stand-in above, for the length of one test."""
    module = types.ModuleType("careplans.library_data")
    for name, value in STAND_IN.items():
        setattr(module, name, value)
    monkeypatch.setitem(sys.modules, "careplans.library_data", module)
    return module


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
