"""Who may see intakes: the staff pages, the urgent banner and the admin."""

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
from tests.factories import StaffUserFactory, TherapistFactory, UserFactory
from tests.intake.test_review_page import another_visit, started_intake, submitted_intake

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
PATIENT = "patient"
FRONT_DESK = "front_desk"
OWN_THERAPIST = "own_therapist"
OTHER_THERAPIST = "other_therapist"
ADMIN = "admin"

ALLOWED, FORBIDDEN, NOT_FOUND, SIGN_IN = "allowed", "forbidden", "not found", "sign in"

# Who may open one intake's clinical pages: written once, used for every page below.
CLINICAL_ACCESS = {
    ANONYMOUS: SIGN_IN,
    PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,  # sees status in the list and the admin, never answers
    OWN_THERAPIST: ALLOWED,  # the therapist of the intake's appointment
    OTHER_THERAPIST: NOT_FOUND,  # a therapist who doesn't treat the patient: no such intake
    ADMIN: ALLOWED,
}
LIST_ACCESS = {
    ANONYMOUS: SIGN_IN,
    PATIENT: FORBIDDEN,
    FRONT_DESK: ALLOWED,
    OWN_THERAPIST: ALLOWED,
    OTHER_THERAPIST: ALLOWED,  # the list, without this intake in it
    ADMIN: ALLOWED,
}
# The status each outcome has, for pages that render (GET) and actions that redirect (POST).
STATUS = {
    "get": {ALLOWED: 200, FORBIDDEN: 403, NOT_FOUND: 404, SIGN_IN: 302},
    "post": {ALLOWED: 302, FORBIDDEN: 403, NOT_FOUND: 404, SIGN_IN: 302},
}
CLINICAL_PAGES = [
    ("get", "intake:review"),
    ("get", "intake:assessment"),
    ("get", "intake:reassess_link"),
    ("post", "intake:acknowledge"),
    ("post", "intake:mark_reviewed"),
    ("post", "intake:reassess_create"),
]


def user_for(role, clinic_setup):
    if role == ANONYMOUS:
        return None
    if role == PATIENT:
        return UserFactory(role=User.Role.PATIENT)
    if role == FRONT_DESK:
        return StaffUserFactory(role=User.Role.FRONT_DESK)
    if role == OWN_THERAPIST:
        return clinic_setup["therapist"].user
    if role == OTHER_THERAPIST:
        return TherapistFactory(locations=[clinic_setup["location"]]).user
    return UserFactory(role=User.Role.ADMIN, is_staff=True)


@pytest.fixture
def urgent_intake(intake_appointment):
    appointment, _ = intake_appointment
    return submitted_intake(appointment, red_flags=["trauma"])


def url_of(name, intake):
    if name == "intake:reassess_link":
        reassessment = services_staff.reassessment_request_create(
            patient=intake.patient, therapist=intake.appointment.therapist
        )
        return reverse(name, args=[intake.pk, reassessment.pk])
    return reverse(name, args=[intake.pk])


@pytest.mark.parametrize("role", list(CLINICAL_ACCESS))
@pytest.mark.parametrize(("method", "name"), CLINICAL_PAGES)
def test_clinical_pages_by_role(client, clinic_setup, urgent_intake, role, method, name):
    user = user_for(role, clinic_setup)
    if user:
        client.force_login(user)
    url = url_of(name, urgent_intake)
    response = getattr(client, method)(url)
    assert response.status_code == STATUS[method][CLINICAL_ACCESS[role]]
    if CLINICAL_ACCESS[role] == SIGN_IN:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", list(LIST_ACCESS))
def test_the_list_by_role(client, clinic_setup, urgent_intake, role):
    user = user_for(role, clinic_setup)
    if user:
        client.force_login(user)
    response = client.get(reverse("intake:list"))
    assert response.status_code == STATUS["get"][LIST_ACCESS[role]]
    if response.status_code == 200:
        shown = [row["intake"] for row in response.context["rows"]]
        assert (urgent_intake in shown) == (role != OTHER_THERAPIST)


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


@pytest.mark.parametrize("role", [FRONT_DESK, OWN_THERAPIST, ADMIN])
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
    services.intake_urgent_acknowledge(intake=own, user=clinic_setup["therapist"].user)

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
    services.intake_urgent_acknowledge(intake=urgent_intake, user=clinic_setup["therapist"].user)
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
    html = front_desk.get(reverse("admin:index")).content.decode()
    assert reverse("admin:intake_intakeassessment_changelist") in html
    for model in (ClinicalAssessment, OutcomeMeasure):
        assert str(model._meta.verbose_name_plural).capitalize() not in html
