"""Who may see intakes: the staff pages, the urgent banner and the admin."""

import dataclasses
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import User
from intake import context_processors, services
from intake.models import ClinicalAssessment, IntakeAssessment, OutcomeMeasure
from intake.services import reassessment as services_staff
from tests.access import (
    ADMIN,
    ANONYMOUS,
    COLLEAGUE,
    COVERING,
    FORBIDDEN,
    FRONT_DESK,
    GUARDIAN,
    LOGIN,
    NOT_FOUND,
    OK,
    OTHER_GUARDIAN,
    OTHER_LOCATION_THERAPIST,
    OTHER_PATIENT,
    PATIENT,
    THERAPIST,
    Row,
    another_familys_guardian,
    carer_of,
    cells,
    check,
    every_role,
    pks,
)
from tests.factories.clinic import (
    CareTeamMemberFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)
from tests.helpers import another_visit, started_intake, submitted_intake

pytestmark = pytest.mark.django_db

# Who may open one intake's clinical pages: written once, used for every page below.
CLINICAL = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,  # the intake's own patient: their answers are for their clinicians
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,  # sees status in the list and the admin, never answers
    THERAPIST: OK,  # the therapist of the intake's appointment
    COVERING: OK,  # on the patient's care team: the same relationship care plans use
    COLLEAGUE: NOT_FOUND,  # same location, no relationship: no such intake
    OTHER_LOCATION_THERAPIST: NOT_FOUND,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,  # the patient's carer: answers are for clinicians, as for the patient
    OTHER_GUARDIAN: FORBIDDEN,
}
LIST = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: OK,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: OK,  # the list, without this intake in it
    OTHER_LOCATION_THERAPIST: OK,  # the same
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}


def reassess_link_args(world):
    intake = world["intake"]
    reassessment = services_staff.reassessment_request_create(
        patient=intake.patient, therapist=intake.appointment.therapist
    )
    return [intake.pk, reassessment.pk]


def acknowledged(world):
    return {"action": "called_advised_emergency"}


# The same pages about another patient's intake, whose therapist is none of the roles: only a
# clinic admin may open it.
OTHER_CLINICAL = every_role(
    NOT_FOUND,
    anonymous=LOGIN,
    patient=FORBIDDEN,
    other_patient=FORBIDDEN,
    front_desk=FORBIDDEN,
    admin=OK,
    guardian=FORBIDDEN,
    other_guardian=FORBIDDEN,
)


def about_another_patient(rows):
    def other(of):
        return lambda world: of({**world, **world["other"]})

    return [
        dataclasses.replace(
            row, expect=OTHER_CLINICAL, args=other(row.args), data=other(row.data), variant="other"
        )
        for row in rows
    ]


# Pages render (GET: OK is 200); actions redirect (POST: OK is 302).
_CLINICAL_PAGES = [
    Row("GET", "intake:review", CLINICAL, args=pks("intake")),
    Row("GET", "intake:assessment", CLINICAL, args=pks("intake")),
    Row("GET", "intake:reassess_link", CLINICAL, args=reassess_link_args),
    Row("POST", "intake:acknowledge", CLINICAL, args=pks("intake"), data=acknowledged),
    Row("POST", "intake:mark_reviewed", CLINICAL, args=pks("intake")),
    Row("POST", "intake:reassess_create", CLINICAL, args=pks("intake")),
]
CLINICAL_PAGES = [*_CLINICAL_PAGES, *about_another_patient(_CLINICAL_PAGES)]
LIST_PAGE = [Row("GET", "intake:list", LIST)]
# An intake the patient left after a red-flag answer, never sent: the same rules.
ABANDONED_PAGES = [
    Row("GET", "intake:review", CLINICAL, args=pks("abandoned")),
    Row("POST", "intake:acknowledge", CLINICAL, args=pks("abandoned"), data=acknowledged),
]


