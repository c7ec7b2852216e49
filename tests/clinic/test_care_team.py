"""A patient's care team from the therapist's workspace: the patient's therapist adds a
colleague until a date and removes them; each change is audited; nobody else changes it."""

import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import access
from clinic.models import AuditEvent, CareTeamMember, User
from clinic.services import care_team
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
    AppointmentFactory,
    CareTeamMemberFactory,
    PatientFactory,
    StaffUserFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(clinic_setup):
    """A patient with a visit with their therapist, and a colleague at the same location."""
    therapist = clinic_setup["therapist"]
    patient = PatientFactory()
    AppointmentFactory(patient=patient, therapist=therapist, location=clinic_setup["location"])
    colleague = TherapistFactory(locations=[clinic_setup["location"]])
    return {"patient": patient, "therapist": therapist, "colleague": colleague}


def in_a_week():
    return timezone.localdate() + datetime.timedelta(days=7)


def test_the_patients_therapist_adds_a_colleague_who_then_sees_the_record(client, team):
    patient, colleague = team["patient"], team["colleague"]
    assert patient not in access.patients_for_care(user=colleague.user)
    client.force_login(team["therapist"].user)
    url = reverse("care_team", args=[patient.pk])
    before = AuditEvent.objects.count()
    response = client.post(
        url,
        {"therapist": colleague.pk, "until": in_a_week().isoformat()},
        HTTP_USER_AGENT="Test browser",
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302 and response.url == url

    member = CareTeamMember.objects.get()
    assert (member.patient, member.therapist, member.until, member.added_by) == (
        patient,
        colleague,
        in_a_week(),
        team["therapist"].user,
    )
    assert patient in access.patients_for_care(user=colleague.user)
    [event] = AuditEvent.objects.order_by("pk")[before:]
    assert (event.action, event.user, event.patient, event.object_type) == (
        AuditEvent.Action.CREATE,
        team["therapist"].user,
        patient,
        "clinic.careteammember",
    )
    assert event.changed_fields == ["therapist", "until"]
    assert event.changed_values == {"therapist": str(colleague.pk), "until": str(in_a_week())}
    assert (event.ip, event.user_agent) == ("10.0.0.9", "Test browser")

    html = client.get(url).content.decode()
    assert colleague.name in html
    assert reverse("care_team_remove", args=[patient.pk, member.pk]) in html


def test_the_patients_therapist_removes_a_colleague(client, team):
    member = CareTeamMemberFactory(patient=team["patient"], therapist=team["colleague"])
    client.force_login(team["therapist"].user)
    url = reverse("care_team_remove", args=[team["patient"].pk, member.pk])
    assert client.post(url).status_code == 302
    assert not CareTeamMember.objects.exists()
    assert team["patient"] not in access.patients_for_care(user=team["colleague"].user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert (event.patient, event.object_id) == (team["patient"], str(member.pk))
    assert event.changed_values["therapist"] == str(team["colleague"].pk)


def test_adding_a_colleague_already_on_the_team_moves_the_date(team):
    user = team["therapist"].user
    first = care_team.care_team_add(
        patient=team["patient"], therapist=team["colleague"], until=in_a_week(), user=user
    )
    later = in_a_week() + datetime.timedelta(days=7)
    second = care_team.care_team_add(
        patient=team["patient"], therapist=team["colleague"], until=later, user=user
    )
    assert second.pk == first.pk and CareTeamMember.objects.get().until == later
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "changed_fields"))
    assert actions == [("create", ["therapist", "until"]), ("change", ["until"])]


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        (-1, "until", care_team.UNTIL_PAST),
        (care_team.CARE_TEAM_MAX_DAYS + 1, "until", care_team.UNTIL_TOO_FAR),
    ],
)
def test_a_wrong_date_is_explained_and_keeps_what_was_typed(client, team, days, field, message):
    client.force_login(team["therapist"].user)
    until = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post(
        reverse("care_team", args=[team["patient"].pk]),
        {"therapist": team["colleague"].pk, "until": until.isoformat()},
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert until.isoformat() in html
    assert not CareTeamMember.objects.exists()
    assert not AuditEvent.objects.filter(object_type="clinic.careteammember").exists()


def test_a_therapist_cannot_add_themselves(team):
    with pytest.raises(care_team.CareTeamError) as refused:
        care_team.care_team_add(
            patient=team["patient"],
            therapist=team["therapist"],
            until=in_a_week(),
            user=team["therapist"].user,
        )
    assert refused.value.code == "not_a_colleague"


def test_a_covering_colleague_sees_the_team_but_cannot_change_it(client, team):
    member = CareTeamMemberFactory(patient=team["patient"], therapist=team["colleague"])
    client.force_login(team["colleague"].user)
    page = client.get(reverse("care_team", args=[team["patient"].pk]))
    assert page.status_code == 200 and page.context["form"] is None
    other = TherapistFactory()
    add = client.post(
        reverse("care_team", args=[team["patient"].pk]),
        {"therapist": other.pk, "until": in_a_week().isoformat()},
    )
    assert add.status_code == 403
    remove = client.post(reverse("care_team_remove", args=[team["patient"].pk, member.pk]))
    assert remove.status_code == 403
    assert list(CareTeamMember.objects.all()) == [member]


def test_a_therapist_without_a_relationship_gets_404_with_the_break_glass_offer(client, team):
    client.force_login(TherapistFactory().user)
    response = client.post(
        reverse("care_team", args=[team["patient"].pk]),
        {"therapist": team["colleague"].pk, "until": in_a_week().isoformat()},
    )
    assert response.status_code == 404
    assert access.NO_RELATIONSHIP in response.content.decode()
    assert not CareTeamMember.objects.exists()


def test_a_member_of_another_patients_team_is_not_found(client, team):
    elsewhere = CareTeamMemberFactory(therapist=team["colleague"])
    client.force_login(team["therapist"].user)
    url = reverse("care_team_remove", args=[team["patient"].pk, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert CareTeamMember.objects.filter(pk=elsewhere.pk).exists()


def test_a_clinic_admin_manages_any_patients_team(client, team):
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))
    response = client.post(
        reverse("care_team", args=[team["patient"].pk]),
        {"therapist": team["colleague"].pk, "until": in_a_week().isoformat()},
    )
    assert response.status_code == 302
    assert CareTeamMember.objects.get().therapist == team["colleague"]


def test_the_front_desk_and_patients_are_refused(client, team):
    for user in (StaffUserFactory(role=User.Role.FRONT_DESK), UserFactory(role=User.Role.PATIENT)):
        client.force_login(user)
        assert client.get(reverse("care_team", args=[team["patient"].pk])).status_code == 403


def test_the_page_costs_a_bounded_number_of_queries(client, team, django_assert_max_num_queries):
    for _ in range(5):
        CareTeamMemberFactory(patient=team["patient"])
    client.force_login(team["therapist"].user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("care_team", args=[team["patient"].pk]))
    assert len(response.context["members"]) == 5


# --- The access table of the care-team pages (gathered by tests/test_url_access.py) ---------

SEES_THE_TEAM = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    OTHER_PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,  # the desk keeps the team in the admin
    THERAPIST: OK,
    COVERING: OK,
    COLLEAGUE: NOT_FOUND,
    OTHER_LOCATION_THERAPIST: NOT_FOUND,
    ADMIN: OK,
    GUARDIAN: FORBIDDEN,
    OTHER_GUARDIAN: FORBIDDEN,
}
CHANGES_THE_TEAM = {**SEES_THE_TEAM, COVERING: FORBIDDEN}

