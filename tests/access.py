"""Role × URL access tables: who may open which page, and what everyone else gets instead.

A table is a list of ``Row``s. A row names one request (HTTP method, URL name and ``reverse()``
arguments) and the outcome each role should meet, in one vocabulary:

    OK          GET answers 200; POST redirects (302) anywhere but the sign-in page, or
                answers in place (JSON 200, or 204)
    REDIRECT    GET redirects (302) anywhere but the sign-in page (a step not reached yet)
    LOGIN       302 to the sign-in page: the row's ``sign_in``, by default ``login`` (staff)
    BAD_REQUEST 400 (a link that is not valid, refused without a lookup)
    FORBIDDEN   403
    NOT_FOUND   404

Only the roles a row lists are checked. The test supplies a ``world``: a dict of the objects
the URLs are about, with ``world["users"]`` mapping each role to a user, None (anonymous) or
a function that makes one, so a cell creates only the user it signs in as.

``cells(table)`` gives one pytest param per (row, role) and ``check(client, world, row, role)``
runs one cell::

    PAGES = [Row("GET", "careplans:detail", {ANONYMOUS: LOGIN, THERAPIST: OK}, args=pks("plan"))]

    @pytest.mark.parametrize(("row", "role"), cells(PAGES))
    def test_page_access(client, world, row, role):
        check(client, world, row, role)
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import pytest
from django.urls import reverse

# --- Roles ----------------------------------------------------------------------------------

ANONYMOUS = "anonymous"  # not signed in
PATIENT = "patient"  # the patient the page is about, signed in
OTHER_PATIENT = "other_patient"  # a signed-in patient who is not that patient
FRONT_DESK = "front_desk"
THERAPIST = "therapist"  # the patient's own therapist
COVERING = "covering"  # a therapist on the patient's care team, with no appointment
COLLEAGUE = "colleague"  # a therapist at the patient's location with no relationship
OTHER_LOCATION_THERAPIST = "other_location_therapist"  # elsewhere; never saw the patient
ADMIN = "admin"  # a clinic admin (role admin, staff, not a superuser)
GUARDIAN = "guardian"  # the signed-in parent or carer of the patient (a dependent)
OTHER_GUARDIAN = "other_guardian"  # a signed-in guardian of another family's dependent
# In a table whose patient has an account of their own, GUARDIAN is their carer (the patient
# becomes an adult in someone's care, ``carer_of``), so the guardian sees that patient's pages
# and is another patient for everyone else's; OTHER_GUARDIAN acts for someone else's child.

# Every row names an outcome for each of these (``tests/test_url_access.py`` checks it). A new
# role (a patient's guardian, say) is added here, and then to every row.
ROLES = (
    ANONYMOUS,
    PATIENT,
    OTHER_PATIENT,
    FRONT_DESK,
    THERAPIST,
    COVERING,
    COLLEAGUE,
    OTHER_LOCATION_THERAPIST,
    ADMIN,
    GUARDIAN,
    OTHER_GUARDIAN,
)


# --- Outcomes -------------------------------------------------------------------------------


class Outcome(StrEnum):
    OK = "OK"
    REDIRECT = "REDIRECT"
    LOGIN = "LOGIN"
    BAD_REQUEST = "BAD_REQUEST"
    UNAUTHORIZED = "UNAUTHORIZED"  # 401: a JSON endpoint's "sign in first"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    GONE = "GONE"  # 410: a patient's link that is bad, expired or revoked (the closed-link page)


OK, LOGIN, FORBIDDEN, NOT_FOUND = Outcome.OK, Outcome.LOGIN, Outcome.FORBIDDEN, Outcome.NOT_FOUND
REDIRECT, BAD_REQUEST, UNAUTHORIZED = Outcome.REDIRECT, Outcome.BAD_REQUEST, Outcome.UNAUTHORIZED
GONE = Outcome.GONE


# --- Rows -----------------------------------------------------------------------------------


def _no_args(world) -> Sequence:
    return ()


def _no_data(world) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    """One request and the outcome each listed role should meet."""

    method: str  # "GET" or "POST"
    name: str  # the URL's name, for reverse()
    expect: Mapping[str, Outcome]  # role -> outcome
    args: Callable[[dict], Sequence] = _no_args  # world -> reverse() args
    query: str = ""  # appended to the path, e.g. "?q=a"
    data: Callable[[dict], dict] = _no_data  # world -> POST data
    sign_in: str = "login"  # the URL name LOGIN redirects to
    # Which object the request is about, when a URL has rows for several: "other" (another
    # patient's), or a signed link's state ("valid", "expired", "revoked", "other kind").
    variant: str = ""

    @property
    def id(self) -> str:
        suffix = f"[{self.variant}]" if self.variant else ""
        return f"{self.method}-{self.name}{suffix}"

    def url(self, world) -> str:
        return reverse(self.name, args=self.args(world)) + self.query


def every_role(default: "Outcome", **others: "Outcome") -> dict[str, "Outcome"]:
    """An outcome for each of ``ROLES``: ``default``, but for the roles named (by their
    constant's value, e.g. ``anonymous=LOGIN``)."""
    unknown = set(others) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return {role: others.get(role, default) for role in ROLES}


def carer_of(patient):
    """A function that makes ``patient`` an adult in a carer's care and returns the carer's
    user, for ``world["users"][GUARDIAN]`` (made only in the cells that sign in as them)."""

    def make():
        from tests.factories.clinic import PatientUserFactory

        carer = PatientUserFactory()
        patient.guardian = carer
        patient.save(update_fields=["guardian"])
        return carer.user

    return make


def another_familys_guardian():
    """A signed-in guardian whose dependent is nobody in the table, for OTHER_GUARDIAN."""
    from tests.factories.clinic import DependentFactory

    return DependentFactory().guardian.user


def pks(*keys: str) -> Callable[[dict], list]:
    """reverse() args that are the primary keys of ``world[key]``, in order."""
    return lambda world: [world[key].pk for key in keys]


def cells(table: Sequence[Row]) -> list:
    """One pytest param per (row, role), with the id ``METHOD-url:name-role``."""
    params, seen = [], set()
    for row in table:
        if row.method not in ("GET", "POST"):
            raise ValueError(f"{row.id}: method must be GET or POST")
        for role, expected in row.expect.items():
            if role not in ROLES:
                raise ValueError(f"{row.id}: unknown role {role!r}")
            if not isinstance(expected, Outcome):
                raise ValueError(f"{row.id}: {role} expects {expected!r}, not an Outcome")
            cell_id = f"{row.id}-{role}"
            if cell_id in seen:
                raise ValueError(f"two cells are called {cell_id}")
            seen.add(cell_id)
            params.append(pytest.param(row, role, id=cell_id))
    return params


# --- Running a cell -------------------------------------------------------------------------


def outcome_of(response, row: Row) -> Outcome | None:
    """The outcome ``response`` shows for a request made by ``row``, or None for anything else."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse(row.sign_in)):
        return LOGIN
    if status == 302 and row.method == "GET":
        return REDIRECT
    if status == 400:
        return BAD_REQUEST
    if status == 401:
        return UNAUTHORIZED
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 410:
        return GONE
    if status == (200 if row.method == "GET" else 302):
        return OK
    if status == 200 and response["Content-Type"].startswith("application/json"):
        return OK  # a JSON endpoint answers a POST in place
    if status == 204 and row.method == "POST":
        return OK  # saved in place, nothing to show (the intake's autosave)
    return None


def check(client, world, row: Row, role: str):
    """Sign in as ``role``, send ``row``'s request and assert its outcome; returns the response."""
    user = world["users"][role]
    if callable(user):
        user = user()
    if user is not None:
        client.force_login(user)
    url = row.url(world)
    response = client.get(url) if row.method == "GET" else client.post(url, row.data(world))
    expected, actual = row.expect[role], outcome_of(response, row)
    answer = f"HTTP {response.status_code}"
    if response.has_header("Location"):
        answer += f" to {response['Location']}"
    got = f"{actual} ({answer})" if actual else answer
    assert actual == expected, f"{role} {row.method} {url}: expected {expected}, got {got}"
    return response
