"""`make run` with no REDIS_URL: a worker consumes from kombu's filesystem transport."""

import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from clinic.models import Heartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_runs_tasks_from_the_embedded_broker(tmp_path, settings):
    app = Celery("embedded-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    app.autodiscover_tasks(["clinic"], force=True)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        app.send_task("clinic.tasks.heartbeat")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not Heartbeat.objects.exists():
            time.sleep(0.05)

    assert Heartbeat.objects.filter(name="worker").exists()
