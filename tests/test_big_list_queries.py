"""The lists that grow with a chain (texts, appointments, patients, care plans, intakes to
review) make as many queries for 30 rows as for 3, and their searches find what they should:
a whole phone number exactly, a few digits anywhere, a name through the ordinary search.

How fast they are on a million rows is measured by ``bench/scale.py`` (docs/benchmarks.md).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import Message, User
from clinic.pagination import CappedPaginator
from intake.views.review import IntakeListView
from tests.factories.careplans import CarePlanFactory
from tests.factories.clinic import (
    AppointmentFactory,
    PatientFactory,
    TherapistFactory,
    UserFactory,
)
from tests.factories.intake import IntakeFactory

pytestmark = pytest.mark.django_db

MESSAGES = reverse("admin:clinic_message_changelist")
APPOINTMENTS = reverse("admin:clinic_appointment_changelist")
PATIENTS = reverse("admin:clinic_patient_changelist")
PLANS = reverse("careplans:patients")
INTAKES = reverse("intake:list")


@pytest.fixture
def superuser_client(client):
    client.force_login(
        UserFactory(is_superuser=True, is_staff=True, role=User.Role.ADMIN, email="boss@x.test")
    )
    return client


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return len(captured)


def _text(n: int, patient) -> Message:
    return Message.objects.create(
        patient=patient,
        kind=Message.Kind.REMINDER,
        dedupe_key=f"test-{patient.pk}-{n}",
        to=str(patient.phone),
        body="See you tomorrow",
        status=Message.Status.SENT,
    )


@pytest.mark.parametrize(
    ("url", "make", "limit"),
    [
        (MESSAGES, lambda n: _text(n, PatientFactory()), 8),
        (APPOINTMENTS, lambda n: AppointmentFactory(), 12),
        (PATIENTS, lambda n: PatientFactory(), 8),
    ],
    ids=["texts", "appointments", "patients"],
)
def test_admin_lists_make_as_many_queries_for_30_rows_as_for_3(
    superuser_client, django_assert_max_num_queries, url, make, limit
):
    for n in range(3):
        make(n)
    few = _queries(superuser_client, url)
    for n in range(3, 30):
        make(n)
    with django_assert_max_num_queries(limit):
        response = superuser_client.get(url)
    assert _queries(superuser_client, url) == few
    assert response.content.decode().count('name="_selected_action"') == 30
    assert response.context["cl"].show_full_result_count is False
    assert response.context["cl"].date_hierarchy is None


def test_care_plan_list_makes_as_many_queries_for_30_patients_as_for_3(
    client, django_assert_max_num_queries
):
    therapist = TherapistFactory()
    client.force_login(therapist.user)

    def add_patients(count):
        for _ in range(count):
            patient = PatientFactory()
            # Visits a day apart: one therapist's visits may not overlap (PostgreSQL).
            start = timezone.now() + datetime.timedelta(days=3 + patient.pk)
            AppointmentFactory(patient=patient, therapist=therapist, start=start)
            CarePlanFactory(patient=patient, author=therapist)

    add_patients(3)
    AppointmentFactory()  # someone else's patient, not listed
    few = _queries(client, PLANS)
    add_patients(27)
    with django_assert_max_num_queries(12):
        response = client.get(PLANS)
    assert _queries(client, PLANS) == few
    assert len(response.context["rows"]) == 30


def test_intakes_to_review_make_as_many_queries_for_30_as_for_3(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory(role=User.Role.FRONT_DESK, is_staff=True, email="desk@x.test"))

    def add_intakes(count):
        for _ in range(count):
            IntakeFactory(appointment=AppointmentFactory())

    add_intakes(3)
    few = _queries(client, INTAKES)
    add_intakes(27)
    with django_assert_max_num_queries(10):
        response = client.get(INTAKES)
    assert _queries(client, INTAKES) == few
    assert len(response.context["rows"]) == 30
    # The answers are left in the database: the list never shows them.
    assert "answers" in response.context["intakes"][0].get_deferred_fields()


def test_the_intake_list_counts_no_further_than_its_cap(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "CAP", 2)
    monkeypatch.setattr(IntakeListView, "paginate_by", 1)
    client.force_login(UserFactory(role=User.Role.FRONT_DESK, is_staff=True, email="desk@x.test"))
    for _ in range(3):
        IntakeFactory(appointment=AppointmentFactory())
    response = client.get(INTAKES)
    assert response.context["paginator"].count == 2
    assert response.context["paginator"].capped
    assert "Page 1 of 2+" in response.content.decode()


def test_a_whole_phone_number_is_matched_exactly_and_a_few_digits_anywhere(superuser_client):
    wanted = PatientFactory(phone="+16125550123", last_name="Okafor")
    near = PatientFactory(phone="+16125550124", last_name="Lindqvist")
    for url, rows in [
        (PATIENTS, lambda: [wanted, near]),
        (MESSAGES, lambda: [_text(1, wanted), _text(2, near)]),
        (
            APPOINTMENTS,
            lambda: [AppointmentFactory(patient=wanted), AppointmentFactory(patient=near)],
        ),
    ]:
        mine, other = rows()

        def found(term, url=url):
            query = {"q": term, **({"day": "all"} if url == APPOINTMENTS else {})}
            return set(superuser_client.get(url, query).context["cl"].result_list)

        assert found("(612) 555-0123") == {mine}, url
        assert found("+1 612 555 0123") == {mine}, url
        assert found("555-012") == {mine, other}, url  # a few digits: anywhere in the number
        if url != MESSAGES:
            assert found("Okafor") == {mine}, url


def test_texts_are_found_by_the_providers_id_exactly(superuser_client):
    text = _text(1, PatientFactory())
    Message.objects.filter(pk=text.pk).update(provider_id="SM123abc")
    _text(2, PatientFactory())
    found = superuser_client.get(MESSAGES, {"q": "SM123abc"}).context["cl"].result_list
    assert list(found) == [text]
    assert not superuser_client.get(MESSAGES, {"q": "SM123"}).context["cl"].result_list


def test_a_chain_s_therapist_filter_lists_those_of_the_chosen_location(
    superuser_client, monkeypatch
):
    from clinic.admin.common import TherapistListFilter
    from tests.factories.clinic import LocationFactory

    monkeypatch.setattr(TherapistListFilter, "LIMIT", 3)
    north, south = LocationFactory(), LocationFactory()
    here = {TherapistFactory(locations=[north]).pk for _ in range(2)}
    there = {TherapistFactory(locations=[south]).pk for _ in range(2)}

    def offered(**query):
        response = superuser_client.get(APPOINTMENTS, query)
        specs = [f for f in response.context["cl"].filter_specs if f.title == "therapist"]
        return {pk for spec in specs for pk, _ in spec.lookup_choices}  # none: not shown

    assert offered() == set()  # four is too many to list without a location
    assert offered(location__id__exact=str(north.pk)) == here
    assert offered(location__id__exact=str(south.pk)) == there