def user_for(role, clinic_setup, patient=None):
    if role == ANONYMOUS:
        return None
    if role == PATIENT:
        patient.user = UserFactory(role=User.Role.PATIENT, email=patient.email)
        patient.save(update_fields=["user"])
        return patient.user
    if role == OTHER_PATIENT:
        return UserFactory(role=User.Role.PATIENT)
    if role == GUARDIAN:
        return carer_of(patient)()
    if role == OTHER_GUARDIAN:
        return another_familys_guardian()
    if role == FRONT_DESK:
        return StaffUserFactory(role=User.Role.FRONT_DESK)
    if role == THERAPIST:
        return clinic_setup["therapist"].user
    if role == COVERING:
        return CareTeamMemberFactory(patient=patient).therapist.user
    if role == COLLEAGUE:
        return TherapistFactory(locations=[clinic_setup["location"]]).user
    if role == OTHER_LOCATION_THERAPIST:
        return TherapistFactory().user
    return UserFactory(role=User.Role.ADMIN, is_staff=True)


@pytest.fixture
def urgent_intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment, red_flags=["trauma"])


@pytest.fixture
def world(clinic_setup, urgent_intake):
    """The urgent intake, and each role's user, made only when a cell signs in as it."""
    other_visit = another_visit(
        {**clinic_setup, "therapist": TherapistFactory(locations=[clinic_setup["location"]])}
    )
    return {
        "intake": urgent_intake,
        "other": {"intake": submitted_intake(other_visit, red_flags=["trauma"])},
        "users": {
            role: partial(user_for, role, clinic_setup, urgent_intake.patient) for role in CLINICAL
        },
    }


@pytest.mark.parametrize(("row", "role"), cells(CLINICAL_PAGES))
def test_clinical_pages_by_role(client, world, row, role):
    check(client, world, row, role)


@pytest.fixture
def abandoned_world(world, intake_appointment):
    appointment, _ = intake_appointment
    # The same patient's next visit, so each role's relationship to the patient is the one
    # the other tables check.
    other_visit = another_visit(
        {"therapist": appointment.therapist, "location": appointment.location},
        patient=appointment.patient,
    )
    intake = services.intake_for_appointment(appointment=other_visit)
    services.intake_draft_save(intake=intake, step="red_flags", raw={"bladder": "yes"})
    return {**world, "abandoned": intake}


@pytest.mark.parametrize(("row", "role"), cells(ABANDONED_PAGES))
def test_an_abandoned_urgent_intake_by_role(client, abandoned_world, row, role):
    check(client, abandoned_world, row, role)


@pytest.mark.parametrize(("row", "role"), cells(LIST_PAGE))
def test_the_list_by_role(client, world, row, role):
    response = check(client, world, row, role)
    if response.status_code == 200:
        shown = [entry["intake"] for entry in response.context["rows"]]
        assert (world["intake"] in shown) == (role not in (COLLEAGUE, OTHER_LOCATION_THERAPIST))


def test_the_front_desk_sees_status_but_no_answers_or_scores(client, urgent_intake):
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    html = client.get(reverse("intake:list")).content.decode()
    assert urgent_intake.patient.full_name in html
    assert "URGENT · red flag" in html
    assert "Not reviewed" in html
    assert "ODI" not in html and "STarT" not in html
    assert reverse("intake:review", args=[urgent_intake.pk]) not in html


def test_a_wrong_id_is_not_found_even_for_an_admin(client, clinic_setup):
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))
    assert client.get(reverse("intake:review", args=[999_999])).status_code == 404


# --- The urgent banner ----------------------------------------------------------------------


def intake_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "intake_intakeassessment" in q["sql"]]


def test_anonymous_visitors_cost_no_banner_query(client, urgent_intake):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert intake_queries(queries) == []
    assert 'id="urgent-banner"' not in response.content.decode()

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert context_processors.urgent_intakes(request) == {}
    assert len(queries) == 0


def test_a_patient_sees_no_banner_and_costs_no_query(client, urgent_intake):
    client.force_login(UserFactory(role=User.Role.PATIENT))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert intake_queries(queries) == []
    assert 'id="urgent-banner"' not in html


@pytest.mark.parametrize("role", [FRONT_DESK, THERAPIST, ADMIN])
def test_staff_see_the_banner_for_one_query(client, clinic_setup, urgent_intake, role):
    client.force_login(user_for(role, clinic_setup))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert len(intake_queries(queries)) == 1
    assert 'id="urgent-banner"' in html
    assert "1 urgent intake</strong>" in html
    assert reverse("intake:list") in html


