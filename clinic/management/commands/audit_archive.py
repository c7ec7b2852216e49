"""Archive audit events older than ``AUDIT_RETENTION_YEARS`` to a file, then remove them.

    manage.py audit_archive [--output FILE]

The default file is ``var/audit-archive-<date>.jsonl``; an existing file is never overwritten.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clinic.services.audit import audit_archive, audit_archive_cutoff


class Command(BaseCommand):
    help = "Archive audit events older than AUDIT_RETENTION_YEARS to a file, then remove them."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The archive file to write (JSON lines, new).")

    def handle(self, *args, output=None, **options):
        now = timezone.now()
        path = Path(output or settings.VAR_DIR / f"audit-archive-{now:%Y%m%d-%H%M%S}.jsonl")
        if path.exists():
            raise CommandError(f"{path.name} exists; choose another --output.")
        count = audit_archive(path=path, now=now)
        cutoff = audit_archive_cutoff(now=now)
        self.stdout.write(f"Archived {count} audit events from before {cutoff:%Y-%m-%d} to {path}.")
