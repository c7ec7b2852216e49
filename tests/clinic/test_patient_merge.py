"""The front desk merges a possible duplicate into the record it resembles, with a trace."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from careplans.models import CarePlan
from clinic import links
from clinic.models import Message, Patient, PatientLink, PatientMerge
from clinic.services.patients import MERGE_CONFLICT, PatientError, patient_merge
from intake.models import IntakeAssessment
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import PatientFactory, StaffUserFactory
from tests.helpers import another_visit, submitted_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(clinic_setup):
    """A patient, and a possible duplicate of her with a visit, an intake, a plan, a text."""
    kept = PatientFactory(first_name="Ana", last_name="Ruiz", email="ana@home.example")
    duplicate = PatientFactory(
        first_name="Ana", last_name="Ruiz", email="ana@work.example", possible_duplicate_of=kept
    )
    visit = another_visit(clinic_setup, patient=duplicate)
    submitted_intake(visit)
    plan_with_items(patient=duplicate)
    Message.objects.create(
        patient=duplicate, appointment=visit, kind="reminder", dedupe_key="k1", body="hi"
    )
    links.manage_url(visit)
    return kept, duplicate, visit


def test_merge_moves_everything_and_leaves_a_trace(pair):
    kept, duplicate, visit = pair
    desk = StaffUserFactory()
    trace = patient_merge(source=duplicate, into=kept, by=desk)
    assert not Patient.objects.filter(pk=duplicate.pk).exists()
    visit.refresh_from_db()
    assert visit.patient == kept
    assert IntakeAssessment.objects.get().patient == kept
    assert CarePlan.objects.get().patient == kept
    assert Message.objects.get().patient == kept
    assert PatientLink.objects.get().patient == kept
    assert PatientMerge.objects.get() == trace
    assert (trace.from_patient_id, trace.into, trace.by) == (duplicate.pk, kept, desk)
    assert "ana@work.example" in trace.from_summary
    assert trace.moved["clinic.Appointment"] == 1
    assert trace.moved["intake.IntakeAssessment"] == 1
    assert trace.moved["careplans.CarePlan"] == 1
    kept.refresh_from_db()
    assert kept.email == "ana@home.example"  # the kept record's contact details stay


def test_a_merge_that_would_break_a_rule_changes_nothing(pair):
    kept, duplicate, _ = pair
    CarePlan.objects.update(status=CarePlan.Status.ACTIVE)
    plan_with_items(patient=kept, status=CarePlan.Status.ACTIVE)
    with pytest.raises(PatientError) as caught:
        patient_merge(source=duplicate, into=kept)
    assert caught.value.message == MERGE_CONFLICT
    assert Patient.objects.filter(pk=duplicate.pk).exists()
    assert not PatientMerge.objects.exists()
    assert duplicate.appointments.count() == 1


def test_the_front_desk_filters_possible_duplicates_and_merges_from_the_admin(client, pair):
    kept, duplicate, visit = pair
    client.force_login(StaffUserFactory())
    changelist = reverse("admin:clinic_patient_changelist")
    listed = client.get(changelist, {"duplicate": "yes"})
    assert list(listed.context["cl"].result_list) == [duplicate]
    response = client.post(changelist, {"action": "merge_into", "_selected_action": [duplicate.pk]})
    merge_url = reverse("admin:clinic_patient_merge", args=[duplicate.pk])
    assert response.url == merge_url
    page = client.get(merge_url)
    assert page.status_code == 200 and page.context["form"].initial["into"] == kept.pk
    response = client.post(merge_url, {"into": kept.pk})
    assert response.url == reverse("admin:clinic_patient_change", args=[kept.pk])
    assert "Merged" in next(m.message for m in get_messages(response.wsgi_request))
    visit.refresh_from_db()
    assert visit.patient == kept
    assert PatientMerge.objects.get().by.role == "front_desk"


def test_a_therapist_cannot_merge(client, pair):
    _, duplicate, _ = pair
    client.force_login(StaffUserFactory(role="therapist"))
    response = client.get(reverse("admin:clinic_patient_merge", args=[duplicate.pk]))
    assert response.status_code == 403


def test_a_merge_moves_break_glass_grants_and_keeps_the_trail(pair, clinic_setup):
    import datetime

    from django.utils import timezone

    from clinic.models import AuditEvent, BreakGlassAccess
    from clinic.services.audit import audit_record

    kept, duplicate, _visit = pair
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        user=clinic_setup["therapist"].user,
        patient=duplicate,
        reason="Covering the weekend.",
        opened_at=now,
        expires_at=now + datetime.timedelta(hours=12),
    )
    looked = audit_record(action=AuditEvent.Action.VIEW, patient_id=duplicate.pk)
    trace = patient_merge(source=duplicate, into=kept, by=StaffUserFactory())
    grant.refresh_from_db()
    assert grant.patient == kept
    assert trace.moved["clinic.BreakGlassAccess"] == 1
    looked.refresh_from_db()
    assert looked.patient_id == duplicate.pk
