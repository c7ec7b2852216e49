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


APPOINTMENT_TYPES = [
    {
        "slug": "discovery-call",
        "name": "Free 15-minute discovery call",
        "description": "A free phone call with a therapist: tell us what is going on and we "
        "will tell you honestly whether and how we can help.",
        "duration_minutes": 15,
        "buffer_after_minutes": 0,
        "mode": "phone",
        "needs_intake": False,
        "price_cents": 0,
        "sort_order": 1,
    },
    {
        "slug": "initial-evaluation",
        "name": "Initial evaluation",
        "description": "60 minutes one-to-one: history, posture, movement, strength and "
        "flexibility testing, and your first exercises.",
        "duration_minutes": 60,
        "buffer_after_minutes": 15,
        "mode": "in_person",
        "needs_intake": True,
        "price_cents": 17500,
        "sort_order": 2,
    },
    {
        "slug": "follow-up",
        "name": "Follow-up visit",
        "description": "45 minutes of treatment and progressing your plan.",
        "duration_minutes": 45,
        "buffer_after_minutes": 15,
        "mode": "in_person",
        "needs_intake": False,
        "price_cents": 12500,
        "sort_order": 3,
    },
    {
        "slug": "gait-analysis",
        "name": "Running gait analysis",
        "description": "Video analysis of your running on the treadmill: cadence, stride, "
        "trunk lean and pelvic drop, with drills to change what matters.",
        "duration_minutes": 60,
        "buffer_after_minutes": 15,
        "mode": "in_person",
        "needs_intake": True,
        "price_cents": 15000,
        "sort_order": 4,
    },
]

# (therapist email, location slug, weekdays, start, end)
WEEKLY_HOURS = [
    ("maya.chen@stride.example", "ne-minneapolis", [0, 2, 4], "08:00", "17:00"),
    ("maya.chen@stride.example", "coon-rapids", [1, 3], "09:00", "18:00"),
    ("jordan.alvarez@stride.example", "ne-minneapolis", [0, 1, 2, 3], "07:00", "12:00"),
    ("jordan.alvarez@stride.example", "ne-minneapolis", [0, 1, 2, 3], "13:00", "16:00"),
    ("priya.natarajan@stride.example", "coon-rapids", [0, 1, 2, 3, 4], "10:00", "19:00"),
    ("sam.okafor@stride.example", "ne-minneapolis", [1, 3], "12:00", "20:00"),
    ("sam.okafor@stride.example", "coon-rapids", [0, 2, 4], "08:00", "16:00"),
    ("sam.okafor@stride.example", "coon-rapids", [5], "08:00", "12:00"),
]


def demo_seed() -> None:
    """The practice: clinics, staff, then their hours and a few visits."""
    demo_seed_practice()
    demo_seed_schedule()


@transaction.atomic
def demo_seed_schedule() -> None:
    """Appointment types, weekly hours and a few booked visits for the demo patient."""
    from clinic.models import AppointmentType, WorkingHours

    for data in APPOINTMENT_TYPES:
        AppointmentType.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
    for email, slug, weekdays, start, end in WEEKLY_HOURS:
        therapist = Therapist.objects.get(user__email=email)
        location = Location.objects.get(slug=slug)
        for weekday in weekdays:
            WorkingHours.objects.get_or_create(
                therapist=therapist,
                location=location,
                weekday=weekday,
                start_time=datetime.time.fromisoformat(start),
                defaults={"end_time": datetime.time.fromisoformat(end)},
            )
    _demo_closures()
    _demo_book_visits()


def _demo_closures() -> None:
    """The next Christmas Day and New Year's Day: every location closed."""
    from clinic.models_scheduling import ClinicClosure

    today = timezone.localdate()
    for name, month, day in [("Christmas Day", 12, 25), ("New Year's Day", 1, 1)]:
        when = datetime.date(today.year, month, day)
        if when < today:
            when = when.replace(year=today.year + 1)
        ClinicClosure.objects.get_or_create(
            name=name, start_date=when, defaults={"end_date": when, "location": None}
        )


def _demo_book_visits() -> None:
    """Two upcoming visits for the demo patient, booked through the real service."""
    from clinic.models import Appointment, AppointmentType
    from clinic.selectors import slot_list
    from clinic.services import appointment_book

    patient = Patient.objects.get(email=DEMO_PATIENT["email"])
    if patient.appointments.filter(start__gte=timezone.now()).exists():
        return
    location = Location.objects.get(slug="ne-minneapolis")
    maya = Therapist.objects.get(user__email=THERAPISTS[0]["email"])
    today = timezone.localdate()
    for slug, days_ahead in [("initial-evaluation", 3), ("follow-up", 10)]:
        appointment_type = AppointmentType.objects.get(slug=slug)
        slots = slot_list(
            appointment_type=appointment_type,
            location=location,
            therapist=maya,
            start_date=today + datetime.timedelta(days=days_ahead),
            end_date=today + datetime.timedelta(days=days_ahead + 7),
        )
        if slots:
            appointment_book(
                appointment_type=appointment_type,
                location=location,
                start=slots[len(slots) // 3].start,
                therapist=maya,
                patient=patient,
                source=Appointment.Source.FRONT_DESK,
                reason_for_visit="Low back pain after long runs.",
            )
