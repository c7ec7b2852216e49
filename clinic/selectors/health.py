"""Reads for the practice."""

import logging
from dataclasses import dataclass

from django.db import connection
from kombu import Connection

from clinic.celery import app as celery_app
from clinic.models import Heartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthReport:
    database: bool
    broker: bool
    worker_seen_at: str | None

    @property
    def ok(self) -> bool:
        return self.database and self.broker


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: database unreachable")
        return False


def _broker_reachable() -> bool:
    conn = Connection(
        celery_app.conf.broker_url,
        transport_options=celery_app.conf.broker_transport_options,
        connect_timeout=2,
    )
    try:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("health: broker unreachable at %s", conn.as_uri())
        return False
    finally:
        conn.release()


def health_report() -> HealthReport:
    """Whether the database and the broker answer now, and when a worker last checked in."""
    database = _database_reachable()
    seen_at = None
    if database:
        beat = Heartbeat.objects.filter(name="worker").first()
        seen_at = beat.seen_at.isoformat() if beat else None
    return HealthReport(database=database, broker=_broker_reachable(), worker_seen_at=seen_at)


__all__ = ["HealthReport", "health_report"]
