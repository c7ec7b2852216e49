"""An urgent intake nobody acknowledges is escalated to clinic admins and the front desk after
URGENT_ACK_MINUTES of opening hours (step 1) and twice that (step 2), once each, by the sweep
beat runs every minute. The escalation carries no health information either."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from clinic import links
from clinic.models import User
from intake import tasks
from intake.models import UrgentAcknowledgement, UrgentAlert
from intake.services import alerts, escalation
from intake.services import questionnaire as questionnaire_services
from intake.services import review as review_services
from tests.factories.clinic import (
    AppointmentFactory,
    LocationFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)
from tests.helpers import health_information_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return {
        "admin": UserFactory(email="admin@stride.example", role=User.Role.ADMIN, is_staff=True),
        "desk": StaffUserFactory(email="desk@stride.example", role=User.Role.FRONT_DESK),
    }


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def clock(intake_appointment, next_monday):
    """Local times on the Monday of the visit, at its location (open Mon–Fri 8:00–17:00)."""
    appointment, _ = intake_appointment
    zone = appointment.location.zone

    def local(hour, minute=0, days=0):
        day = next_monday + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour, minute), zone)

    return local


def make_urgent(appointment, when, capture, code="bladder"):
    """The patient taps a yes at ``when``; the alert goes out then (and is cleared here)."""
    intake = questionnaire_services.intake_for_appointment(appointment=appointment)
    with capture(execute=True):
        questionnaire_services.intake_draft_save(
            intake=intake, step="red_flags", raw={code: "yes"}, now=when
        )
    mail.outbox.clear()
    intake.refresh_from_db()
    return intake


def sweep(capture, now) -> list[int]:
    with capture(execute=True):
        return escalation.urgent_sweep(now=now)


def steps(intake) -> list[int]:
    return list(
        UrgentAlert.objects.filter(intake=intake, urgent_since=intake.urgent_since)
        .order_by("step")
        .values_list("step", flat=True)
    )


def test_step_one_after_the_minutes_step_two_after_twice_then_no_more(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)

    assert sweep(capture, clock(10, 29)) == []
    assert mail.outbox == []
    assert len(sweep(capture, clock(10, 30))) == 1
    assert steps(intake) == [0, 1]
    assert sorted(address for message in mail.outbox for address in message.to) == [
        staff["admin"].email,
        staff["desk"].email,
    ]
    mail.outbox.clear()
    assert sweep(capture, clock(10, 59)) == []
    assert len(sweep(capture, clock(11))) == 1
    assert steps(intake) == [0, 1, 2]
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    assert sweep(capture, clock(16)) == []
    assert mail.outbox == []


def test_the_escalation_email_says_only_that_an_intake_needs_attention(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    sweep(capture, clock(10, 30))
    to_admin, to_desk = mail.outbox
    minutes = settings.URGENT_ACK_MINUTES
    assert to_admin.to == [staff["admin"].email]
    assert to_admin.subject == alerts.ESCALATION_SUBJECT
    assert to_admin.body == alerts.ESCALATION_BODY.format(
        clinic=settings.CLINIC_NAME,
        minutes=minutes,
        link=links.absolute(reverse("intake:review", args=[intake.pk])),
    )
    assert to_desk.to == [staff["desk"].email]
    assert to_desk.body == alerts.ESCALATION_BODY.format(
        clinic=settings.CLINIC_NAME, minutes=minutes, link=links.absolute(reverse("intake:list"))
    )
    for message in mail.outbox:
        assert health_information_in(f"{message.subject}\n{message.body}", intake.patient) == []
        assert appointment.therapist.user.email not in message.to


def test_a_sweep_run_twice_escalates_once(intake_appointment, staff, capture, clock):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    assert len(sweep(capture, clock(10, 45))) == 1
    assert sweep(capture, clock(10, 45)) == []
    assert steps(intake) == [0, 1]
    assert len(mail.outbox) == 2


def test_an_intake_urgent_at_night_counts_from_the_opening(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(22), capture)  # Monday 10 PM
    assert sweep(capture, clock(23, 30)) == []
    assert sweep(capture, clock(8, 29, days=1)) == []
    assert len(sweep(capture, clock(8, 30, days=1))) == 1
    assert steps(intake) == [0, 1]


def test_acknowledged_in_time_it_is_never_escalated(intake_appointment, staff, capture, clock):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    review_services.intake_urgent_acknowledge(
        intake=intake,
        user=appointment.therapist.user,
        action=UrgentAcknowledgement.Action.CALLED_ADVISED_EMERGENCY,
        now=clock(10, 20),
    )
    assert sweep(capture, clock(15)) == []
    assert steps(intake) == [0]
    assert mail.outbox == []


def test_a_sweep_that_finds_both_steps_due_sends_only_the_second(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    assert len(sweep(capture, clock(13))) == 1
    assert steps(intake) == [0, 2]
    assert len(mail.outbox) == 2
    assert f"{2 * settings.URGENT_ACK_MINUTES} minutes" in mail.outbox[0].body


def test_acknowledged_after_the_escalation_was_queued_nothing_is_sent(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    with capture(execute=False):
        [alert_id] = escalation.urgent_sweep(now=clock(10, 30))
    review_services.intake_urgent_acknowledge(
        intake=intake, user=staff["admin"], action=UrgentAcknowledgement.Action.SEEN_IN_CLINIC
    )
    assert tasks.urgent_alert(alert_id) == 0
    assert mail.outbox == []
    assert UrgentAlert.objects.get(pk=alert_id).sent_at is not None


def test_a_location_without_hours_counts_every_minute(staff, capture, clock):
    nowhere = LocationFactory()
    appointment = AppointmentFactory(
        location=nowhere,
        therapist=TherapistFactory(locations=[nowhere]),
        start=clock(9, days=14),
    )
    saturday_night = clock(3, days=5)
    intake = make_urgent(appointment, saturday_night, capture)
    assert len(sweep(capture, saturday_night + datetime.timedelta(minutes=30))) == 1
    assert steps(intake) == [0, 1]


def test_the_minutes_come_from_the_setting(intake_appointment, staff, capture, clock, settings):
    settings.URGENT_ACK_MINUTES = 10
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(10), capture)
    assert sweep(capture, clock(10, 9)) == []
    assert len(sweep(capture, clock(10, 10))) == 1
    assert len(sweep(capture, clock(10, 20))) == 1
    assert steps(intake) == [0, 1, 2]


def test_urgent_again_after_an_acknowledgement_escalates_on_its_own(
    intake_appointment, staff, capture, clock
):
    appointment, _ = intake_appointment
    intake = make_urgent(appointment, clock(9), capture)
    sweep(capture, clock(9, 30))
    review_services.intake_urgent_acknowledge(
        intake=intake, user=staff["admin"], action=UrgentAcknowledgement.Action.CALLED_NO_ANSWER
    )
    intake = make_urgent(appointment, clock(11), capture, code="trauma")
    assert intake.urgent_since == clock(11)
    mail.outbox.clear()
    assert sweep(capture, clock(11, 29)) == []
    assert len(sweep(capture, clock(11, 30))) == 1
    assert steps(intake) == [0, 1]


def test_an_alert_whose_task_was_lost_is_queued_again(intake_appointment, staff, clock, capture):
    appointment, _ = intake_appointment
    intake = questionnaire_services.intake_for_appointment(appointment=appointment)
    with capture(execute=False):  # the task never reaches a worker
        questionnaire_services.intake_draft_save(
            intake=intake, step="red_flags", raw={"bowel": "yes"}, now=clock(10)
        )
    sweep(capture, clock(10, 1))
    assert mail.outbox == []  # still young: its task may be on its way
    sweep(capture, clock(10, 3))
    assert len(mail.outbox) == 2  # the alert, to the therapist and the desk
    assert UrgentAlert.objects.get(intake=intake).sent_at is not None
    mail.outbox.clear()
    sweep(capture, clock(10, 5))
    assert mail.outbox == []


def test_beat_runs_the_sweep_every_minute():
    schedule = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert {"task": "intake.tasks.urgent_sweep", "schedule": 60.0} in schedule
    assert tasks.urgent_sweep.name == "intake.tasks.urgent_sweep"
