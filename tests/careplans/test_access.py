"""Who may open which care-plan page: one table of role × expected status, used for every page."""

import pytest
from django.urls import reverse

from careplans import services
from careplans.models import CarePlan
from tests.factories.careplans import ExerciseFactory, plan_with_items

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, MISSING = 200, 302, 403, 404
ROLES = ["anonymous", "patient", "other_patient", "front_desk", "therapist", "elsewhere", "admin"]

# What each kind of page answers each role. "elsewhere" is a therapist who has never seen the
# patient and works at another location; "other_patient" is signed in as a different patient.
EXPECTED = {
    # Workspace pages about no patient in particular.
    "workspace": {
        "anonymous": LOGIN,
        "patient": FORBIDDEN,
        "other_patient": FORBIDDEN,
        "front_desk": FORBIDDEN,
        "therapist": OK,
        "elsewhere": OK,
        "admin": OK,
    },
    # Workspace pages about this patient or their plan.
    "patient_record": {
        "anonymous": LOGIN,
        "patient": FORBIDDEN,
        "other_patient": FORBIDDEN,
        "front_desk": FORBIDDEN,
        "therapist": OK,
        "elsewhere": MISSING,
        "admin": OK,
    },
    # The patient's own pages.
    "patient_own": {
        "anonymous": LOGIN,
        "patient": OK,
        "other_patient": MISSING,
        "front_desk": FORBIDDEN,
        "therapist": FORBIDDEN,
        "elsewhere": FORBIDDEN,
        "admin": FORBIDDEN,
    },
}

PAGES = [
    ("workspace", lambda w: reverse("careplans:patients")),
    ("workspace", lambda w: reverse("careplans:library")),
    ("workspace", lambda w: reverse("careplans:exercise", args=[w["exercise"].slug])),
    ("patient_record", lambda w: reverse("careplans:patient", args=[w["patient"].pk])),
    ("patient_record", lambda w: reverse("careplans:start", args=[w["patient"].pk])),
    ("patient_record", lambda w: reverse("careplans:detail", args=[w["active"].pk])),
    ("patient_record", lambda w: reverse("careplans:history", args=[w["active"].pk])),
    ("patient_record", lambda w: reverse("careplans:builder", args=[w["draft"].pk])),
    ("patient_record", lambda w: reverse("careplans:search", args=[w["draft"].pk]) + "?q=a"),
    ("patient_record", lambda w: reverse("careplans:pdf", args=[w["active"].pk])),
    ("patient_own", lambda w: reverse("careplans:my_plan", args=[w["active"].pk])),
    ("patient_own", lambda w: reverse("careplans:my_plan_pdf", args=[w["active"].pk])),
    ("patient_own", lambda w: reverse("careplans:session_log", args=[w["active"].pk])),
]


@pytest.fixture
def world(care):
    patient = care["patient"]
    active = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
    draft = services.careplan_revise(plan=active)
    return {
        "patient": patient,
        "active": active,
        "draft": draft,
        "exercise": ExerciseFactory(),
        "users": {
            "anonymous": None,
            "patient": patient.user,
            "other_patient": care["other_patient"].user,
            "front_desk": care["front_desk"],
            "therapist": care["therapist"].user,
            "elsewhere": care["other_therapist"].user,
            "admin": care["admin"],
        },
    }


def _get_as(client, world, role, url):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "url"), PAGES)
def test_page_access(client, world, role, kind, url):
    response = _get_as(client, world, role, url(world))
    assert response.status_code == EXPECTED[kind][role]


def test_anonymous_patients_are_sent_to_the_link_sign_in(client, world):
    url = reverse("careplans:my_plan", args=[world["active"].pk])
    response = client.get(url)
    assert response.url.startswith(reverse("account:login"))


def test_a_patient_never_sees_a_draft(client, world):
    client.force_login(world["users"]["patient"])
    response = client.get(reverse("careplans:my_plan", args=[world["draft"].pk]))
    assert response.status_code == MISSING


POSTS = [
    lambda w: (reverse("careplans:item_add", args=[w["draft"].pk]), {"exercise": w["exercise"].pk}),
    lambda w: (reverse("careplans:publish", args=[w["draft"].pk]), {}),
    lambda w: (reverse("careplans:revise", args=[w["active"].pk]), {}),
    lambda w: (reverse("careplans:discard", args=[w["draft"].pk]), {}),
    lambda w: (
        reverse("careplans:item_move", args=[w["draft"].pk, w["draft"].items.first().pk]),
        {"direction": "down"},
    ),
]


@pytest.mark.parametrize("role", ["patient", "front_desk", "elsewhere"])
@pytest.mark.parametrize("post", POSTS)
def test_writes_are_refused_to_anyone_who_may_not_see_the_patient(client, world, role, post):
    url, data = post(world)
    before = list(CarePlan.objects.values_list("pk", "status").order_by("pk"))
    client.force_login(world["users"][role])
    response = client.post(url, data)
    assert response.status_code == EXPECTED["patient_record"][role]
    assert list(CarePlan.objects.values_list("pk", "status").order_by("pk")) == before


def test_a_patient_cannot_log_against_another_patients_plan(client, world, care):
    client.force_login(world["users"]["other_patient"])
    url = reverse("careplans:session_log", args=[world["active"].pk])
    response = client.post(url, {"exercises": [], "pain_after": "2"})
    assert response.status_code == MISSING


def test_a_therapist_at_the_same_location_can_cover(client, care, world):
    from tests.factories.clinic import TherapistFactory

    colleague = TherapistFactory(locations=[care["location"]])
    client.force_login(colleague.user)
    response = client.get(reverse("careplans:detail", args=[world["active"].pk]))
    assert response.status_code == OK
