"""Every write to an intake, an assessment or a re-assessment leaves an audit event in its
transaction, with the changed field names and never a clinical value."""

import pytest
from django.urls import reverse

from clinic.models import AuditEvent, User
from intake.models import IntakeAssessment, ReassessmentRequest
from intake.services import reassessment as reassessment_services
from tests.factories.clinic import StaffUserFactory
from tests.helpers import answers, submitted_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment, red_flags=["trauma"])


def writes_of(intake, *, after=0):
    return list(
        AuditEvent.objects.filter(pk__gt=after, object_id=str(intake.pk))
        .exclude(action=AuditEvent.Action.VIEW)
        .order_by("pk")
    )


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_each_step_and_the_sending_are_audited_by_name(intake):
    events = writes_of(intake)
    assert [e.changed_fields for e in events[:-1]] == [[f"answers.{s}"] for s in answers()]
    sent = events[-1]
    assert (sent.action, sent.patient, sent.changed_values) == (
        AuditEvent.Action.CHANGE,
        intake.patient,
        {"status": "submitted"},
    )
    assert "odi_percent" in sent.changed_fields
    assert all(e.object_type == "intake.intakeassessment" for e in events)


def test_acknowledging_and_marking_reviewed_are_audited(client, clinic_setup, intake):
    therapist = clinic_setup["therapist"].user
    client.force_login(therapist)
    before = last_pk()
    client.post(
        reverse("intake:acknowledge", args=[intake.pk]),
        {"action": "other", "note": "Sent to the emergency department."},
    )
    acknowledged = AuditEvent.objects.get(pk__gt=before, object_type="intake.urgentacknowledgement")
    assert (acknowledged.action, acknowledged.user, acknowledged.patient) == (
        AuditEvent.Action.CREATE,
        therapist,
        intake.patient,
    )
    assert "note" in acknowledged.changed_fields
    assert acknowledged.changed_values == {}  # what was done is clinical

    before = last_pk()
    client.post(reverse("intake:mark_reviewed", args=[intake.pk]))
    [reviewed] = writes_of(intake, after=before)
    assert (reviewed.action, reviewed.user, reviewed.changed_fields) == (
        AuditEvent.Action.CHANGE,
        therapist,
        ["reviewed_at"],
    )
    before = last_pk()
    client.post(reverse("intake:mark_reviewed", args=[intake.pk]))  # again: nothing changes
    assert writes_of(intake, after=before) == []


def test_reopening_from_the_admin_is_audited(client, intake):
    desk = StaffUserFactory(role=User.Role.FRONT_DESK)
    client.force_login(desk)
    before = last_pk()
    client.post(
        reverse("admin:intake_intakeassessment_changelist"),
        {"action": "reopen_for_patient", "_selected_action": [intake.pk]},
    )
    [reopened] = writes_of(intake, after=before)
    assert (reopened.user, reopened.role, reopened.changed_values) == (
        desk,
        User.Role.FRONT_DESK,
        {"status": IntakeAssessment.Status.IN_PROGRESS},
    )


def test_asking_for_and_answering_a_reassessment_are_audited(client, clinic_setup, intake):
    therapist = clinic_setup["therapist"]
    client.force_login(therapist.user)
    before = last_pk()
    client.post(reverse("intake:reassess_create", args=[intake.pk]))
    requested = AuditEvent.objects.get(pk__gt=before, object_type="intake.reassessmentrequest")
    assert (requested.action, requested.user, requested.patient) == (
        AuditEvent.Action.CREATE,
        therapist.user,
        intake.patient,
    )

    reassessment = ReassessmentRequest.objects.get(patient=intake.patient)
    reassessment_services.reassessment_submit(
        reassessment=reassessment, odi_answers=[1] * 10, nprs_now=2, psfs_ratings=[6, 8, 9]
    )
    answered = AuditEvent.objects.get(object_type="intake.outcomemeasure", action="create")
    assert answered.patient == intake.patient
    assert answered.changed_values == {}
