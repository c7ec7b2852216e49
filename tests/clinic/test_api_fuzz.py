"""The public API against its own OpenAPI schema (``/api/schema/``): schemathesis generates
requests for every operation, valid and not, and no answer may be a server error.

The number of examples is bounded (``FUZZ_EXAMPLES`` per operation) so the whole run takes
well under a few minutes on CI.
"""

import datetime

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from clinic.wsgi import application
from tests.factories.clinic import AppointmentTypeFactory, LocationFactory, therapist_with_hours

FUZZ_EXAMPLES = 100
# The fuzzing's requests come from an address of their own: the rate limits' counters live in
# a Redis that parallel tests share, and the limit tests count 127.0.0.1's requests.
FUZZ_CLIENT = {"REMOTE_ADDR": "192.0.2.250"}


# The schema as the running app serves it (read once, at collection; it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def wsgi_calls_keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection around
    each request; Django's own test client keeps it, so the test's transaction survives. The
    same here."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def practice(db, wsgi_calls_keep_the_test_connection):
    """A practice to book at: one location, a visit type and a therapist, so requests that
    name existing rows reach the booking service."""
    location = LocationFactory(slug="ne-minneapolis")
    AppointmentTypeFactory(slug="follow-up", duration_minutes=45)
    therapist_with_hours(location=location)


@pytest.mark.usefixtures("practice")
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_request_gets_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error], environ_overrides=FUZZ_CLIENT)


@pytest.mark.usefixtures("practice")
def test_the_fuzzing_reaches_the_booking_service():
    """A request shaped as the schema says, with real ids, books: the fuzzed requests above
    go through the same path, so a failure deep in booking would be seen."""
    from clinic.models import AppointmentType, Location, Therapist

    operation = schema["/api/v1/appointments"]["POST"]
    start = timezone.localdate() + datetime.timedelta(days=8)
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    location = Location.objects.get()
    case = operation.Case(
        body={
            "appointment_type": AppointmentType.objects.get().pk,
            "location": location.pk,
            "therapist": Therapist.objects.get().pk,
            "start": datetime.datetime.combine(start, datetime.time(10), location.zone).isoformat(),
            "patient": {
                "first_name": "Ana",
                "last_name": "Lind",
                "email": "ana.lind@example.com",
                "phone": "(612) 555-0187",
                "date_of_birth": "1988-04-02",
                "sms_consent": True,
            },
            "reason_for_visit": "Knee pain on long runs",
        }
    )
    response = case.call(environ_overrides=FUZZ_CLIENT)
    assert response.status_code == 201, response.text
