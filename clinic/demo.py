"""Demo data for ``manage.py seed_demo``: the real clinics, made-up people.

Every function here is idempotent: it looks rows up by a natural key and updates them, so
running the seed twice leaves one copy of everything.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from clinic.models import Location, Patient, Therapist, User

DEMO_PASSWORD = "demo-stride-2026"  # noqa: S105  (demo accounts only; printed by `make run`)

LOCATIONS = [
    {
        "slug": "ne-minneapolis",
        "name": "NE Minneapolis",
        "street": "2112 Broadway Street NE, Suite 195",
        "city": "Minneapolis",
        "postal_code": "55413",
        "short_address": "2112 Broadway St NE",
        "phone": "+16125550142",
    },
    {
        "slug": "coon-rapids",
        "name": "Coon Rapids",
        "street": "8770 Springbrook Dr. NW, Suite 106",
        "city": "Coon Rapids",
        "postal_code": "55433",
        "short_address": "8770 Springbrook Dr NW",
        "phone": "+17635550186",
    },
]

THERAPISTS = [
    {
        "email": "maya.chen@stride.example",
        "first_name": "Maya",
        "last_name": "Chen",
        "bio": "Marathoner and running-gait specialist; treats runners at both clinics.",
        "locations": ["ne-minneapolis", "coon-rapids"],
    },
    {
        "email": "jordan.alvarez@stride.example",
        "first_name": "Jordan",
        "last_name": "Alvarez",
        "bio": "Board-certified orthopaedic clinical specialist with a focus on the lumbar spine.",
        "locations": ["ne-minneapolis"],
    },
    {
        "email": "priya.natarajan@stride.example",
        "first_name": "Priya",
        "last_name": "Natarajan",
        "bio": "Strength coach turned DPT; builds return-to-running programmes for trail runners.",
        "locations": ["coon-rapids"],
    },
    {
        "email": "sam.okafor@stride.example",
        "first_name": "Sam",
        "last_name": "Okafor",
        "bio": "Treats sciatica and disc-related pain; former collegiate 1500 m runner.",
        "locations": ["ne-minneapolis", "coon-rapids"],
    },
]

STAFF = [
    {
        "email": "admin@stride.example",
        "first_name": "Casey",
        "last_name": "Morgan",
        "role": User.Role.ADMIN,
        "is_superuser": True,
    },
    {
        "email": "frontdesk@stride.example",
        "first_name": "Riley",
        "last_name": "Johnson",
        "role": User.Role.FRONT_DESK,
        "is_superuser": False,
    },
]

DEMO_PATIENT = {
    "email": "alex.rivera@example.com",
    "first_name": "Alex",
    "last_name": "Rivera",
    "phone": "+16125550199",
    "date_of_birth": datetime.date(1988, 4, 12),
}


def _user(*, email: str, password: str, **fields) -> User:
    user, created = User.objects.update_or_create(email=email, defaults=fields)
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_seed_practice() -> dict[str, object]:
    """Locations, therapists, front desk, admin and one patient."""
    locations = {}
    for data in LOCATIONS:
        location, _ = Location.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
        location.full_clean()
        locations[location.slug] = location

    for data in STAFF:
        _user(
            email=data["email"],
            password=DEMO_PASSWORD,
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            is_staff=True,
            is_superuser=data["is_superuser"],
        )

    therapists = []
    for data in THERAPISTS:
        user = _user(
            email=data["email"],
            password=DEMO_PASSWORD,
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=User.Role.THERAPIST,
            is_staff=True,
        )
        therapist, _ = Therapist.objects.update_or_create(user=user, defaults={"bio": data["bio"]})
        therapist.locations.set([locations[slug] for slug in data["locations"]])
        therapists.append(therapist)

    patient_user = _user(
        email=DEMO_PATIENT["email"],
        password=DEMO_PASSWORD,
        first_name=DEMO_PATIENT["first_name"],
        last_name=DEMO_PATIENT["last_name"],
        role=User.Role.PATIENT,
    )
    patient, _ = Patient.objects.update_or_create(
        email=DEMO_PATIENT["email"],
        defaults={
            **{k: v for k, v in DEMO_PATIENT.items() if k != "email"},
            "user": patient_user,
            "sms_consent": True,
            "sms_consent_at": timezone.now(),
        },
    )
    patient.full_clean()
    return {"locations": locations, "therapists": therapists, "patient": patient}


def demo_logins() -> list[tuple[str, str]]:
    """(who, email) pairs that ``make run`` prints; all share ``DEMO_PASSWORD``."""
    return [
        ("Clinic admin", STAFF[0]["email"]),
        ("Front desk", STAFF[1]["email"]),
        ("Therapist", THERAPISTS[0]["email"]),
        ("Patient", DEMO_PATIENT["email"]),
    ]
