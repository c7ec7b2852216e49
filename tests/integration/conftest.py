import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection, connections

from clinic.celery import app as celery_app
from tests.helpers import missing_service


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def real_services(transactional_db):
    """PostgreSQL and Redis, configured and answering."""
    if connection.vendor != "postgresql":
        missing_service("integration tests need DATABASE_URL pointing at PostgreSQL")
    if not settings.REDIS_URL:
        missing_service("integration tests need REDIS_URL")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        missing_service(f"Redis at {settings.REDIS_URL} does not answer: {exc}")


@pytest.fixture
def celery_worker(real_services):
    """A real Celery worker, in this process, consuming this test process's queue on Redis."""
    celery_app.conf.task_always_eager = False
    # The worker's thread keeps its own database connection between tasks; closed after each
    # one here, it cannot outlive the test and hold the test database open.
    task_postrun.connect(_close_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        task_postrun.disconnect(_close_connections)
        celery_app.conf.task_always_eager = True


def _close_connections(**kwargs):
    connections.close_all()
