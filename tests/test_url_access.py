"""The access table over every URL: each URL name the resolver knows has a row in one of the
role × URL tables (``tests/access.py`` harness), so a new URL without a row fails here.

The care-plan and intake tables live beside their apps' tests and are gathered here; this
module holds the rows of every other page. The admin's URLs (``admin:``) are governed by
``access.ROLE_PERMISSIONS`` and tested per role in ``tests/clinic/test_admin.py`` and
``tests/clinic/test_audit.py``.
"""

import pytest
from django.urls import URLResolver, get_resolver

from tests.access import (
    ADMIN,
    ANONYMOUS,
    BAD_REQUEST,
    COLLEAGUE,
    COVERING,
    FORBIDDEN,
    FRONT_DESK,
    GONE,
    GUARDIAN,
    LOGIN,
    NOT_FOUND,
    OK,
    OTHER_GUARDIAN,
    OTHER_LOCATION_THERAPIST,
    OTHER_PATIENT,
    PATIENT,
    REDIRECT,
    ROLES,
    THERAPIST,
    UNAUTHORIZED,
    Row,
    another_familys_guardian,
    carer_of,
    cells,
    check,
    every_role,
    pks,
)
from tests.careplans import test_access as careplans_table
from tests.careplans import test_between_visits_access as between_visits_table
from tests.clinic import test_care_team as care_team_table
from tests.factories.clinic import PatientUserFactory, StaffUserFactory, UserFactory
from tests.helpers import waitlist_offer
from tests.intake import test_intake_access as intake_table

pytestmark = pytest.mark.django_db

BAD_TOKEN = ["not-a-signed-link"]


def bad_token(world):
    return BAD_TOKEN


def bad_token_step(world):
    return [*BAD_TOKEN, "pain"]


ANYONE = every_role(OK)
# A forged signed link opens nothing, whoever follows it: the closed-link page.
FORGED_LINK = every_role(GONE)
# A therapist's own workspace page; clinic admins have no schedule.
THERAPIST_ONLY = every_role(
    FORBIDDEN,
    anonymous=LOGIN,
    therapist=OK,
    covering=OK,
    colleague=OK,
    other_location_therapist=OK,
)
# A signed-in patient's own pages (each patient their own); anonymous visitors go to the
# one-time-link sign-in.
# A guardian is a signed-in patient too, with pages of their own.
PATIENT_ONLY = every_role(
    FORBIDDEN, anonymous=LOGIN, patient=OK, other_patient=OK, guardian=OK, other_guardian=OK
)
# A signed-in patient's download of one record (the right of access): the patient's own, and
# their carer's (GUARDIAN); anyone else's is no such record. Staff have no such page (a clinic
# admin downloads it from the admin, on the patient's request).
OWN_RECORDS = every_role(
    FORBIDDEN,
    anonymous=LOGIN,
    patient=OK,
    other_patient=NOT_FOUND,
    guardian=OK,
    other_guardian=NOT_FOUND,
)
OTHER_RECORDS = {**OWN_RECORDS, PATIENT: NOT_FOUND, OTHER_PATIENT: OK, GUARDIAN: NOT_FOUND}
# Staff's second factor (``mfa:*``): a clinic admin signed in by the tests has passed it
# (verify sends them on); the front desk and therapists, not required to by default, have no
# app yet (verify sends them to set one up, and new recovery codes need a verified session).
# Patients and guardians have no second factor here.
_STAFF_MFA = dict(
    anonymous=LOGIN,
    patient=FORBIDDEN,
    other_patient=FORBIDDEN,
    guardian=FORBIDDEN,
    other_guardian=FORBIDDEN,
)

