""" "Today's exercises" goes exactly once per plan and day with a real worker on Redis and
PostgreSQL, even when sweeps race; a patient who logged today, and a number that said STOP,
get none."""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from careplans import reminders
from careplans.models import CarePlan, ExerciseReminderDay
from clinic.models import Message, SmsOptOut
from tests.factories.careplans import SessionLogFactory, plan_with_items
from tests.factories.clinic import PatientFactory

PLANS = 40


def wait_for(predicate, timeout=60.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def due_exercise_reminders(real_services, settings):
    """PLANS active plans whose reminders are due now, whatever the time of day."""
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0
    plans = []
    for n in range(PLANS):
        plan = plan_with_items(
            patient=PatientFactory(phone=f"+1612777{n:04d}"), status=CarePlan.Status.ACTIVE
        )
        reminders.reminder_save(
            plan=plan, days=range(7), local_time=datetime.time(0, 0), channel="sms"
        )
        plans.append(plan)
    return plans


def test_each_plan_is_reminded_once_a_day(due_exercise_reminders, sms_outbox, celery_worker):
    from careplans import tasks

    done_today, stopped, *reminded = due_exercise_reminders
    today = timezone.localdate()
    SessionLogFactory(plan=done_today, performed_on=today)
    SmsOptOut.objects.create(phone=str(stopped.patient.phone), opted_out_at=timezone.now())

    for _ in range(3):  # three sweeps at once, as two beats and a retry might
        tasks.exercise_reminder_sweep.delay()
    assert wait_for(lambda: len(sms_outbox) >= len(reminded), timeout=90)
    tasks.exercise_reminder_sweep.delay()  # a later sweep the same day
    time.sleep(2.0)  # anything extra would show up now

    counts = Counter(sms["to"] for sms in sms_outbox)
    assert {to: c for to, c in counts.items() if c > 1} == {}
    assert set(counts) == {str(plan.patient.phone) for plan in reminded}
    assert all("today's exercises" in sms["body"] for sms in sms_outbox)
    texts = Message.objects.filter(kind=Message.Kind.EXERCISE_REMINDER)
    assert texts.filter(status="sent").count() == len(reminded)
    assert texts.get(patient=stopped.patient).skip_reason == "opted_out"
    assert not texts.filter(patient=done_today.patient).exists()
    assert ExerciseReminderDay.objects.count() == PLANS - 1
