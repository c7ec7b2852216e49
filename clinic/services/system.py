"""Writes for the practice. Rules live here once; views, admin and tasks call them."""

from django.utils import timezone

from clinic.models import Heartbeat


def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that the process ``name`` is alive now (an upsert: safe to run twice)."""
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return beat