CLINIC_PAGES = [
    Row("GET", "home", ANYONE),
    # Where signing in lands: each role's first page (tests/clinic/test_desk.py).
    # Where signing in lands: each role's first page (a redirect for everyone).
    Row("GET", "landing", every_role(REDIRECT)),
    Row("GET", "book", ANYONE),
    Row("GET", "book_times", every_role(BAD_REQUEST), query="?location=none"),
    # Later booking steps send a visitor who has not chosen yet back to the start.
    Row("GET", "book_details", every_role(REDIRECT)),
    Row("GET", "book_review", every_role(REDIRECT)),
    Row("GET", "book_confirmed", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_manage", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_reschedule", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_cancel", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_ics", FORGED_LINK, args=bad_token),
    Row("GET", "my_schedule", THERAPIST_ONLY),
    Row("GET", "series_plan", THERAPIST_ONLY),
    Row("GET", "waitlist_join", every_role(BAD_REQUEST), query="?location=none"),
    Row("GET", "waitlist_offer", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_cancel_series", FORGED_LINK, args=bad_token),
    # Any therapist may ask to break the glass for any patient; it is granted with a reason.
    Row("GET", "break_glass", THERAPIST_ONLY, args=pks("patient")),
    Row("GET", "login", ANYONE),
    Row("POST", "logout", ANYONE),
    Row("GET", "account:home", PATIENT_ONLY, sign_in="account:login"),
    Row("GET", "account:set_password", PATIENT_ONLY, sign_in="account:login"),
    # "Stay signed in": anyone signed in keeps their session; no session, nothing to keep.
    Row("POST", "account:session_ping", every_role(OK, anonymous=UNAUTHORIZED)),
    # A signed-in patient asking for a sign-in link is sent to their page.
    Row(
        "GET",
        "account:login",
        every_role(
            OK,
            patient=REDIRECT,
            other_patient=REDIRECT,
            guardian=REDIRECT,
            other_guardian=REDIRECT,
        ),
    ),
    Row("GET", "account:login_sent", ANYONE),
    Row("GET", "account:login_link", every_role(BAD_REQUEST), args=bad_token),
    Row("GET", "mfa:verify", every_role(REDIRECT, **_STAFF_MFA)),
    Row("GET", "mfa:setup", every_role(OK, **_STAFF_MFA)),
    Row("GET", "mfa:recovery_codes", every_role(REDIRECT, **_STAFF_MFA, admin=OK)),
    # The patient's records (right of access); others' records: tests/clinic/test_patient_records.py
    Row(
        "GET",
        "account:records",
        OWN_RECORDS,
        args=lambda world: [world["patient"].pk, "json"],
        sign_in="account:login",
    ),
    Row(
        "GET",
        "account:records",
        OTHER_RECORDS,
        args=lambda world: [world["other_patient"].pk, "json"],
        sign_in="account:login",
        variant="other",
    ),
    Row("GET", "intake:start", FORGED_LINK, args=bad_token),
    Row("GET", "intake:review_answers", FORGED_LINK, args=bad_token),
    Row("GET", "intake:done", FORGED_LINK, args=bad_token),
    Row("GET", "intake:step", FORGED_LINK, args=bad_token_step),
    Row("POST", "intake:autosave", FORGED_LINK, args=bad_token_step),
    Row("GET", "intake:reassess", FORGED_LINK, args=bad_token),
    Row("GET", "intake:reassess_outcomes", FORGED_LINK, args=bad_token),
    # No active plan yet: back to "My care" with a note.
    Row(
        "GET",
        "careplans:my_active_plan",
        every_role(
            FORBIDDEN,
            anonymous=LOGIN,
            patient=REDIRECT,
            other_patient=REDIRECT,
            guardian=REDIRECT,
            other_guardian=REDIRECT,
        ),
        sign_in="account:login",
    ),
]

# --- Signed links: valid, expired, revoked, and a link of another kind ------------------------
# A patient's link is the key to one record, whoever holds it (the date-of-birth check on a new
# device is tested in tests/clinic/test_link_birth_date.py); a closed one, or a link of another
# kind, gets the closed-link page (410).


def link_rows(method, name, valid, *, step=False, data=None):
    """The four rows of one signed-link URL: the ``valid`` outcome for everyone, and 410 for an
    expired link, a revoked one and a valid link of another kind (another purpose or record)."""
    rows = []
    for variant, outcome in (
        ("valid", valid),
        ("expired", GONE),
        ("revoked", GONE),
        ("other kind", GONE),
    ):

        def args(world, name=name, variant=variant):
            return [world["tokens"][name][variant], *(["pain"] if step else [])]

        rows.append(
            Row(
                method,
                name,
                every_role(outcome),
                args=args,
                variant=variant,
                data=data or (lambda world: {}),
            )
        )
    return rows


SIGNED_LINKS = [
    *link_rows("GET", "appointment_manage", OK),
    *link_rows("GET", "appointment_reschedule", OK),
    *link_rows("GET", "appointment_cancel", OK),
    *link_rows("GET", "appointment_ics", OK),
    *link_rows("GET", "book_confirmed", OK),
    *link_rows("GET", "intake:start", REDIRECT),
    *link_rows("GET", "intake:step", OK, step=True),
    *link_rows("POST", "intake:autosave", OK, step=True, data=lambda w: {"nprs_now": "3"}),
    *link_rows("GET", "intake:review_answers", OK),  # what is missing, before sending
    *link_rows("GET", "intake:done", REDIRECT),
    *link_rows("GET", "intake:reassess", OK),
    *link_rows("GET", "intake:reassess_outcomes", REDIRECT),
    # A series visit's manage link also cancels the rest of the series.
    *link_rows("GET", "appointment_cancel_series", OK),
    # A waitlist offer's link: the time offered, and taking it.
    *link_rows("GET", "waitlist_offer", OK),
]

# --- A guardian and their dependent's pages ------------------------------------------------------
# The patient of these rows is a child (``world["child"]``) with no account of their own; their
# guardian opens their pages from "My care", another family's guardian gets 404.

# The child's own pages: their guardian's, and the child's if they have an account of their own
# (PATIENT); nobody else's, and never staff's (they have the workspace).
DEPENDENT_OWN = every_role(
    FORBIDDEN,
    anonymous=LOGIN,
    patient=OK,
    other_patient=NOT_FOUND,
    guardian=OK,
    other_guardian=NOT_FOUND,
)
GUARDIAN_PAGES = [
    Row("GET", "account:home", PATIENT_ONLY, sign_in="account:login"),
    Row("GET", "careplans:my_plan", DEPENDENT_OWN, args=pks("plan"), sign_in="account:login"),
    Row("GET", "careplans:my_plan_pdf", DEPENDENT_OWN, args=pks("plan"), sign_in="account:login"),
    Row("GET", "careplans:session_log", DEPENDENT_OWN, args=pks("plan"), sign_in="account:login"),
    Row(
        "GET",
        "careplans:session_flare",
        DEPENDENT_OWN,
        args=pks("plan", "flared_log"),
        sign_in="account:login",
    ),
    # "My plan" is the guardian's own: a child's plan is reached from their card. The child
    # with an account of their own is taken to theirs.
    Row(
        "GET",
        "careplans:my_active_plan",
        every_role(
            FORBIDDEN,
            anonymous=LOGIN,
            patient=REDIRECT,
            other_patient=REDIRECT,
            guardian=REDIRECT,
            other_guardian=REDIRECT,
        ),
        sign_in="account:login",
    ),
    # The child's signed links: the guardian got them; the link is the key, as for anyone.
    Row("GET", "appointment_manage", every_role(OK), args=lambda w: [w["manage"]]),
]


# Checked elsewhere, with the reason: machine endpoints with their own authentication.
ELSEWHERE = {
    "healthz": "answers 200 or 503 by the health of its services (tests/clinic/test_foundation.py)",
    "sms_inbound": "the SMS provider's signed callback (tests/clinic/test_messaging.py)",
    "sms_status": "the SMS provider's signed callback (tests/clinic/test_messaging.py)",
    "api:locations": "public booking API, no patient data (tests/clinic/test_api.py)",
    "api:appointment_types": "public booking API, no patient data (tests/clinic/test_api.py)",
    "api:therapists": "public booking API, no patient data (tests/clinic/test_api.py)",
    "api:availability": "public booking API, no patient data (tests/clinic/test_api.py)",
    "api:appointments": "public booking API: books, returns no record (tests/clinic/test_api.py)",
    "api:ping": "public booking API (tests/clinic/test_api.py)",
    "api:schema": "public booking API's schema (tests/clinic/test_api.py)",
    "api:docs": "public booking API's docs (tests/clinic/test_api.py)",
    "api:no_such_endpoint": "the API's JSON 404 (tests/clinic/test_api.py)",
}

TABLES = [
    CLINIC_PAGES,
    GUARDIAN_PAGES,
    SIGNED_LINKS,
    careplans_table.PAGES,
    careplans_table.WRITES,
    careplans_table.FLARE_WRITES,
    between_visits_table.PAGES,
    intake_table.CLINICAL_PAGES,
    intake_table.LIST_PAGE,
    care_team_table.PAGES,
]


def url_names(patterns=None, namespace=None):
    """Every named URL the resolver knows, namespaced, except the admin's."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner == "admin":
                continue
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_names(pattern.url_patterns, full)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_a_row_in_an_access_table():
    covered = {row.name for table in TABLES for row in table} | set(ELSEWHERE)
    missing = sorted(set(url_names()) - covered)
    assert missing == [], f"URLs without a row in an access table: {missing}"
    stale = sorted(covered - set(url_names()))
    assert stale == [], f"rows for URLs that no longer exist: {stale}"


def test_every_row_names_an_outcome_for_every_role():
    incomplete = {
        row.id: sorted(set(ROLES) - set(row.expect))
        for table in TABLES
        for row in table
        if set(row.expect) != set(ROLES)
    }
    assert incomplete == {}, f"rows without an outcome for some roles: {incomplete}"


def test_every_url_about_a_record_has_a_row_for_another_patients_record():
    """A page about one patient's record (its URL takes the record's id) is also tried with
    another patient's record: what a therapist, a patient or the desk may see of one patient
    says nothing about the next."""
    about_a_record = {
        row.name
        for table in TABLES
        for row in table
        if row.args is not Row.args and row.name not in NO_RECORD_ARGS
    }
    with_other = {row.name for table in TABLES for row in table if row.variant == "other"}
    assert sorted(about_a_record - with_other - OTHER_RECORD_PENDING) == []
    assert sorted(OTHER_RECORD_PENDING & with_other) == [], "no longer pending: remove them"


# URLs that take arguments that are not a patient's record.
NO_RECORD_ARGS = {
    "careplans:exercise",  # a library exercise's slug
    "break_glass",  # asks for any patient's record by design (THERAPIST_ONLY)
    *(row.name for row in SIGNED_LINKS),
    "account:login_link",
    "careplans:exercise_media_upload",  # a library exercise's slug
}
# Pages about a record that were added beside this table and have no row for another patient's
# record yet; each is to get one (then leave this set).
OTHER_RECORD_PENDING: set[str] = set()


@pytest.fixture
def world(clinic_setup):
    from clinic import links
    from clinic.models import PatientLink
    from clinic.services import login_links
    from intake.services import reassessment as reassessment_services
    from tests.factories.clinic import (
        AppointmentFactory,
        AppointmentTypeFactory,
        CareTeamMemberFactory,
        TherapistFactory,
    )

    patient = PatientUserFactory()
    evaluation = AppointmentTypeFactory(slug="evaluation", needs_intake=True)
    visit = AppointmentFactory(
        patient=patient,
        therapist=clinic_setup["therapist"],
        location=clinic_setup["location"],
        appointment_type=evaluation,
    )
    other_patient = PatientUserFactory()
    elsewhere = TherapistFactory()
    AppointmentFactory(patient=other_patient, therapist=elsewhere)
    reassessment = reassessment_services.reassessment_request_create(
        patient=patient, therapist=clinic_setup["therapist"]
    )

    def tokens(salt, *, open_one, of_another_kind):
        """valid / expired / revoked tokens of one kind of link, and a valid one of another."""
        valid = open_one()
        link = links.link_from_token(valid, salt=salt)
        expired = PatientLink.objects.create(
            purpose=link.purpose,
            patient_id=link.patient_id,
            appointment_id=link.appointment_id,
            object_id=link.object_id,
            expires_at=link.created_at,
        )
        revoked = PatientLink.objects.create(
            purpose=link.purpose,
            patient_id=link.patient_id,
            appointment_id=link.appointment_id,
            object_id=link.object_id,
            expires_at=link.expires_at,
            revoked_at=link.created_at,
        )
        return {
            "valid": valid,
            "expired": links.token_for_link(expired),
            "revoked": links.token_for_link(revoked),
            "other kind": of_another_kind,
        }

    manage = tokens(
        links.MANAGE_SALT,
        open_one=lambda: links.appointment_token(visit, salt=links.MANAGE_SALT),
        of_another_kind=links.appointment_token(visit, salt=links.INTAKE_SALT),
    )
    intake = tokens(
        links.INTAKE_SALT,
        open_one=lambda: links.appointment_token(visit, salt=links.INTAKE_SALT),
        of_another_kind=manage["valid"],
    )
    reassess = tokens(
        links.REASSESSMENT_SALT,
        open_one=lambda: links.reassessment_token(reassessment),
        of_another_kind=manage["valid"],
    )
    offer = waitlist_offer(patient, clinic_setup)
    offered = tokens(
        links.WAITLIST_OFFER_SALT,
        open_one=lambda: links.waitlist_offer_url(offer).rsplit("/", 2)[-2],
        of_another_kind=manage["valid"],
    )
    by_url = {
        **dict.fromkeys(
            [
                "appointment_manage",
                "appointment_reschedule",
                "appointment_cancel",
                "appointment_ics",
                "book_confirmed",
            ],
            manage,
        ),
        **dict.fromkeys(
            ["intake:start", "intake:step", "intake:autosave", "intake:review_answers"], intake
        ),
        "intake:done": intake,
        "intake:reassess": reassess,
        "intake:reassess_outcomes": reassess,
        "appointment_cancel_series": manage,
        "waitlist_offer": offered,
    }
    del login_links
    return {
        "patient": patient,
        "other_patient": other_patient,
        "tokens": by_url,
        "users": {
            ANONYMOUS: None,
            PATIENT: patient.user,
            OTHER_PATIENT: other_patient.user,
            FRONT_DESK: lambda: StaffUserFactory(),
            THERAPIST: clinic_setup["therapist"].user,
            COVERING: lambda: CareTeamMemberFactory(patient=patient).therapist.user,
            COLLEAGUE: lambda: TherapistFactory(locations=[clinic_setup["location"]]).user,
            OTHER_LOCATION_THERAPIST: elsewhere.user,
            ADMIN: lambda: UserFactory(role="admin", is_staff=True),
            GUARDIAN: carer_of(patient),
            OTHER_GUARDIAN: another_familys_guardian,
        },
    }


@pytest.mark.parametrize(("row", "role"), cells(CLINIC_PAGES))
def test_clinic_pages_by_role(client, world, row, role):
    check(client, world, row, role)


@pytest.fixture
def guardian_world(clinic_setup):
    from careplans.models import CarePlan
    from clinic import links
    from tests.factories.careplans import PainFlareFactory, SessionLogFactory, plan_with_items
    from tests.factories.clinic import (
        AppointmentFactory,
        CareTeamMemberFactory,
        DependentFactory,
        TherapistFactory,
    )

    child = DependentFactory()
    appointment = AppointmentFactory(patient=child, therapist=clinic_setup["therapist"])
    plan = plan_with_items(patient=child, status=CarePlan.Status.ACTIVE)
    flare = PainFlareFactory(
        session_log=SessionLogFactory(plan=plan, pain_after=8, flare_reason="threshold")
    )
    return {
        "child": child,
        "plan": plan,
        "flared_log": flare.session_log,
        "manage": links.appointment_token(appointment, salt=links.MANAGE_SALT),
        "users": {
            ANONYMOUS: None,
            PATIENT: lambda: own_account(child),
            OTHER_PATIENT: lambda: PatientUserFactory().user,
            FRONT_DESK: lambda: StaffUserFactory(),
            THERAPIST: clinic_setup["therapist"].user,
            COVERING: lambda: CareTeamMemberFactory(patient=child).therapist.user,
            COLLEAGUE: lambda: TherapistFactory(locations=[clinic_setup["location"]]).user,
            OTHER_LOCATION_THERAPIST: lambda: TherapistFactory().user,
            ADMIN: lambda: UserFactory(role="admin", is_staff=True),
            GUARDIAN: child.guardian.user,
            OTHER_GUARDIAN: another_familys_guardian,
        },
    }


def own_account(patient):
    """Give ``patient`` (a dependent) a sign-in of their own; returns the user."""
    patient.user = UserFactory(role="patient", email=f"own-{patient.pk}@example.com")
    patient.save(update_fields=["user"])
    return patient.user


@pytest.mark.parametrize(("row", "role"), cells(GUARDIAN_PAGES))
def test_a_guardians_pages_by_role(client, guardian_world, row, role):
    check(client, guardian_world, row, role)


@pytest.mark.parametrize(("row", "role"), cells(SIGNED_LINKS))
def test_signed_links_by_state_and_role(client, world, row, role):
    check(client, world, row, role)
