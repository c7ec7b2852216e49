import time

from django.db import connection

from clinic.models import Heartbeat
from clinic.tasks import heartbeat


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_worker_consumes_task_from_redis_and_writes_to_postgres(celery_worker):
    assert connection.vendor == "postgresql"
    assert not Heartbeat.objects.exists()

    heartbeat.delay()

    assert wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())
