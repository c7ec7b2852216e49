"""Demo data for ``manage.py seed_demo``: the exercise library and the plan templates, and a
published plan for the demo patient with exercise reminders on.

The library is the same load as ``manage.py load_library`` (``careplans.library.library_load``),
so a demo database has the library from ``careplans/library.yaml`` and is brought up to date
after the content changes. The plan is built, published and given its reminder through the
services, like a therapist and the patient would. Every step is idempotent, like every demo
function: a patient who already has a plan is left as they are.
"""

import datetime

from careplans import reminders, services
from careplans.library import LibraryLoadResult, library_load
from careplans.models import CarePlan, CarePlanTemplate, ExerciseReminder
from clinic.models import Patient

DEMO_TEMPLATE = "core-glute-foundation"
DEMO_REMINDER_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
DEMO_REMINDER_TIME = datetime.time(18)


def demo_seed_careplans() -> LibraryLoadResult:
    """Upsert the exercise library and templates; give the demo patient their plan."""
    result = library_load()
    demo_seed_plan()
    return result


def demo_seed_plan() -> CarePlan | None:
    """The demo patient's active plan (from the core and glute template, by the therapist who
    evaluated them), with reminders on Monday, Wednesday and Friday at 6 pm."""
    from clinic.demo import DEMO_PATIENT

    patient = Patient.objects.filter(email=DEMO_PATIENT["email"]).first()
    template = CarePlanTemplate.objects.filter(slug=DEMO_TEMPLATE).first()
    if patient is None or template is None:
        return None
    plan = CarePlan.objects.filter(patient=patient).exclude(status=CarePlan.Status.DRAFT).first()
    if plan is None:
        visit = patient.appointments.order_by("start").select_related("therapist").first()
        intake = patient.intakes.filter(clinical_assessment__isnull=False).first()
        draft = services.careplan_create(
            patient=patient,
            author=visit.therapist if visit else None,
            template=template,
            intake=intake,
            assessment=getattr(intake, "clinical_assessment", None) if intake else None,
        )
        plan = services.careplan_publish(plan=draft)
    if (
        plan.status == CarePlan.Status.ACTIVE
        and not ExerciseReminder.objects.filter(plan=plan).exists()
    ):
        channel = (
            ExerciseReminder.Channel.SMS
            if reminders.can_text(patient)
            else ExerciseReminder.Channel.EMAIL
        )
        reminders.reminder_save(
            plan=plan, days=DEMO_REMINDER_DAYS, local_time=DEMO_REMINDER_TIME, channel=channel
        )
    return plan
