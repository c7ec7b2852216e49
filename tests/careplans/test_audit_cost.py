"""What the audit trail costs a request: one INSERT, whatever the page, and nothing else
written (no UPDATE of the event, no read of the trail)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careplans.models import CarePlan
from tests.factories.careplans import plan_with_items

pytestmark = pytest.mark.django_db


def audit_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "clinic_auditevent" in q["sql"]]


@pytest.fixture
def plan(care):
    return plan_with_items(patient=care["patient"], author=care["therapist"])


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("careplans:patient", lambda p: [p.patient_id]),
        ("careplans:builder", lambda p: [p.pk]),
        ("careplans:history", lambda p: [p.pk]),
    ],
)
def test_a_record_page_writes_its_event_with_one_insert(client, care, plan, name, args):
    client.force_login(care["therapist"].user)
    client.get(reverse("careplans:patients"))  # the session's first request out of the way
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=args(plan)))
    assert response.status_code == 200
    statements = audit_statements(queries)
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("INSERT")


def test_the_plan_page_costs_one_insert_more_than_without_the_trail(
    client, care, plan, django_assert_num_queries, monkeypatch
):
    """The same page with the event's write made a no-op: exactly one query fewer."""
    client.force_login(care["therapist"].user)
    url = reverse("careplans:patient", args=[plan.patient_id])
    client.get(url)
    with CaptureQueriesContext(connection) as with_trail:
        client.get(url)
    from clinic import access

    monkeypatch.setattr(access, "audit_record", lambda **kwargs: None)
    with django_assert_num_queries(len(with_trail) - 1):
        client.get(url)


def test_a_write_and_its_redirect_cost_one_insert_each_for_the_write(client, care, plan):
    client.force_login(care["therapist"].user)
    item = plan.items.order_by("position").first()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("careplans:item_move", args=[plan.pk, item.pk]), {"direction": "down"}
        )
    assert response.status_code == 302
    statements = audit_statements(queries)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")
    assert CarePlan.objects.get(pk=plan.pk).items.get(pk=item.pk).position == 2
