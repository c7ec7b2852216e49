"""Who may open which care-plan page: one role × URL table, checked cell by cell."""

import dataclasses

import pytest
from django.urls import reverse

from careplans import services
from careplans.models import CarePlan, PainFlare, PrescribedExercise
from clinic import access
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
from tests.factories.careplans import (
    ExerciseFactory,
    PainFlareFactory,
    SessionLogFactory,
    plan_with_items,
)
from tests.factories.clinic import CareTeamMemberFactory, TherapistFactory

pytestmark = pytest.mark.django_db

# What each kind of page answers each role. OTHER_LOCATION_THERAPIST has never seen the patient
# and works at another location; COLLEAGUE works at the patient's location but has no care
# relationship; COVERING is on the patient's care team; OTHER_PATIENT is a different patient.

# Workspace pages about no patient in particular.
WORKSPACE = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: OK,
    OTHER_LOCATION_THERAPIST: OK,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}
# Workspace pages about this patient or their plan.
PATIENT_RECORD = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    COVERING: OK,  # on the care team: a relationship without an appointment
    COLLEAGUE: NOT_FOUND,  # the same location is no longer a relationship
    OTHER_LOCATION_THERAPIST: NOT_FOUND,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}
# The patient's own pages (anonymous visitors go to the one-time-link sign-in).
PATIENT_OWN = {
    ANONYMOUS: LOGIN,
    PATIENT: OK,
    OTHER_PATIENT: NOT_FOUND,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: FORBIDDEN,
    COVERING: FORBIDDEN,
    COLLEAGUE: FORBIDDEN,
    OTHER_LOCATION_THERAPIST: FORBIDDEN,
    ADMIN: FORBIDDEN,
    GUARDIAN: OK,  # the patient's carer
    OTHER_GUARDIAN: NOT_FOUND,
}

# The same pages about another patient, whose only therapist works elsewhere
# (OTHER_LOCATION_THERAPIST): a 404 for everyone else on staff but clinic admins.
OTHER_RECORD = every_role(
    NOT_FOUND,
    anonymous=LOGIN,
    patient=FORBIDDEN,
    other_patient=FORBIDDEN,
    front_desk=FORBIDDEN,
    other_location_therapist=OK,
    admin=OK,
    guardian=FORBIDDEN,
    other_guardian=FORBIDDEN,
)
# Another patient's own pages: theirs, and no one else's.
OTHER_OWN = every_role(
    FORBIDDEN,
    anonymous=LOGIN,
    patient=NOT_FOUND,
    other_patient=OK,
    guardian=NOT_FOUND,
    other_guardian=NOT_FOUND,
)


def about_the_other_patient(rows, expect):
    """Each row again, with the other patient's objects (``other_<key>`` in the world)."""

    def other(of):
        return lambda world: of({**world, **world["other"]})

    return [
        dataclasses.replace(
            row, expect=expect, args=other(row.args), data=other(row.data), variant="other"
        )
        for row in rows
    ]


_OWN_PAGES = [
    Row("GET", "careplans:my_plan", PATIENT_OWN, args=pks("active"), sign_in="account:login"),
    Row("GET", "careplans:my_plan_pdf", PATIENT_OWN, args=pks("active"), sign_in="account:login"),
    Row("GET", "careplans:session_log", PATIENT_OWN, args=pks("active"), sign_in="account:login"),
    Row(
        "GET",
        "careplans:session_flare",
        PATIENT_OWN,
        args=pks("active", "flared_log"),
        sign_in="account:login",
    ),
]
_RECORD_PAGES = [
    Row("GET", "careplans:patient", PATIENT_RECORD, args=pks("patient")),
    Row("GET", "careplans:start", PATIENT_RECORD, args=pks("patient")),
    Row("GET", "careplans:detail", PATIENT_RECORD, args=pks("active")),
    Row("GET", "careplans:history", PATIENT_RECORD, args=pks("active")),
    Row("GET", "careplans:builder", PATIENT_RECORD, args=pks("draft")),
    Row("GET", "careplans:search", PATIENT_RECORD, args=pks("draft"), query="?q=a"),
    Row("GET", "careplans:pdf", PATIENT_RECORD, args=pks("active")),
]

PAGES = [
    Row("GET", "careplans:patients", WORKSPACE),
    Row("GET", "careplans:library", WORKSPACE),
    Row("GET", "careplans:exercise", WORKSPACE, args=lambda w: [w["exercise"].slug]),
    *_RECORD_PAGES,
    *_OWN_PAGES,
    *about_the_other_patient(_RECORD_PAGES, OTHER_RECORD),
    *about_the_other_patient(_OWN_PAGES, OTHER_OWN),
]


def users_by_role(patient, care) -> dict:
    """Who signs in as each of ``ROLES`` in a table about ``patient`` (the ``care`` fixture's
    practice); the tables of care-plan pages share it."""
    return {
        ANONYMOUS: None,
        PATIENT: patient.user,
        OTHER_PATIENT: care["other_patient"].user,
        FRONT_DESK: care["front_desk"],
        THERAPIST: care["therapist"].user,
        COVERING: lambda: CareTeamMemberFactory(patient=patient).therapist.user,
        COLLEAGUE: lambda: TherapistFactory(locations=[care["location"]]).user,
        OTHER_LOCATION_THERAPIST: care["other_therapist"].user,
        ADMIN: care["admin"],
        GUARDIAN: carer_of(patient),
        OTHER_GUARDIAN: another_familys_guardian,
    }