# Another patient's team: none of the therapists has a relationship with that patient.
OTHER_TEAM = every_role(
    NOT_FOUND,
    anonymous=LOGIN,
    patient=FORBIDDEN,
    other_patient=FORBIDDEN,
    front_desk=FORBIDDEN,
    admin=OK,
    guardian=FORBIDDEN,
    other_guardian=FORBIDDEN,
)

_PAGES = [
    Row("GET", "care_team", SEES_THE_TEAM, args=pks("patient")),
    Row(
        "POST",
        "care_team",
        CHANGES_THE_TEAM,
        args=pks("patient"),
        data=lambda w: {"therapist": w["newcomer"].pk, "until": in_a_week().isoformat()},
    ),
    Row("POST", "care_team_remove", CHANGES_THE_TEAM, args=pks("patient", "member")),
]


def _other(of):
    return lambda world: of({**world, **world["other"]})


PAGES = [
    *_PAGES,
    *(
        dataclasses.replace(
            row, expect=OTHER_TEAM, args=_other(row.args), data=_other(row.data), variant="other"
        )
        for row in _PAGES
    ),
]


@pytest.fixture
def world(team, clinic_setup):
    patient = team["patient"]
    member = CareTeamMemberFactory(patient=patient)
    patient.user = UserFactory(role=User.Role.PATIENT, email=patient.email)
    patient.save()
    other_patient = PatientFactory()
    AppointmentFactory(patient=other_patient)
    return {
        "other": {
            "patient": other_patient,
            "member": CareTeamMemberFactory(patient=other_patient),
        },
        "patient": patient,
        "member": member,
        "newcomer": TherapistFactory(),
        "users": {
            ANONYMOUS: None,
            PATIENT: patient.user,
            OTHER_PATIENT: lambda: UserFactory(role=User.Role.PATIENT),
            FRONT_DESK: lambda: StaffUserFactory(role=User.Role.FRONT_DESK),
            THERAPIST: team["therapist"].user,
            COVERING: member.therapist.user,
            COLLEAGUE: team["colleague"].user,
            OTHER_LOCATION_THERAPIST: lambda: TherapistFactory().user,
            ADMIN: lambda: UserFactory(role=User.Role.ADMIN, is_staff=True),
            GUARDIAN: carer_of(patient),
            OTHER_GUARDIAN: another_familys_guardian,
        },
    }


@pytest.mark.parametrize(("row", "role"), cells(PAGES))
def test_care_team_pages_by_role(client, world, row, role):
    before = list(CareTeamMember.objects.values_list("pk", "therapist_id", "until"))
    check(client, world, row, role)
    changed = list(CareTeamMember.objects.values_list("pk", "therapist_id", "until")) != before
    assert changed is (row.method == "POST" and row.expect[role] == OK)
