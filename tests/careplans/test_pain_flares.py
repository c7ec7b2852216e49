"""A session that flares: the flare recorded with the session, the therapist's alert (no name,
no score, a link), at most one open flare per patient, and marking it handled."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from careplans import services, services_flares, tasks
from careplans.flare import RISE, THRESHOLD
from careplans.models import CarePlan, PainFlare
from careplans.services import CarePlanError
from careplans.services_flares import (
    FLARE_ALREADY_HANDLED,
    FLARE_EMAIL_SUBJECT,
    FLARE_NOTE_REQUIRED,
)
from tests.factories.careplans import PainFlareFactory, SessionLogFactory, plan_with_items
from tests.factories.clinic import (
    AppointmentFactory,
    PatientUserFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def plan():
    patient = PatientUserFactory(first_name="Alexandra", last_name="Riverside")
    return plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)


def log_session(plan, pain, capture, *, days_ago=0):
    with capture(execute=True):
        return services.session_log_create(
            plan=plan,
            patient=plan.patient,
            performed_on=TODAY - datetime.timedelta(days=days_ago),
            pain_after=pain,
            items_done=list(plan.items.all()),
            note="Sharp pain bending over",
        )


def earlier_sessions(plan, *pains):
    """Sessions on the days before today, the last one given the most recent."""
    for days_ago, pain in enumerate(reversed(pains), start=1):
        SessionLogFactory(
            plan=plan, pain_after=pain, performed_on=TODAY - datetime.timedelta(days=days_ago)
        )


def test_a_session_at_the_threshold_records_a_flare_and_alerts_the_plans_author(
    plan, django_capture_on_commit_callbacks
):
    log = log_session(plan, 9, django_capture_on_commit_callbacks)

    assert log.flare_reason == THRESHOLD
    flare = PainFlare.objects.get()
    assert (flare.patient, flare.session_log, flare.reason) == (plan.patient, log, THRESHOLD)
    assert flare.handled_at is None and flare.therapist_notified_at is not None
    [email] = mail.outbox
    assert email.to == [plan.author.user.email]
    assert email.subject == FLARE_EMAIL_SUBJECT.format(clinic="Stride PT")
    link = "http://127.0.0.1:8000" + reverse("careplans:patient", args=[plan.patient.pk])
    assert link in email.body


def test_the_alert_carries_no_health_information(plan, django_capture_on_commit_callbacks):
    log_session(plan, 9, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    for text in (email.subject, email.body):
        for word in ("Alexandra", "Riverside", plan.patient.email, "/10", "9 ", "pain", "Sharp"):
            assert word.lower() not in text.lower()
        assert plan.title not in text


def test_a_session_below_the_threshold_without_a_rise_is_not_a_flare(
    plan, django_capture_on_commit_callbacks
):
    earlier_sessions(plan, 5, 5, 5)
    log = log_session(plan, 6, django_capture_on_commit_callbacks)
    assert log.flare_reason == ""
    assert not PainFlare.objects.exists() and mail.outbox == []


def test_a_rise_of_two_over_the_previous_three_is_a_flare(plan, django_capture_on_commit_callbacks):
    earlier_sessions(plan, 9, 3, 4, 5)  # the 9 is the fourth back: it does not count
    log = log_session(plan, 6, django_capture_on_commit_callbacks)
    assert log.flare_reason == RISE
    flare = PainFlare.objects.get()
    assert (flare.reason, flare.previous_mean) == (RISE, Decimal("4.0"))
    assert len(mail.outbox) == 1


def test_a_rise_of_one_is_not(plan, django_capture_on_commit_callbacks):
    earlier_sessions(plan, 3, 4, 5)
    log = log_session(plan, 5, django_capture_on_commit_callbacks)
    assert log.flare_reason == "" and not PainFlare.objects.exists()


def test_a_session_logged_for_an_earlier_day_is_measured_against_the_days_before_it(
    plan, django_capture_on_commit_callbacks
):
    earlier_sessions(plan, 1, 2, 2, 6, 6)  # 5 to 1 days ago
    # Logged for 3 days ago, after the 2 logged for that day: the sessions before it are that
    # day's and the two days before it, not the later 6s.
    log = log_session(plan, 4, django_capture_on_commit_callbacks, days_ago=3)
    assert services_flares.previous_pain(log=log) == [2, 2, 1]
    assert log.flare_reason == RISE


def test_a_second_flare_while_one_is_open_adds_nothing_and_sends_no_second_email(
    plan, django_capture_on_commit_callbacks
):
    first = log_session(plan, 8, django_capture_on_commit_callbacks)
    second = log_session(plan, 9, django_capture_on_commit_callbacks)
    assert second.flare_reason == THRESHOLD  # still marked on the session (the chart shows it)
    assert list(PainFlare.objects.values_list("session_log", flat=True)) == [first.pk]
    assert len(mail.outbox) == 1


def test_once_handled_the_next_flare_opens_a_new_one(plan, django_capture_on_commit_callbacks):
    log_session(plan, 8, django_capture_on_commit_callbacks)
    services_flares.pain_flare_handle(
        flare=PainFlare.objects.get(), user=plan.author.user, note="Called; easing off."
    )
    log_session(plan, 8, django_capture_on_commit_callbacks)
    assert PainFlare.objects.count() == 2
    assert PainFlare.objects.filter(handled_at__isnull=True).count() == 1
    assert len(mail.outbox) == 2


def test_the_alert_is_sent_once_even_if_the_task_runs_twice(
    plan, django_capture_on_commit_callbacks
):
    log_session(plan, 9, django_capture_on_commit_callbacks)
    tasks.pain_flare_notify.delay(PainFlare.objects.get().pk)
    assert len(mail.outbox) == 1


def test_nothing_is_queued_when_the_session_is_refused(plan, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CarePlanError),
    ):
        services.session_log_create(
            plan=plan,
            patient=plan.patient,
            performed_on=TODAY + datetime.timedelta(days=1),
            pain_after=9,
            items_done=list(plan.items.all()),
        )
    assert callbacks == [] and not PainFlare.objects.exists() and mail.outbox == []


def test_without_a_plan_author_the_therapist_of_the_latest_visit_is_alerted(
    django_capture_on_commit_callbacks,
):
    patient = PatientUserFactory()
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE, author=None)
    now = timezone.now()
    earlier, latest, upcoming = TherapistFactory(), TherapistFactory(), TherapistFactory()
    AppointmentFactory(patient=patient, therapist=earlier, start=now - datetime.timedelta(days=20))
    AppointmentFactory(patient=patient, therapist=latest, start=now - datetime.timedelta(days=6))
    AppointmentFactory(
        patient=patient,
        therapist=TherapistFactory(),
        start=now - datetime.timedelta(days=2),
        status="cancelled",
    )
    AppointmentFactory(patient=patient, therapist=upcoming, start=now + datetime.timedelta(days=5))

    log_session(plan, 8, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert email.to == [latest.user.email]


def test_with_only_a_booked_visit_its_therapist_is_alerted(django_capture_on_commit_callbacks):
    patient = PatientUserFactory()
    plan = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE, author=None)
    upcoming = TherapistFactory()
    AppointmentFactory(patient=patient, therapist=upcoming)
    log_session(plan, 8, django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [[upcoming.user.email]]


def test_with_no_therapist_to_tell_the_flare_still_needs_attention(
    django_capture_on_commit_callbacks,
):
    plan = plan_with_items(patient=PatientUserFactory(), status=CarePlan.Status.ACTIVE, author=None)
    log_session(plan, 8, django_capture_on_commit_callbacks)
    flare = PainFlare.objects.get()
    assert mail.outbox == [] and flare.therapist_notified_at is None and flare.handled_at is None


def test_a_flare_handled_before_the_alert_went_out_sends_nothing():
    flare = PainFlareFactory()
    services_flares.pain_flare_handle(flare=flare, user=UserFactory(), note="Seen in clinic.")
    assert services_flares.pain_flare_alert_send(flare_id=flare.pk) == 0
    assert mail.outbox == []


def test_marking_handled_records_who_when_and_the_note():
    flare = PainFlareFactory()
    therapist = TherapistFactory()
    when = timezone.now()
    handled = services_flares.pain_flare_handle(
        flare=flare, user=therapist.user, note="  Phoned: eased the plan.  ", now=when
    )
    handled.refresh_from_db()
    assert (handled.handled_by, handled.handled_at) == (therapist.user, when)
    assert handled.handled_note == "Phoned: eased the plan."


@pytest.mark.parametrize("note", ["", "   "])
def test_marking_handled_needs_a_note(note):
    flare = PainFlareFactory()
    with pytest.raises(CarePlanError) as error:
        services_flares.pain_flare_handle(flare=flare, user=UserFactory(), note=note)
    assert (error.value.message, error.value.code) == (FLARE_NOTE_REQUIRED, "flare_note_required")
    flare.refresh_from_db()
    assert flare.handled_at is None


def test_a_flare_is_handled_once():
    flare = PainFlareFactory()
    services_flares.pain_flare_handle(flare=flare, user=UserFactory(), note="Called.")
    with pytest.raises(CarePlanError) as error:
        services_flares.pain_flare_handle(flare=flare, user=UserFactory(), note="Called again.")
    assert (error.value.message, error.value.code) == (FLARE_ALREADY_HANDLED, "flare_handled")


def test_the_database_allows_one_open_flare_per_patient():
    from django.db import IntegrityError, transaction

    flare = PainFlareFactory()
    other_log = SessionLogFactory(plan=flare.session_log.plan, pain_after=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        PainFlare.objects.create(patient=flare.patient, session_log=other_log, reason=THRESHOLD)


def test_logs_name_no_patient_and_no_score(plan, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.INFO, logger="careplans"):
        log_session(plan, 9, django_capture_on_commit_callbacks)
    text = caplog.text.lower()
    assert "alexandra" not in text and "riverside" not in text and "sharp" not in text
    assert "/10" not in text and "pain 9" not in text and "pain_after" not in text
