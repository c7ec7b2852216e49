"""The reminder sweep queues due reminders in batches, keeps every rule, and is idempotent."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from clinic import tasks
from clinic.models import Appointment, Message
from clinic.services import messaging
from tests.factories.clinic import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(day, hh, mm=0):
    return datetime.datetime.combine(day, datetime.time(hh, mm), CHICAGO)


@pytest.fixture
def sweep_time(next_monday):
    """10:05 local on the day before next_monday's visits: their reminders are due."""
    return at(next_monday - datetime.timedelta(days=1), 10, 5)


@pytest.fixture
def visit(clinic_setup, next_monday):
    """Book a visit directly (on next_monday unless told), an hour after the previous one."""
    hours = iter(range(8, 20))

    def _visit(*, day=next_monday, booked_at=None, status="booked", **patient_kwargs):
        start = at(day, next(hours))
        return AppointmentFactory(
            patient=PatientFactory(**patient_kwargs),
            therapist=clinic_setup["therapist"],
            location=clinic_setup["location"],
            appointment_type=clinic_setup["type"],
            start=start,
            status=status,
            scheduled_at=booked_at or start - datetime.timedelta(days=5),
        )

    return _visit


def flat(batches):
    return [pk for batch in batches for pk in batch]


def test_the_sweep_queues_in_batches_and_keeps_every_rule(visit, sweep_time, next_monday):
    due = [visit() for _ in range(5)]
    no_consent = visit(sms_consent=False)
    opted_out = visit(sms_opted_out_at=sweep_time - datetime.timedelta(days=2))
    no_phone = visit(phone="")
    covered = visit(booked_at=at(next_monday - datetime.timedelta(days=1), 10, 1))
    cancelled = visit(status="cancelled")

    batches = list(messaging.reminder_sweep_batches(now=sweep_time, size=2))

    assert [len(batch) for batch in batches] == [2, 2, 1]
    queued = Message.objects.filter(kind="reminder", status="queued")
    assert sorted(flat(batches)) == sorted(queued.values_list("pk", flat=True))
    assert {m.appointment for m in queued} == set(due)
    for message in queued:
        assert message.to == str(message.patient.phone)
        assert message.about_start == message.appointment.start
        assert message.body.startswith("Stride PT: reminder of your Follow-up visit")
    skipped = Message.objects.filter(kind="reminder", status="skipped")
    assert {m.appointment: m.skip_reason for m in skipped} == {
        no_consent: "no_consent",
        opted_out: "opted_out",
        no_phone: "no_phone",
        covered: "covered",
    }
    assert not Message.objects.filter(appointment=cancelled).exists()


@pytest.mark.parametrize("local_time", [(7, 0), (9, 59), (21, 0), (23, 30)])
def test_the_sweep_queues_nothing_before_the_reminder_hour_or_in_quiet_hours(
    visit, next_monday, local_time
):
    visit()
    now = at(next_monday - datetime.timedelta(days=1), *local_time)
    assert list(messaging.reminder_sweep_batches(now=now)) == []
    assert not Message.objects.exists()


def test_a_second_sweep_queues_nothing_new(visit, sweep_time):
    for _ in range(3):
        visit()
    first = flat(messaging.reminder_sweep_batches(now=sweep_time, size=2))
    second = flat(messaging.reminder_sweep_batches(now=sweep_time, size=2))
    assert len(first) == 3
    # It may hand the same still-queued texts on again (sending them is idempotent).
    assert set(second) <= set(first)
    assert Message.objects.filter(kind="reminder").count() == 3


def test_two_sweeps_inserting_the_same_reminders_keep_one_each(visit, sweep_time, monkeypatch):
    """A racing sweep that listed the due visits before the other one's insert committed."""
    for _ in range(3):
        visit()
    first = flat(messaging.reminder_sweep_batches(now=sweep_time))
    # The second sweep does not see the first one's reminders when it lists the due visits...
    monkeypatch.setattr(messaging, "_not_reminded", lambda appointments: appointments)
    second = flat(messaging.reminder_sweep_batches(now=sweep_time))
    # ...so its insert meets their keys: it adds nothing, fails on nothing, and hands on the
    # texts still queued, as a sweep re-dispatching them would.
    assert Message.objects.filter(kind="reminder").count() == 3
    assert sorted(second) == sorted(first)


def test_a_visit_moved_away_while_the_sweep_runs_gets_no_reminder(visit, sweep_time, monkeypatch):
    staying, moving = visit(), visit()
    queue = messaging._reminders_queue

    def queue_then_move(appointments):
        ids = queue(appointments)
        # Rescheduled to next week after the sweep listed it, before its batch was loaded.
        later = moving.start + datetime.timedelta(days=7)
        Appointment.objects.filter(pk=moving.pk).update(
            start=later,
            end=later + datetime.timedelta(minutes=45),
            blocked_until=later + datetime.timedelta(hours=1),
        )
        return ids

    monkeypatch.setattr(messaging, "_reminders_queue", queue_then_move)
    ids = flat(messaging.reminder_sweep_batches(now=sweep_time, size=1))
    assert [Message.objects.get(pk=pk).appointment for pk in ids] == [staying]
    assert not Message.objects.filter(appointment=moving).exists()


# --- The sweep task -------------------------------------------------------------------------


@pytest.fixture
def due_now(visit, settings):
    """Visits tomorrow (local) whose reminders are due whatever the time of day."""
    settings.REMINDER_LOCAL_HOUR = 0
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0
    tomorrow = timezone.now().astimezone(CHICAGO).date() + datetime.timedelta(days=1)
    return [visit(day=tomorrow) for _ in range(5)]


def test_the_sweep_task_hands_the_texts_on_in_batches(due_now, monkeypatch):
    handed_on = []
    monkeypatch.setattr(tasks, "SEND_BATCH", 2)
    monkeypatch.setattr(tasks.message_send_many, "delay", handed_on.append)
    assert tasks.reminder_sweep() == 5
    assert [len(ids) for ids in handed_on] == [2, 2, 1]
    queued = Message.objects.filter(kind="reminder", status="queued")
    assert sorted(flat(handed_on)) == sorted(queued.values_list("pk", flat=True))


def test_the_sweep_task_texts_each_reminder_once(due_now, sms_outbox):
    tasks.reminder_sweep()
    tasks.reminder_sweep()
    assert sorted(sms["to"] for sms in sms_outbox) == sorted(
        str(appointment.patient.phone) for appointment in due_now
    )
    assert Message.objects.filter(kind="reminder", status="sent").count() == 5