def test_the_banner_counts_a_therapists_own_and_everyone_for_the_desk(client, clinic_setup):
    own = submitted_intake(another_visit(clinic_setup), red_flags=["trauma"])
    submitted_intake(another_visit(clinic_setup), red_flags=["bladder"])
    submitted_intake(
        another_visit(clinic_setup, therapist=TherapistFactory()), red_flags=["osteoporosis"]
    )
    submitted_intake(another_visit(clinic_setup))  # not urgent
    services.intake_urgent_acknowledge(
        intake=own, user=clinic_setup["therapist"].user, action="seen_in_clinic"
    )

    def count_for(user):
        request = RequestFactory().get("/")
        request.user = user
        with CaptureQueriesContext(connection) as queries:
            count = context_processors.urgent_intakes(request)["urgent_intakes"].count
        assert len(queries) == 1
        return count

    assert count_for(clinic_setup["therapist"].user) == 1
    assert count_for(StaffUserFactory(role=User.Role.FRONT_DESK)) == 2


def test_no_banner_when_everything_is_acknowledged(client, clinic_setup, urgent_intake):
    services.intake_urgent_acknowledge(
        intake=urgent_intake, user=clinic_setup["therapist"].user, action="seen_in_clinic"
    )
    client.force_login(clinic_setup["therapist"].user)
    assert 'id="urgent-banner"' not in client.get(reverse("home")).content.decode()


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def front_desk(client):
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    return client


def test_the_desk_sees_intake_status_in_the_admin_but_not_answers(front_desk, urgent_intake):
    changelist = front_desk.get(reverse("admin:intake_intakeassessment_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert urgent_intake.patient.full_name in html
    assert "By status" in html and "By is urgent" in html

    change = front_desk.get(
        reverse("admin:intake_intakeassessment_change", args=[urgent_intake.pk])
    )
    assert change.status_code == 200
    html = change.content.decode()
    assert list(change.context["adminform"].form.fields) == []  # nothing editable
    for clinical in ("Marathon block", "Ibuprofen", "Run 10 miles", "odi_percent", "red_flags"):
        assert clinical not in html
    assert 'name="_save"' not in html


def test_reopen_for_the_patient_from_the_admin(front_desk, urgent_intake, clinic_setup):
    not_sent = started_intake(another_visit(clinic_setup))
    response = front_desk.post(
        reverse("admin:intake_intakeassessment_changelist"),
        {"action": "reopen_for_patient", "_selected_action": [urgent_intake.pk, not_sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    urgent_intake.refresh_from_db()
    assert urgent_intake.status == IntakeAssessment.Status.IN_PROGRESS
    assert urgent_intake.reopened_at is not None
    assert "1 intake reopened" in response.content.decode()


def test_the_admin_list_has_bounded_queries(
    front_desk, clinic_setup, django_assert_max_num_queries
):
    for _ in range(10):
        submitted_intake(another_visit(clinic_setup))
    with django_assert_max_num_queries(12):
        response = front_desk.get(reverse("admin:intake_intakeassessment_changelist"))
    assert response.content.decode().count('name="_selected_action"') == 10


@pytest.mark.parametrize(
    "name",
    [
        "admin:intake_clinicalassessment_changelist",
        "admin:intake_outcomemeasure_changelist",
        "admin:intake_reassessmentrequest_changelist",
    ],
)
def test_clinical_records_are_for_superusers_only(client, urgent_intake, name):
    client.force_login(StaffUserFactory(role=User.Role.FRONT_DESK))
    assert client.get(reverse(name)).status_code == 403
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get(reverse(name)).status_code == 200


def test_the_desk_admin_index_lists_intakes_only(front_desk):
    # The desk's admin home is "Today", whose side menu lists the apps as the index does.
    html = front_desk.get(reverse("admin:index"), follow=True).content.decode()
    assert reverse("admin:intake_intakeassessment_changelist") in html
    for model in (ClinicalAssessment, OutcomeMeasure):
        assert str(model._meta.verbose_name_plural).capitalize() not in html
