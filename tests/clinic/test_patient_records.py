"""The patient's right of access: their records as JSON and PDF, for themselves and, on
request, exported by a clinic admin; every export audited; nobody else's records."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from careplans.models import CarePlan
from clinic.models import AuditEvent, InboundMessage, Message, User
from clinic.selectors.records import patient_record
from tests.factories.careplans import SessionLogFactory, plan_with_items
from tests.factories.clinic import PatientUserFactory, StaffUserFactory, UserFactory
from tests.helpers import submitted_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_record(intake_appointment):
    """A patient with a visit, a submitted intake, a published plan with a session logged, a
    draft plan, a text sent and a reply received."""
    appointment, _ = intake_appointment
    patient = appointment.patient
    patient.user = UserFactory(email=patient.email, role=User.Role.PATIENT)
    patient.save()
    submitted_intake(appointment)
    plan = plan_with_items(
        patient=patient, status=CarePlan.Status.ACTIVE, title="Strong hips for running"
    )
    plan_with_items(patient=patient, title="Unfinished draft")
    SessionLogFactory(plan=plan, patient=patient, pain_after=3, note="Felt fine after 5k")
    Message.objects.create(
        patient=patient,
        appointment=appointment,
        kind=Message.Kind.REMINDER,
        to="+16125550187",
        body="Reminder: your visit tomorrow",
        status=Message.Status.SENT,
    )
    InboundMessage.objects.create(from_number="+16125550187", body="C", patient=patient)
    return patient


def url(patient, fmt):
    return reverse("account:records", args=[patient.pk, fmt])


def sections(record) -> dict:
    return {s["key"]: s["items"] for s in record["sections"]}


def test_every_app_contributes_its_part(full_record):
    record = patient_record(patient=full_record, now=timezone.now())
    parts = sections(record)
    assert record["patient"]["email"] == full_record.email
    assert len(parts["appointments"]) == 1
    (intake,) = parts["intakes"]
    assert intake["status"] == "Submitted" and intake["answers"]["pain"]
    assert intake["scores"]["oswestry_percent"] is not None
    # Plans the patient was given; never a draft.
    assert [p["title"] for p in parts["plans"]] == ["Strong hips for running"]
    assert len(parts["plans"][0]["exercises"]) == 2
    assert parts["session_logs"][0]["note"] == "Felt fine after 5k"
    assert [m["direction"] for m in parts["messages"]] == ["sent", "received"]
    # All of it is plain JSON.
    json.dumps(record)


def test_a_patient_downloads_their_records_as_json(
    client, full_record, django_assert_max_num_queries
):
    client.force_login(full_record.user)
    with django_assert_max_num_queries(30):
        response = client.get(url(full_record, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    record = json.loads(response.content)
    assert record["format"] == "stride-patient-record/1"
    assert {"appointments", "intakes", "plans", "session_logs", "messages"} <= set(sections(record))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.patient_id) == (full_record.user, full_record.pk)
    assert event.changed_values == {"format": "json"}


def test_a_patient_downloads_their_records_as_pdf(client, full_record):
    client.force_login(full_record.user)
    response = client.get(url(full_record, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, patient=full_record).count() == 1
    )


def test_my_care_links_to_the_downloads(client, full_record):
    client.force_login(full_record.user)
    html = client.get(reverse("account:home")).content.decode()
    assert url(full_record, "pdf") in html and url(full_record, "json") in html


def test_another_patients_records_are_a_404_and_not_audited(client, full_record):
    stranger = PatientUserFactory()
    client.force_login(stranger.user)
    assert client.get(url(full_record, "json")).status_code == 404
    assert client.get(url(stranger, "xml")).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("role", [User.Role.FRONT_DESK, User.Role.THERAPIST])
def test_staff_cannot_use_the_patients_download(client, full_record, role):
    client.force_login(StaffUserFactory(role=role))
    assert client.get(url(full_record, "json")).status_code == 403


def admin_url(patient, fmt):
    return reverse("admin:clinic_patient_records", args=[patient.pk, fmt])


def test_a_clinic_admin_exports_a_patients_records_from_the_admin(client, full_record):
    admin = StaffUserFactory(role=User.Role.ADMIN)
    client.force_login(admin)
    page = client.get(reverse("admin:clinic_patient_change", args=[full_record.pk]))
    assert admin_url(full_record, "pdf") in page.content.decode()

    response = client.get(admin_url(full_record, "json"))
    assert response.status_code == 200
    assert json.loads(response.content)["patient"]["email"] == full_record.email
    assert client.get(admin_url(full_record, "pdf")).content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=admin)
    assert sorted(e.changed_values["format"] for e in exports) == ["json", "pdf"]


def test_the_front_desk_cannot_export_from_the_admin(client, full_record):
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    page = client.get(reverse("admin:clinic_patient_change", args=[full_record.pk]))
    assert page.status_code == 200
    assert admin_url(full_record, "json") not in page.content.decode()
    assert client.get(admin_url(full_record, "json")).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
