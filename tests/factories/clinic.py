import datetime

import factory
from django.utils import timezone

from clinic.models import (
    Appointment,
    AppointmentType,
    CareTeamMember,
    Location,
    Patient,
    Therapist,
    TimeOff,
    User,
    WorkingHours,
)

PASSWORD = "a-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.PATIENT
    password = factory.django.Password(PASSWORD)


class StaffUserFactory(UserFactory):
    role = User.Role.FRONT_DESK
    is_staff = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    street = "2112 Broadway Street NE, Suite 195"
    city = "Minneapolis"
    postal_code = "55413"
    short_address = "2112 Broadway St NE"
    phone = "+16125550142"
    time_zone = "America/Chicago"


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapist
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=User.Role.THERAPIST, is_staff=True)

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = factory.Sequence(lambda n: f"+1612555{n % 10000:04d}")
    date_of_birth = datetime.date(1990, 5, 17)
    sms_consent = True
    sms_consent_at = factory.LazyFunction(timezone.now)


class PatientUserFactory(PatientFactory):
    """A patient with a sign-in account, as booking creates them."""

    user = factory.SubFactory(
        UserFactory,
        email=factory.SelfAttribute("..email"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
        role=User.Role.PATIENT,
    )


class DependentFactory(PatientFactory):
    """A child booked by their guardian (a patient with an account): a record of their own, no
    email or phone (the guardian's are used)."""

    email = ""
    phone = ""
    sms_consent = False
    sms_consent_at = None
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365 * 9)
    )
    guardian = factory.SubFactory(PatientUserFactory)


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ["slug"]

    name = "Follow-up visit"
    slug = factory.Sequence(lambda n: f"type-{n}")
    duration_minutes = 45
    buffer_after_minutes = 15
    online_bookable = True
    needs_intake = False


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    therapist = factory.SubFactory(TherapistFactory)
    location = factory.SubFactory(LocationFactory)
    weekday = 0
    start_time = datetime.time(8, 0)
    end_time = datetime.time(17, 0)


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    therapist = factory.SubFactory(TherapistFactory)
    reason = "Conference"


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment row written directly (no availability check): for arranging tests."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(TherapistFactory)
    location = factory.SubFactory(LocationFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    end = factory.LazyAttribute(lambda o: o.start + o.appointment_type.duration)
    blocked_until = factory.LazyAttribute(lambda o: o.end + o.appointment_type.buffer)


def therapist_with_hours(*, location, weekdays=range(5), start="08:00", end="17:00", **kwargs):
    """A therapist at ``location`` working ``start``-``end`` local time on ``weekdays``."""
    therapist = TherapistFactory(locations=[location], **kwargs)
    for weekday in weekdays:
        WorkingHoursFactory(
            therapist=therapist,
            location=location,
            weekday=weekday,
            start_time=datetime.time.fromisoformat(start),
            end_time=datetime.time.fromisoformat(end),
        )
    return therapist


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    """A colleague covering for a patient until a date (a week from today by default)."""

    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(TherapistFactory)
    until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
