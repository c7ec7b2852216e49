"""Exercise reminders: the patient's settings, when one is due, once per plan and day, and the
"today" page a reminder opens."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from careplans import reminders
from careplans.models import CarePlan, ExerciseReminder, ExerciseReminderDay, SessionLog
from careplans.tasks import exercise_reminder_sweep
from clinic.models import Message, SmsOptOut
from tests.factories.careplans import SessionLogFactory, plan_with_items

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
# A Wednesday (weekday 2), 18:30 in Chicago.
WEDNESDAY_EVENING = datetime.datetime(2026, 12, 9, 18, 30, tzinfo=CHICAGO)
WEDNESDAY = WEDNESDAY_EVENING.date()


@pytest.fixture
def plan(care):
    return plan_with_items(
        patient=care["patient"],
        author=care["therapist"],
        status=CarePlan.Status.ACTIVE,
        start_date=WEDNESDAY - datetime.timedelta(days=14),
    )


def remind(plan, *, days=(0, 2, 4), at=datetime.time(18), channel="sms", now=None):
    return reminders.reminder_save(
        plan=plan,
        days=days,
        local_time=at,
        channel=channel,
        now=now or WEDNESDAY_EVENING - datetime.timedelta(days=7),
    )


# --- Settings ------------------------------------------------------------------------------------


def test_a_reminder_reads_times_in_the_zone_of_the_patients_clinic(plan):
    reminder = remind(plan)
    assert reminder.time_zone == "America/Chicago"
    assert reminder.days == "024"
    assert reminder.days_text == "Mon, Wed, Fri"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"days": ()}, "no_days"),
        ({"at": datetime.time(22, 30)}, "quiet_hours"),
        ({"at": datetime.time(6, 0)}, "quiet_hours"),
    ],
)
def test_reminders_refuse_no_days_and_quiet_hours(plan, kwargs, code):
    with pytest.raises(reminders.ReminderError) as refused:
        remind(plan, **kwargs)
    assert refused.value.code == code
    assert not ExerciseReminder.objects.exists()


def test_texts_need_consent_and_a_number_email_does_not(plan):
    plan.patient.sms_consent = False
    plan.patient.save()
    with pytest.raises(reminders.ReminderError) as refused:
        remind(plan, channel="sms")
    assert refused.value.message == reminders.CANNOT_TEXT
    assert remind(plan, channel="email").channel == "email"


def test_a_completed_plan_takes_no_reminder(plan):
    plan.status = CarePlan.Status.COMPLETED
    plan.save()
    with pytest.raises(reminders.ReminderError):
        remind(plan)


# --- When one is due -----------------------------------------------------------------------------


def test_due_on_a_chosen_day_from_the_chosen_time(plan):
    remind(plan)
    assert [r.plan_id for r, _ in reminders.reminder_due(now=WEDNESDAY_EVENING)] == [plan.pk]
    before = WEDNESDAY_EVENING.replace(hour=17, minute=59)
    assert reminders.reminder_due(now=before) == []
    thursday = WEDNESDAY_EVENING + datetime.timedelta(days=1)
    assert reminders.reminder_due(now=thursday) == []


def test_never_in_quiet_hours(plan, settings):
    remind(plan)
    settings.SMS_QUIET_START_HOUR = 18
    assert reminders.reminder_due(now=WEDNESDAY_EVENING) == []


@pytest.mark.parametrize(
    "change",
    ["turned_off", "plan_completed", "logged_today"],
)
def test_no_reminder_when_off_ended_or_done_today(plan, change):
    reminder = remind(plan)
    if change == "turned_off":
        reminder.is_on = False
        reminder.save()
    elif change == "plan_completed":
        plan.status = CarePlan.Status.COMPLETED
        plan.save()
    else:
        SessionLogFactory(plan=plan, performed_on=WEDNESDAY)
    assert reminders.reminder_due(now=WEDNESDAY_EVENING) == []


def test_a_replaced_plan_pauses_its_reminder(plan, care):
    remind(plan)
    plan.status = CarePlan.Status.COMPLETED
    plan.save()
    newer = plan_with_items(patient=care["patient"], status=CarePlan.Status.ACTIVE)
    assert reminders.reminder_due(now=WEDNESDAY_EVENING) == []
    assert not hasattr(newer, "reminder") or newer.reminder is None


# --- Once per plan and day -----------------------------------------------------------------------


def test_the_sweep_texts_once_per_plan_and_day(plan, sms_outbox):
    remind(plan)
    first = reminders.reminder_sweep(now=WEDNESDAY_EVENING)
    again = reminders.reminder_sweep(now=WEDNESDAY_EVENING + datetime.timedelta(minutes=5))
    assert len(first.message_ids) == 1
    assert again.message_ids == []
    message = Message.objects.get(kind=Message.Kind.EXERCISE_REMINDER)
    assert message.dedupe_key == f"careplan:{plan.pk}:exercises:20261209"
    assert ExerciseReminderDay.objects.get().status == ExerciseReminderDay.Status.TEXTED
    friday = WEDNESDAY_EVENING + datetime.timedelta(days=2)
    assert len(reminders.reminder_sweep(now=friday).message_ids) == 1


def test_the_text_carries_no_clinical_detail(plan):
    plan.title = "Lumbar disc herniation protocol"
    plan.save()
    remind(plan)
    reminders.reminder_sweep(now=WEDNESDAY_EVENING)
    body = Message.objects.get(kind=Message.Kind.EXERCISE_REMINDER).body
    assert "today's exercises" in body
    assert reverse("careplans:my_today") in body
    for word in ("Lumbar", "disc", plan.patient.last_name, "Core"):
        assert word not in body


def test_a_number_that_said_stop_gets_no_reminder(plan, sms_outbox):
    remind(plan)
    SmsOptOut.objects.create(phone=str(plan.patient.phone), opted_out_at=WEDNESDAY_EVENING)
    result = reminders.reminder_sweep(now=WEDNESDAY_EVENING)
    assert result.message_ids == []
    message = Message.objects.get(kind=Message.Kind.EXERCISE_REMINDER)
    assert (message.status, message.skip_reason) == ("skipped", "opted_out")


def test_the_task_sends_the_text_through_the_sms_backend(plan, sms_outbox, settings, monkeypatch):
    remind(plan)
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_EVENING)
    exercise_reminder_sweep()
    exercise_reminder_sweep()
    assert [sms["to"] for sms in sms_outbox] == [str(plan.patient.phone)]


def test_email_reminders_go_once(plan, monkeypatch):
    remind(plan, channel="email")
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_EVENING)
    exercise_reminder_sweep()
    exercise_reminder_sweep()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == reminders.REMINDER_EMAIL_SUBJECT
    assert mail.outbox[0].to == [plan.patient.email]
    row = ExerciseReminderDay.objects.get()
    assert row.status == ExerciseReminderDay.Status.SENT
    assert reminders.reminder_email_send(day_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_an_email_claimed_after_a_session_was_logged_is_not_sent(plan):
    remind(plan, channel="email")
    result = reminders.reminder_sweep(now=WEDNESDAY_EVENING)
    SessionLogFactory(plan=plan, performed_on=WEDNESDAY)
    assert reminders.reminder_email_send(day_id=result.email_day_ids[0]) is False
    assert mail.outbox == []


# --- What the therapist sees ---------------------------------------------------------------------


def test_adherence_before_and_since_reminders(plan):
    # The plan started 14 days before Wednesday, 3 sessions a week; reminders went on 7 days
    # before it. Before: Nov 25–Dec 1, 7 days → 3 prescribed, 2 logged. Since: Dec 2–9,
    # 8 days → 3 × 8 / 7 = 3.4 → 3 prescribed, 3 logged.
    on_at = WEDNESDAY_EVENING - datetime.timedelta(days=7)
    remind(plan, now=on_at)
    for days_ago in (9, 12):
        SessionLogFactory(plan=plan, performed_on=WEDNESDAY - datetime.timedelta(days=days_ago))
    for days_ago in (1, 3, 5):
        SessionLogFactory(plan=plan, performed_on=WEDNESDAY - datetime.timedelta(days=days_ago))
    summary = reminders.reminder_summary(plan=plan, today=WEDNESDAY)
    assert summary.is_on
    assert (summary.before.logged, summary.before.prescribed) == (2, 3)
    assert (summary.since.logged, summary.since.prescribed) == (3, 3)


def test_the_patient_page_shows_whether_reminders_are_on(client, plan, care):
    remind(plan)
    client.force_login(care["therapist"].user)
    page = client.get(reverse("careplans:patient", args=[plan.patient_id]))
    assert b"Exercise reminders:</strong>" in page.content
    assert b"Mon, Wed, Fri at 18:00" in page.content


# --- The patient's pages -------------------------------------------------------------------------


def test_the_patient_sets_reminders_on_the_plan_page(client, plan):
    client.force_login(plan.patient.user)
    page = client.get(reverse("careplans:my_plan", args=[plan.pk]))
    assert b'id="reminders"' in page.content
    response = client.post(
        reverse("careplans:reminder_set", args=[plan.pk]),
        {
            "reminder-days": ["1", "3"],
            "reminder-local_time": "08:30",
            "reminder-channel": "email",
            "reminder-is_on": "on",
        },
    )
    assert response.status_code == 302
    reminder = ExerciseReminder.objects.get(plan=plan)
    assert (reminder.days, reminder.local_time, reminder.channel) == (
        "13",
        datetime.time(8, 30),
        "email",
    )


def test_a_refused_reminder_keeps_what_was_chosen(client, plan):
    client.force_login(plan.patient.user)
    response = client.post(
        reverse("careplans:reminder_set", args=[plan.pk]),
        {
            "reminder-days": ["5"],
            "reminder-local_time": "23:15",
            "reminder-channel": "sms",
            "reminder-is_on": "on",
        },
    )
    assert response.status_code == 400
    assert b"so we never write at night" in response.content
    assert b'value="23:15"' in response.content
    assert b'value="5" id="id_reminder-days_5" checked' in response.content
    assert not ExerciseReminder.objects.exists()


def test_another_patients_plan_cannot_take_a_reminder(client, plan, care):
    client.force_login(care["other_patient"].user)
    response = client.post(
        reverse("careplans:reminder_set", args=[plan.pk]),
        {"reminder-days": ["1"], "reminder-local_time": "09:00", "reminder-channel": "email"},
    )
    assert response.status_code == 404


def test_one_tap_on_today_logs_the_session(client, plan, django_assert_max_num_queries):
    client.force_login(plan.patient.user)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("careplans:my_today"))
    assert page.status_code == 200
    assert b"Today&#x27;s exercises" in page.content or b"Today's exercises" in page.content
    response = client.post(reverse("careplans:my_today"), {"pain_after": "2"})
    assert response.status_code == 302
    log = SessionLog.objects.get(patient=plan.patient)
    assert log.pain_after == 2
    assert set(log.exercises_done.values_list("pk", flat=True)) == set(
        plan.items.values_list("pk", flat=True)
    )
    assert b"Done today" in client.get(reverse("careplans:my_today")).content


def test_today_without_a_pain_number_says_so(client, plan):
    client.force_login(plan.patient.user)
    response = client.post(reverse("careplans:my_today"), {})
    assert response.status_code == 400
    assert reminders_pain_message() in response.content.decode()
    assert not SessionLog.objects.exists()


def reminders_pain_message() -> str:
    from careplans.views_today import PAIN_REQUIRED

    return PAIN_REQUIRED


def test_the_today_page_is_audited(client, plan):
    from clinic.models import AuditEvent

    client.force_login(plan.patient.user)
    client.get(reverse("careplans:my_today"))
    [event] = AuditEvent.objects.filter(path=reverse("careplans:my_today"))
    assert (event.patient, event.action) == (plan.patient, AuditEvent.Action.VIEW)
