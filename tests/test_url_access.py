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
    FORBIDDEN,
    FRONT_DESK,
    GONE,
    LOGIN,
    OK,
    OTHER_LOCATION_THERAPIST,
    PATIENT,
    REDIRECT,
    THERAPIST,
    UNAUTHORIZED,
    Row,
    cells,
    check,
    pks,
)
from tests.careplans import test_access as careplans_table
from tests.clinic import test_care_team as care_team_table
from tests.factories.clinic import PatientUserFactory, StaffUserFactory, UserFactory
from tests.intake import test_intake_access as intake_table

pytestmark = pytest.mark.django_db

BAD_TOKEN = ["not-a-signed-link"]


def bad_token(world):
    return BAD_TOKEN


def bad_token_step(world):
    return [*BAD_TOKEN, "pain"]


ANYONE = {ANONYMOUS: OK, PATIENT: OK, FRONT_DESK: OK, THERAPIST: OK, ADMIN: OK}
# A forged or expired signed link opens nothing, whoever follows it: the closed-link page.
FORGED_LINK = {ANONYMOUS: GONE, PATIENT: GONE, THERAPIST: GONE}
# A therapist's own workspace page.
THERAPIST_ONLY = {
    ANONYMOUS: LOGIN,
    PATIENT: FORBIDDEN,
    FRONT_DESK: FORBIDDEN,
    THERAPIST: OK,
    ADMIN: FORBIDDEN,
}
# A signed-in patient's own pages; anonymous visitors go to the one-time-link sign-in.
PATIENT_ONLY = {ANONYMOUS: LOGIN, PATIENT: OK, FRONT_DESK: FORBIDDEN, THERAPIST: FORBIDDEN}

CLINIC_PAGES = [
    Row("GET", "home", ANYONE),
    Row("GET", "book", ANYONE),
    Row("GET", "book_times", {ANONYMOUS: BAD_REQUEST}, query="?location=none"),
    # Later booking steps send a visitor who has not chosen yet back to the start.
    Row("GET", "book_details", {ANONYMOUS: REDIRECT, PATIENT: REDIRECT}),
    Row("GET", "book_review", {ANONYMOUS: REDIRECT, PATIENT: REDIRECT}),
    Row("GET", "book_confirmed", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_manage", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_reschedule", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_cancel", FORGED_LINK, args=bad_token),
    Row("GET", "appointment_ics", FORGED_LINK, args=bad_token),
    Row("GET", "my_schedule", THERAPIST_ONLY),
    Row(
        "GET",
        "break_glass",
        {**THERAPIST_ONLY, OTHER_LOCATION_THERAPIST: OK},
        args=pks("patient"),
    ),
    Row("GET", "login", {ANONYMOUS: OK}),
    Row("POST", "logout", {ANONYMOUS: OK, PATIENT: OK, THERAPIST: OK}),
    Row("GET", "account:home", PATIENT_ONLY, sign_in="account:login"),
    Row("GET", "account:set_password", PATIENT_ONLY, sign_in="account:login"),
    # "Stay signed in": anyone signed in keeps their session; no session, nothing to keep.
    Row(
        "POST",
        "account:session_ping",
        {ANONYMOUS: UNAUTHORIZED, PATIENT: OK, FRONT_DESK: OK, THERAPIST: OK, ADMIN: OK},
    ),
    Row("GET", "account:login", {ANONYMOUS: OK}),
    Row("GET", "account:login_sent", {ANONYMOUS: OK}),
    Row(
        "GET", "account:login_link", {ANONYMOUS: BAD_REQUEST, PATIENT: BAD_REQUEST}, args=bad_token
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
        {**PATIENT_ONLY, PATIENT: REDIRECT},
        sign_in="account:login",
    ),
    Row(
        "POST",
        "careplans:item_update",
        {ANONYMOUS: LOGIN, PATIENT: FORBIDDEN, FRONT_DESK: FORBIDDEN},
        args=lambda w: [1, 1],
    ),
    Row(
        "POST",
        "careplans:item_remove",
        {ANONYMOUS: LOGIN, PATIENT: FORBIDDEN, FRONT_DESK: FORBIDDEN},
        args=lambda w: [1, 1],
    ),
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
    careplans_table.PAGES,
    careplans_table.WRITES,
    careplans_table.FLARE_WRITES,
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


@pytest.fixture
def world(clinic_setup):
    from tests.factories.clinic import AppointmentFactory, TherapistFactory

    patient = PatientUserFactory()
    AppointmentFactory(patient=patient, therapist=clinic_setup["therapist"])
    return {
        "patient": patient,
        "users": {
            ANONYMOUS: None,
            PATIENT: patient.user,
            FRONT_DESK: lambda: StaffUserFactory(),
            THERAPIST: clinic_setup["therapist"].user,
            OTHER_LOCATION_THERAPIST: lambda: TherapistFactory().user,
            ADMIN: lambda: UserFactory(role="admin", is_staff=True),
        },
    }


@pytest.mark.parametrize(("row", "role"), cells(CLINIC_PAGES))
def test_clinic_pages_by_role(client, world, row, role):
    check(client, world, row, role)
