import datetime

import factory
from django.utils import timezone

from clinic.models import Location, Patient, Therapist, User

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
