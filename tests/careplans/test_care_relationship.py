"""The one treatment relationship (``access.patients_for_care``) across intake and care plans,
breaking the glass, and the audit event each page of a patient's record writes."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from careplans.models import CarePlan
from clinic import access
from clinic.models import Appointment, AuditEvent, BreakGlassAccess, User
from clinic.services import audit
from clinic.views.workspace import BREAK_GLASS_OPENED
from intake.services import reassessment as reassessment_services
from tests.factories.careplans import plan_with_items
from tests.factories.clinic import (
    AppointmentFactory,
    CareTeamMemberFactory,
    TherapistFactory,
    UserFactory,
)
from tests.helpers import submitted_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clinic_setup, intake_appointment):
    """A patient with a sent intake (their therapist's appointment) and an active plan."""
    appointment, _ = intake_appointment
    intake = submitted_intake(appointment)
    plan = plan_with_items(
        patient=appointment.patient,
        author=clinic_setup["therapist"],
        intake=intake,
        status=CarePlan.Status.ACTIVE,
    )
    return {"patient": appointment.patient, "intake": intake, "plan": plan}


def record_status(client, user, record) -> tuple[int, int]:
    client.force_login(user)
    intake = client.get(reverse("intake:review", args=[record["intake"].pk]))
    plan = client.get(reverse("careplans:detail", args=[record["plan"].pk]))
    return intake.status_code, plan.status_code


def test_a_covering_therapist_reads_the_intake_they_plan_from(client, clinic_setup, record):
    colleague = TherapistFactory(locations=[clinic_setup["location"]])
    assert record_status(client, colleague.user, record) == (404, 404)

    CareTeamMemberFactory(patient=record["patient"], therapist=colleague)
    assert record_status(client, colleague.user, record) == (200, 200)


def test_a_care_team_place_ends_on_its_date(client, clinic_setup, record):
    colleague = TherapistFactory(locations=[clinic_setup["location"]])
    CareTeamMemberFactory(
        patient=record["patient"],
        therapist=colleague,
        until=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert record_status(client, colleague.user, record) == (404, 404)


def test_a_therapist_at_another_location_without_a_relationship_gets_404(client, record):
    assert record_status(client, TherapistFactory().user, record) == (404, 404)


def test_an_appointment_past_or_future_is_a_relationship_unless_cancelled(
    client, clinic_setup, record
):
    elsewhere = TherapistFactory()
    visit = AppointmentFactory(
        patient=record["patient"], therapist=elsewhere, status=Appointment.Status.CANCELLED
    )
    assert record["patient"] not in access.patients_for_care(user=elsewhere.user)
    visit.status = Appointment.Status.COMPLETED
    visit.save()
    assert record_status(client, elsewhere.user, record) == (200, 200)


def test_authoring_a_plan_is_a_relationship(clinic_setup, record):
    author = TherapistFactory()
    plan_with_items(patient=record["patient"], author=author)
    assert list(access.patients_for_care(user=author.user)) == [record["patient"]]


def test_the_front_desk_and_patients_have_no_care_relationship(record):
    assert not access.patients_for_care(user=UserFactory(role=User.Role.FRONT_DESK)).exists()
    assert not access.patients_for_care(user=UserFactory(role=User.Role.PATIENT)).exists()


# --- Breaking the glass ---------------------------------------------------------------------


def test_a_record_without_a_relationship_offers_break_glass(client, record):
    client.force_login(TherapistFactory().user)
    response = client.get(reverse("intake:review", args=[record["intake"].pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert access.NO_RELATIONSHIP in html
    assert reverse("break_glass", args=[record["patient"].pk]) in html
    assert "Marathon block" not in html  # no clinical content before the reason


def test_break_glass_needs_a_reason(client, record):
    therapist = TherapistFactory()
    client.force_login(therapist.user)
    url = reverse("break_glass", args=[record["patient"].pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert audit.REASON_REQUIRED in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).exists()


def test_break_glass_opens_the_record_audits_it_and_tells_the_admins(
    client, record, settings, django_capture_on_commit_callbacks
):
    settings.BREAK_GLASS_HOURS = 12
    UserFactory(role=User.Role.ADMIN, is_staff=True, email="lead@stride.example")
    therapist = TherapistFactory()
    client.force_login(therapist.user)
    review = reverse("intake:review", args=[record["intake"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("break_glass", args=[record["patient"].pk]),
            {"reason": "Patient phoned with new symptoms; own therapist away.", "next": review},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == review
    assert response.status_code == 200
    assert BREAK_GLASS_OPENED.format(hours=12) in response.content.decode()

    event = AuditEvent.objects.get(action=AuditEvent.Action.BREAK_GLASS)
    assert event.user == therapist.user
    assert event.patient == record["patient"]
    assert event.reason.startswith("Patient phoned")

    [email] = mail.outbox
    assert email.to == ["lead@stride.example"]
    assert email.subject == audit.BREAK_GLASS_SUBJECT
    assert f"?patient__id__exact={record['patient'].pk}" in email.body
    for clinical in (record["patient"].last_name, "Marathon block", "new symptoms"):
        assert clinical not in email.body


def test_break_glass_expires_after_the_setting(client, record, settings):
    settings.BREAK_GLASS_HOURS = 12
    therapist = TherapistFactory()
    opened = timezone.now()
    audit.break_glass_open(user=therapist.user, patient=record["patient"], reason="Cover")
    patient = record["patient"]
    in_time = opened + datetime.timedelta(hours=11, minutes=59)
    too_late = opened + datetime.timedelta(hours=12, minutes=1)
    assert patient in access.patients_for_care(user=therapist.user, now=in_time)
    assert patient not in access.patients_for_care(user=therapist.user, now=too_late)
    assert record_status(client, therapist.user, record) == (200, 200)
    BreakGlassAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert record_status(client, therapist.user, record) == (404, 404)


def test_break_glass_is_for_therapists(client, record):
    client.force_login(UserFactory(role=User.Role.FRONT_DESK, is_staff=True))
    url = reverse("break_glass", args=[record["patient"].pk])
    assert client.post(url, {"reason": "Curious"}).status_code == 403
    assert not BreakGlassAccess.objects.exists()


# --- One audit event per page view ----------------------------------------------------------


def reassess_link(record):
    reassessment = reassessment_services.reassessment_request_create(
        patient=record["patient"], therapist=record["plan"].author
    )
    return [record["intake"].pk, reassessment.pk]


STAFF_PAGES = [
    ("intake:review", lambda r: [r["intake"].pk], AuditEvent.Action.VIEW),
    ("intake:assessment", lambda r: [r["intake"].pk], AuditEvent.Action.VIEW),
    ("intake:reassess_link", reassess_link, AuditEvent.Action.VIEW),
    ("careplans:patient", lambda r: [r["patient"].pk], AuditEvent.Action.VIEW),
    ("careplans:detail", lambda r: [r["plan"].pk], AuditEvent.Action.VIEW),
    ("careplans:history", lambda r: [r["plan"].pk], AuditEvent.Action.VIEW),
    ("careplans:pdf", lambda r: [r["plan"].pk], AuditEvent.Action.PRINT),
]


@pytest.mark.parametrize(("name", "args", "action"), STAFF_PAGES, ids=[p[0] for p in STAFF_PAGES])
def test_each_staff_page_of_a_record_writes_one_event(
    client, clinic_setup, record, name, args, action
):
    therapist = clinic_setup["therapist"].user
    client.force_login(therapist)
    url = reverse(name, args=args(record))
    before = AuditEvent.objects.count()
    response = client.get(url, HTTP_USER_AGENT="Test browser", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    [event] = AuditEvent.objects.order_by("pk")[before:]
    assert (event.user, event.role, event.patient, event.action) == (
        therapist,
        User.Role.THERAPIST,
        record["patient"],
        action,
    )
    assert (event.ip, event.user_agent, event.path) == ("10.0.0.7", "Test browser", url)


PATIENT_PAGES = [
    ("careplans:my_plan", AuditEvent.Action.VIEW),
    ("careplans:my_plan_pdf", AuditEvent.Action.PRINT),
    ("careplans:session_log", AuditEvent.Action.VIEW),
    ("account:home", AuditEvent.Action.VIEW),
]


@pytest.mark.parametrize(("name", "action"), PATIENT_PAGES, ids=[p[0] for p in PATIENT_PAGES])
def test_each_of_the_patients_own_pages_writes_one_event(client, record, name, action):
    patient = record["patient"]
    patient.user = UserFactory(role=User.Role.PATIENT, email=patient.email)
    patient.save()
    client.force_login(patient.user)
    args = [] if name == "account:home" else [record["plan"].pk]
    before = AuditEvent.objects.count()
    assert client.get(reverse(name, args=args)).status_code == 200
    [event] = AuditEvent.objects.order_by("pk")[before:]
    assert (event.user, event.patient, event.action) == (patient.user, patient, action)


def test_a_write_is_not_recorded_as_a_view(client, clinic_setup, record):
    client.force_login(clinic_setup["therapist"].user)
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    client.post(reverse("intake:mark_reviewed", args=[record["intake"].pk]))
    assert not views.exists()


# --- Writes through the services ------------------------------------------------------------


def test_publishing_and_logging_a_session_are_audited(client, clinic_setup, record):
    from careplans import services as careplan_services

    therapist = clinic_setup["therapist"].user
    draft = careplan_services.careplan_revise(plan=record["plan"])
    active = careplan_services.careplan_publish(plan=draft, user=therapist)
    published = AuditEvent.objects.get(object_type="careplans.careplan", action="change")
    assert (published.user, published.patient) == (therapist, record["patient"])
    assert published.changed_values == {"status": "active"}

    patient_user = UserFactory(role=User.Role.PATIENT)
    careplan_services.session_log_create(
        plan=active,
        patient=record["patient"],
        performed_on=timezone.localdate(),
        pain_after=2,
        items_done=list(active.items.all()),
        user=patient_user,
    )
    logged = AuditEvent.objects.get(object_type="careplans.sessionlog")
    assert (logged.action, logged.user, logged.patient) == (
        "create",
        patient_user,
        record["patient"],
    )
    assert logged.changed_values == {}
