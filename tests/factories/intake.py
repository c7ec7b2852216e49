import datetime

import factory
from django.utils import timezone

from intake.models import ClinicalAssessment, IntakeAssessment
from tests.factories.clinic import PatientFactory, TherapistFactory


class IntakeFactory(factory.django.DjangoModelFactory):
    """A submitted intake with PSFS goals; red flags only when asked for."""

    class Meta:
        model = IntakeAssessment

    patient = factory.SubFactory(PatientFactory)
    status = IntakeAssessment.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    answers = factory.LazyFunction(
        lambda: {
            "goals": {
                "activities": [
                    {"activity": "Run 10 miles", "rating": 3},
                    {"activity": "Sit through a meeting", "rating": 6},
                ],
                "get_back_to": "Racing the Twin Cities Marathon",
            }
        }
    )
    red_flags = factory.LazyFunction(list)
    is_urgent = False


class ClinicalAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicalAssessment

    intake = factory.SubFactory(IntakeFactory)
    therapist = factory.SubFactory(TherapistFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    hypotheses = factory.LazyFunction(lambda: ["muscle_imbalance"])
