"""On PostgreSQL the audit trail is append-only: a trigger refuses UPDATE and DELETE, whoever
sends them; only ``manage.py audit_archive``'s own transaction may remove archived rows."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from clinic.models import AuditEvent
from tests.helpers import missing_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    if connection.vendor != "postgresql":
        missing_service("the append-only trigger needs DATABASE_URL pointing at PostgreSQL")
    return AuditEvent.objects.create(at=timezone.now(), action=AuditEvent.Action.SIGN_IN)


def test_postgresql_refuses_to_update_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditEvent.Action.VIEW)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE clinic_auditevent SET role = 'admin' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.action == AuditEvent.Action.SIGN_IN


def test_postgresql_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM clinic_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_the_archive_setting_lets_a_delete_through(event):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL stride.audit_archive = 'on'")
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
