"""Audit events past the retention period are archived to a file, never silently deleted."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clinic.models import AuditEvent
from clinic.services.audit import audit_archive

pytestmark = pytest.mark.django_db


def event_at(at):
    return AuditEvent.objects.create(at=at, action=AuditEvent.Action.SIGN_IN, username="x")


def test_old_events_go_to_the_file_and_newer_ones_stay(tmp_path, settings):
    settings.AUDIT_RETENTION_YEARS = 6
    now = timezone.now()
    old = event_at(now - datetime.timedelta(days=6 * 366))
    kept = event_at(now - datetime.timedelta(days=5 * 365))
    path = tmp_path / "archive.jsonl"
    assert audit_archive(path=path, now=now) == 1
    [line] = path.read_text().splitlines()
    assert json.loads(line)["id"] == old.pk
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_command_never_overwrites_an_archive(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("earlier archive\n")
    with pytest.raises(CommandError):
        call_command("audit_archive", output=str(path))
    assert path.read_text() == "earlier archive\n"