@pytest.fixture
def world(care):
    patient = care["patient"]
    active = plan_with_items(patient=patient, status=CarePlan.Status.ACTIVE)
    draft = services.careplan_revise(plan=active)
    flare = PainFlareFactory(
        session_log=SessionLogFactory(plan=active, pain_after=8, flare_reason="threshold")
    )
    other_active = plan_with_items(
        patient=care["other_patient"], author=care["other_therapist"], status=CarePlan.Status.ACTIVE
    )
    other_flare = PainFlareFactory(
        session_log=SessionLogFactory(plan=other_active, pain_after=8, flare_reason="threshold")
    )
    other_draft = services.careplan_revise(plan=other_active)
    return {
        "other": {
            "patient": care["other_patient"],
            "active": other_active,
            "draft": other_draft,
            "flare": other_flare,
            "flared_log": other_flare.session_log,
        },
        "patient": patient,
        "active": active,
        "draft": draft,
        "flare": flare,
        "flared_log": flare.session_log,
        "exercise": ExerciseFactory(),
        "users": users_by_role(patient, care),
    }


@pytest.mark.parametrize(("row", "role"), cells(PAGES))
def test_page_access(client, world, row, role):
    check(client, world, row, role)


def test_anonymous_patients_are_sent_to_the_link_sign_in(client, world):
    url = reverse("careplans:my_plan", args=[world["active"].pk])
    response = client.get(url)
    assert response.url.startswith(reverse("account:login"))


def test_a_patient_never_sees_a_draft(client, world):
    client.force_login(world["users"][PATIENT])
    response = client.get(reverse("careplans:my_plan", args=[world["draft"].pk]))
    assert response.status_code == 404


# Writes to a plan: made by those who may see the patient; refused to everyone else, and then
# nothing changes.
WRITE_REFUSED = PATIENT_RECORD


def first_item(world):
    return [world["draft"].pk, world["draft"].items.order_by("position").first().pk]


def dose(world):
    item = world["draft"].items.order_by("position").first()
    return {
        f"item-{item.pk}-sets": 2,
        f"item-{item.pk}-reps": 10,
        f"item-{item.pk}-sides": "both",
        f"item-{item.pk}-times_per_week": 3,
    }


_WRITES = [
    Row(
        "POST",
        "careplans:item_add",
        WRITE_REFUSED,
        args=pks("draft"),
        data=lambda w: {"exercise": w["exercise"].pk},
    ),
    Row("POST", "careplans:publish", WRITE_REFUSED, args=pks("draft")),
    Row("POST", "careplans:revise", WRITE_REFUSED, args=pks("active")),
    Row("POST", "careplans:discard", WRITE_REFUSED, args=pks("draft")),
    Row(
        "POST",
        "careplans:item_move",
        WRITE_REFUSED,
        args=first_item,
        data=lambda w: {"direction": "down"},
    ),
    Row("POST", "careplans:item_update", WRITE_REFUSED, args=first_item, data=dose),
    Row("POST", "careplans:item_remove", WRITE_REFUSED, args=first_item),
]
WRITES = [*_WRITES, *about_the_other_patient(_WRITES, OTHER_RECORD)]


@pytest.mark.parametrize(("row", "role"), cells(WRITES))
def test_writes_are_refused_to_anyone_who_may_not_see_the_patient(client, world, row, role):
    def state():
        plans = list(CarePlan.objects.values_list("pk", "status").order_by("pk"))
        items = list(
            PrescribedExercise.objects.values_list("pk", "position", "reps").order_by("pk")
        )
        return plans, items

    before = state()
    check(client, world, row, role)
    if row.expect[role] != OK:
        assert state() == before  # refused: nothing changed (revising may return the open draft)


# Marking a flare handled: the therapists who may see the patient, and no one else.
_FLARE_WRITES = [
    Row(
        "POST",
        "careplans:flare_handle",
        PATIENT_RECORD,
        args=pks("patient", "flare"),
        data=lambda w: {"note": "Phoned the patient."},
    ),
]
FLARE_WRITES = [*_FLARE_WRITES, *about_the_other_patient(_FLARE_WRITES, OTHER_RECORD)]


@pytest.mark.parametrize(("row", "role"), cells(FLARE_WRITES))
def test_only_those_who_may_see_the_patient_mark_a_flare_handled(client, world, row, role):
    check(client, world, row, role)
    flare = (world["other"] if row.variant == "other" else world)["flare"]
    handled = PainFlare.objects.filter(pk=flare.pk, handled_at__isnull=False).exists()
    assert handled is (row.expect[role] == OK)


def test_a_patient_cannot_log_against_another_patients_plan(client, world, care):
    client.force_login(world["users"][OTHER_PATIENT])
    url = reverse("careplans:session_log", args=[world["active"].pk])
    response = client.post(url, {"exercises": [], "pain_after": "2"})
    assert response.status_code == 404


def test_a_colleague_at_the_same_location_without_a_relationship_is_offered_break_glass(
    client, care, world
):
    colleague = TherapistFactory(locations=[care["location"]])
    client.force_login(colleague.user)
    response = client.get(reverse("careplans:detail", args=[world["active"].pk]))
    assert response.status_code == 404
    assert access.NO_RELATIONSHIP in response.content.decode()
    assert world["active"].title not in response.content.decode()
