"""The audit trail: events written by the admin's record pages and by signing in, read-only
for everyone, and the front desk's admin without clinical content."""

import csv
import io

import pytest
from django.urls import reverse

from clinic.models import AuditEvent, CareTeamMember, User
from tests.factories.clinic import (
    PASSWORD,
    AppointmentFactory,
    PatientFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_admin(client):
    user = StaffUserFactory(role=User.Role.ADMIN)
    client.force_login(user)
    return user


@pytest.fixture
def front_desk(client):
    user = StaffUserFactory(role=User.Role.FRONT_DESK)
    client.force_login(user)
    return user


def new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("pk")[before:])


# --- The admin's record pages ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["patient", "appointment"])
def test_an_admin_change_page_writes_one_view_event(client, front_desk, clinic_setup, model):
    appointment = AppointmentFactory(therapist=clinic_setup["therapist"])
    obj = appointment if model == "appointment" else appointment.patient
    before = AuditEvent.objects.count()
    response = client.get(reverse(f"admin:clinic_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    [event] = new_events(before)
    assert (event.action, event.user, event.role) == ("view", front_desk, User.Role.FRONT_DESK)
    assert (event.patient, event.object_type, event.object_id) == (
        appointment.patient,
        f"clinic.{model}",
        str(obj.pk),
    )


def test_a_change_in_the_admin_records_field_names_not_values(client, front_desk):
    patient = PatientFactory(first_name="Ada", phone="", date_of_birth=None, sms_consent=False)
    url = reverse("admin:clinic_patient_change", args=[patient.pk])
    form = {
        "first_name": "Ada",
        "last_name": patient.last_name,
        "email": patient.email,
        "phone": "(612) 555-0199",
        "date_of_birth": "",
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
        "care_team-TOTAL_FORMS": "0",
        "care_team-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
    assert event.patient == patient
    assert event.changed_fields == ["phone"]
    assert event.changed_values == {}


def test_the_desk_adds_a_colleague_to_the_care_team(client, front_desk, clinic_setup):
    patient = PatientFactory()
    colleague = TherapistFactory()
    url = reverse("admin:clinic_patient_change", args=[patient.pk])
    form = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "email": patient.email,
        "phone": "",
        "date_of_birth": "",
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
        "care_team-TOTAL_FORMS": "1",
        "care_team-INITIAL_FORMS": "0",
        "care_team-0-therapist": colleague.pk,
        "care_team-0-until": "2030-01-31",
    }
    assert client.post(url, form).status_code == 302
    member = CareTeamMember.objects.get()
    assert (member.patient, member.therapist, member.added_by) == (patient, colleague, front_desk)
    event = AuditEvent.objects.get(object_type="clinic.careteammember")
    assert (event.action, event.user, event.patient, event.object_id) == (
        AuditEvent.Action.CREATE,
        front_desk,
        patient,
        str(member.pk),
    )
    assert event.changed_values == {"therapist": str(colleague.pk), "until": "2030-01-31"}

    form.update(
        {
            "care_team-INITIAL_FORMS": "1",
            "care_team-0-id": member.pk,
            "care_team-0-patient": patient.pk,
            "care_team-0-DELETE": "on",
        }
    )
    assert client.post(url, form).status_code == 302
    assert not CareTeamMember.objects.exists()
    removed = AuditEvent.objects.get(object_type="clinic.careteammember", action="delete")
    assert (removed.user, removed.object_id) == (front_desk, str(member.pk))


# --- Read-only, even to superusers ----------------------------------------------------------


def test_events_are_read_only_in_the_admin_even_to_superusers(client):
    superuser = StaffUserFactory(role=User.Role.ADMIN, is_superuser=True)
    client.force_login(superuser)
    event = AuditEvent.objects.latest("pk")  # the sign-in just now
    assert client.get(reverse("admin:clinic_auditevent_add")).status_code == 403
    change = client.get(reverse("admin:clinic_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert 'name="_save"' not in html
    assert list(change.context["adminform"].form.fields) == []
    assert client.get(reverse("admin:clinic_auditevent_delete", args=[event.pk])).status_code == 403
    changelist = client.get(reverse("admin:clinic_auditevent_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_clinic_admins_filter_by_patient_and_export_csv(client, clinic_admin, clinic_setup):
    appointment = AppointmentFactory(therapist=clinic_setup["therapist"])
    other = AppointmentFactory()  # another therapist: no overlap on PostgreSQL
    client.get(reverse("admin:clinic_patient_change", args=[appointment.patient.pk]))
    client.get(reverse("admin:clinic_patient_change", args=[other.patient.pk]))

    url = reverse("admin:clinic_auditevent_changelist")
    filtered = client.get(url, {"patient__id__exact": appointment.patient.pk})
    assert filtered.status_code == 200
    shown = list(filtered.context["cl"].result_list)
    assert [e.patient for e in shown] == [appointment.patient]

    for query in ({"action__exact": "view"}, {"user__id__exact": clinic_admin.pk}):
        assert client.get(url, query).status_code == 200

    before = AuditEvent.objects.count()
    response = client.post(url, {"action": "export_csv", "_selected_action": [e.pk for e in shown]})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["patient_id"] for row in rows] == [str(appointment.patient.pk)]
    assert rows[0]["user"] == clinic_admin.email
    [export] = new_events(before)
    assert export.action == AuditEvent.Action.EXPORT


def test_the_patient_page_links_to_who_looked_for_clinic_admins_only(
    client, clinic_admin, clinic_setup
):
    patient = PatientFactory()
    link = f"{reverse('admin:clinic_auditevent_changelist')}?patient__id__exact={patient.pk}"
    html = client.get(reverse("admin:clinic_patient_change", args=[patient.pk])).content.decode()
    assert link in html
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    html = client.get(reverse("admin:clinic_patient_change", args=[patient.pk])).content.decode()
    assert link not in html


# --- Signing in -----------------------------------------------------------------------------


def test_sign_in_and_a_failed_sign_in_are_audited(client):
    user = StaffUserFactory(role=User.Role.FRONT_DESK)
    login = reverse("login")
    client.post(login, {"username": user.email, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert (failed.user, failed.username, failed.ip) == (None, user.email, "10.1.1.1")
    assert "wrong" not in str(failed.__dict__)

    client.post(login, {"username": user.email, "password": PASSWORD})
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert (signed_in.user, signed_in.role) == (user, User.Role.FRONT_DESK)


# --- The front desk's admin holds no clinical content ---------------------------------------


def test_the_front_desk_sees_no_clinical_content_in_the_patient_admin(
    client, front_desk, intake_appointment
):
    from careplans.models import CarePlan
    from tests.factories.careplans import plan_with_items
    from tests.helpers import submitted_intake

    appointment, _ = intake_appointment
    submitted_intake(appointment, red_flags=["trauma"])
    plan_with_items(
        patient=appointment.patient, title="Secret knee plan", status=CarePlan.Status.ACTIVE
    )
    patient = appointment.patient
    html = client.get(reverse("admin:clinic_patient_change", args=[patient.pk])).content.decode()
    for clinical in ("Secret knee plan", "Marathon block", "Ibuprofen", "ODI", "red flag"):
        assert clinical not in html
    # Searching the desk's lists by clinical words finds nothing.
    for name in ("clinic_patient", "intake_intakeassessment", "clinic_appointment"):
        found = client.get(reverse(f"admin:{name}_changelist"), {"q": "Marathon"})
        assert found.status_code == 200
        assert list(found.context["cl"].result_list) == []
    for name in ("careplans_careplan", "careplans_sessionlog", "intake_clinicalassessment"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403


def test_a_role_without_a_therapist_record_sees_no_patients(clinic_setup):
    from clinic import access

    AppointmentFactory(therapist=clinic_setup["therapist"])
    assert not access.patients_for_care(user=UserFactory(role=User.Role.THERAPIST)).exists()
    assert access.patients_for_care(user=UserFactory(role=User.Role.ADMIN)).count() == 1


# --- Writes through the practice's services --------------------------------------------------


def test_booking_and_cancelling_from_the_link_are_audited(client, clinic_setup, next_monday):
    import datetime

    from clinic import links
    from clinic.services.booking import appointment_book

    start = datetime.datetime.combine(next_monday, datetime.time(9), clinic_setup["location"].zone)
    appointment = appointment_book(
        appointment_type=clinic_setup["type"],
        location=clinic_setup["location"],
        start=start,
        patient=PatientFactory(),
    )
    booked = AuditEvent.objects.get(object_type="clinic.appointment")
    assert (booked.action, booked.patient) == (AuditEvent.Action.CREATE, appointment.patient)
    assert booked.changed_values["start"] == start.isoformat()
    assert "reason_for_visit" in booked.changed_fields
    assert "reason_for_visit" not in booked.changed_values

    token = links.appointment_token(appointment, salt=links.MANAGE_SALT)
    client.post(
        reverse("appointment_cancel", args=[token]), {"reason": "Better"}, REMOTE_ADDR="10.1.2.3"
    )
    cancelled = AuditEvent.objects.get(object_type="clinic.appointment", action="change")
    assert cancelled.changed_values == {"status": "cancelled"}
    assert (cancelled.user, cancelled.ip) == (None, "10.1.2.3")  # a signed link: no account


def test_a_merge_is_audited_under_both_ids_and_keeps_the_old_events(client, front_desk):
    from clinic.services.patients import patient_merge

    kept, duplicate = PatientFactory(), PatientFactory()
    client.get(reverse("admin:clinic_patient_change", args=[duplicate.pk]))  # a look first
    looked = AuditEvent.objects.get(patient_id=duplicate.pk, action=AuditEvent.Action.VIEW)
    trace = patient_merge(source=duplicate, into=kept, by=front_desk)
    merged = AuditEvent.objects.filter(action=AuditEvent.Action.MERGE).order_by("patient_id")
    assert sorted(e.patient_id for e in merged) == sorted([duplicate.pk, kept.pk])
    for event in merged:
        assert (event.user, event.object_id) == (front_desk, str(trace.pk))
        assert event.changed_values == {
            "from_patient": str(duplicate.pk),
            "into_patient": str(kept.pk),
        }
    looked.refresh_from_db()
    assert looked.patient_id == duplicate.pk  # the trail is never rewritten


# --- The audit list's filters and search -----------------------------------------------------


def shown(response) -> set[int]:
    return {event.pk for event in response.context["cl"].result_list}


def test_the_trail_is_searched_by_patient_id_names_and_staff_and_filtered_by_role(
    client, clinic_admin
):
    from clinic.services.audit import audit_record

    ada = PatientFactory(first_name="Ada", last_name="Quill")
    other = PatientFactory(first_name="Bo", last_name="Stone")
    desk = StaffUserFactory(role=User.Role.FRONT_DESK, last_name="Deskley")
    therapist = TherapistFactory().user
    by_desk = audit_record(action=AuditEvent.Action.VIEW, user=desk, patient_id=ada.pk)
    by_therapist = audit_record(action=AuditEvent.Action.VIEW, user=therapist, patient_id=other.pk)
    failed = audit_record(action=AuditEvent.Action.SIGN_IN_FAILED, username="mallory@guess.example")
    url = reverse("admin:clinic_auditevent_changelist")

    assert shown(client.get(url, {"q": f"#{ada.pk}"})) == {by_desk.pk}
    assert shown(client.get(url, {"q": str(other.pk)})) == {by_therapist.pk}
    assert shown(client.get(url, {"q": "quill"})) == {by_desk.pk}
    assert shown(client.get(url, {"q": "deskley"})) == {by_desk.pk}
    assert shown(client.get(url, {"q": "mallory"})) == {failed.pk}
    by_role = shown(client.get(url, {"role__exact": User.Role.FRONT_DESK}))
    assert by_desk.pk in by_role and by_therapist.pk not in by_role
    assert shown(client.get(url, {"user__id__exact": therapist.pk})) == {by_therapist.pk}


def test_the_audit_list_costs_a_bounded_number_of_queries(
    client, clinic_admin, django_assert_max_num_queries
):
    from clinic.services.audit import audit_record

    for _ in range(30):
        audit_record(
            action=AuditEvent.Action.VIEW, user=clinic_admin, patient_id=PatientFactory().pk
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:clinic_auditevent_changelist"))
    assert len(response.context["cl"].result_list) >= 30
