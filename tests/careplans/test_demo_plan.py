"""The demo practice: the demo patient has a published plan with exercise reminders on, once."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from careplans.models import CarePlan, ExerciseReminder
from clinic.demo import DEMO_PATIENT

pytestmark = pytest.mark.django_db


def test_the_demo_patient_has_a_published_plan_with_reminders_on_once(client):
    for _ in range(2):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    plan = CarePlan.objects.get(patient__email=DEMO_PATIENT["email"])
    assert plan.status == CarePlan.Status.ACTIVE and plan.published_at is not None
    assert plan.items.count() >= 3
    assert plan.author is not None and plan.intake is not None
    reminder = ExerciseReminder.objects.get(plan=plan)
    assert reminder.is_on and reminder.days == "024"
    client.force_login(plan.patient.user)
    page = client.get(reverse("careplans:my_plan", args=[plan.pk]))
    assert page.status_code == 200
    assert "Mon, Wed, Fri" in page.content.decode()
