"""Every due reminder is texted exactly once, with real workers on real Redis and PostgreSQL,
also when two sweeps race, when a worker is killed mid-sweep, and when Redis restarts."""

import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from clinic.celery import app as celery_app
from clinic.models import Message
from tests.factories.clinic import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    TherapistFactory,
)
from tests.helpers import missing_service

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 200
# Texts go out in batches, hundreds a second: look often, so the fault comes mid-sweep.
MID_SWEEP = {"timeout": 60, "step": 0.01}


def wait_for(predicate, timeout=60.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def always_sending_hours(settings):
    """Reminders due at any hour, so the tests don't depend on the time of day they run."""
    settings.REMINDER_LOCAL_HOUR = 0
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0
    settings.SMS_REDISPATCH_AFTER_SECONDS = 1


@pytest.fixture
def due_reminders(real_services, always_sending_hours):
    """REMINDERS appointments tomorrow (local), booked days ago, patients consenting."""
    location = LocationFactory()
    visit_type = AppointmentTypeFactory(duration_minutes=15, buffer_after_minutes=0)
    therapists = [TherapistFactory(locations=[location]) for _ in range(10)]
    tomorrow = timezone.now().astimezone(location.zone).date() + datetime.timedelta(days=1)
    booked_at = timezone.now() - datetime.timedelta(days=3)
    for n in range(REMINDERS):
        start = datetime.datetime.combine(
            tomorrow, datetime.time(8), location.zone
        ) + datetime.timedelta(minutes=15 * (n // 10))
        AppointmentFactory(
            therapist=therapists[n % 10],
            location=location,
            appointment_type=visit_type,
            patient=PatientFactory(phone=f"+1612555{n:04d}"),
            start=start,
            scheduled_at=booked_at,
        )
    return REMINDERS


def assert_each_sent_once(numbers):
    counts = Counter(numbers)
    duplicates = {to: c for to, c in counts.items() if c > 1}
    assert duplicates == {}
    assert len(counts) == REMINDERS, f"{REMINDERS - len(counts)} reminders missing"
    assert Message.objects.filter(kind="reminder", status="sent").count() == REMINDERS


def test_200_due_reminders_are_sent_exactly_once(due_reminders, sms_outbox, celery_worker):
    from clinic import tasks

    tasks.reminder_sweep.delay()
    assert wait_for(lambda: len(sms_outbox) >= REMINDERS, timeout=90)
    time.sleep(0.5)  # anything extra would show up now
    assert_each_sent_once([sms["to"] for sms in sms_outbox])


# --- Faults: workers and Redis in their own processes ----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WorkerProcess:
    """`celery -A clinic worker` in its own process group, on the test database."""

    def __init__(self, *, broker_url: str, queue: str, outbox: Path, log: Path):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "REDIS_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "SMS_BACKEND": "clinic.sms.backends.file.SmsBackend",
            "SMS_FILE_PATH": str(outbox),
            "REMINDER_LOCAL_HOUR": "0",
            "SMS_QUIET_START_HOUR": "24",
            "SMS_QUIET_END_HOUR": "0",
            "SMS_REDISPATCH_AFTER_SECONDS": "1",
        }
        if db.get("PASSWORD"):
            self.env["DATABASE_URL"] = self.env["DATABASE_URL"].replace(
                f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@"
            )
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clinic",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def sent_numbers(outbox: Path) -> list[str]:
    if not outbox.exists():
        return []
    return [json.loads(line)["to"] for line in outbox.read_text().splitlines() if line]


def send_sweep(broker_url: str, queue: str):
    with celery_app.connection_for_write(broker_url) as conn:
        celery_app.send_task("clinic.tasks.reminder_sweep", queue=queue, connection=conn)


def finish_and_check(worker, broker_url, queue, outbox):
    """Sweep until nothing is left queued (lost tasks are re-dispatched), then count texts."""

    def done():
        if Message.objects.filter(kind="reminder").exclude(status="sent").exists():
            send_sweep(broker_url, queue)
            return False
        return Message.objects.filter(kind="reminder").count() == REMINDERS

    assert wait_for(done, timeout=120, step=2.0), worker.log.read_text()[-3000:]
    time.sleep(1.0)
    assert_each_sent_once(sent_numbers(outbox))


@pytest.fixture
def fault_env(due_reminders, tmp_path):
    queue = f"stride-fault-{os.getpid()}-{time.monotonic_ns()}"
    yield {"queue": queue, "outbox": tmp_path / "outbox.jsonl", "log": tmp_path / "worker.log"}
    # PostgreSQL ends a killed worker's sessions a moment after the process is gone; wait for
    # that, or the test database cannot be dropped at the end of the run.
    assert wait_for(lambda: _other_sessions() == 0, timeout=15), "worker sessions still open"


def _other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_two_workers_running_the_sweep_at_once(fault_env):
    """Two worker processes (2 children each) on one queue, several sweeps racing."""
    broker_url = django_settings.REDIS_URL
    workers = [WorkerProcess(broker_url=broker_url, **fault_env).start() for _ in range(2)]
    try:
        for _ in range(4):
            send_sweep(broker_url, fault_env["queue"])
        finish_and_check(workers[0], broker_url, fault_env["queue"], fault_env["outbox"])
    finally:
        for worker in workers:
            worker.stop()


def test_a_worker_killed_mid_sweep_and_restarted_loses_and_repeats_nothing(fault_env):
    broker_url = django_settings.REDIS_URL
    worker = WorkerProcess(broker_url=broker_url, **fault_env).start()
    try:
        send_sweep(broker_url, fault_env["queue"])
        assert wait_for(lambda: len(sent_numbers(fault_env["outbox"])) >= 20, **MID_SWEEP), (
            fault_env["log"].read_text()[-3000:]
        )
        worker.kill()
        assert len(sent_numbers(fault_env["outbox"])) < REMINDERS, "killed too late to matter"
        worker = WorkerProcess(broker_url=broker_url, **fault_env).start()
        finish_and_check(worker, broker_url, fault_env["queue"], fault_env["outbox"])
    finally:
        worker.stop()


def test_redis_restarted_mid_sweep_loses_and_repeats_nothing(fault_env, tmp_path):
    server = shutil.which("redis-server")
    if not server:
        missing_service("this test starts its own redis-server")
    port = free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        subprocess.run(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(tmp_path),
            ],
            check=True,
        )
        client = redis.Redis.from_url(broker_url)
        assert wait_for(lambda: _pings(client), timeout=20)
        return client

    client = start_redis()
    worker = WorkerProcess(broker_url=broker_url, **fault_env).start()
    try:
        send_sweep(broker_url, fault_env["queue"])
        assert wait_for(lambda: len(sent_numbers(fault_env["outbox"])) >= 20, **MID_SWEEP), (
            fault_env["log"].read_text()[-3000:]
        )
        client.shutdown(nosave=True)  # every queued task in Redis is gone
        time.sleep(1.0)
        client = start_redis()
        finish_and_check(worker, broker_url, fault_env["queue"], fault_env["outbox"])
    finally:
        worker.stop()
        with contextlib.suppress(redis.RedisError):
            client.shutdown(nosave=True)


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False
