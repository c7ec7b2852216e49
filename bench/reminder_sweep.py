"""Benchmark 3: the reminder sweep, 10,000 day-before texts through a real worker.

The parent process (no Django) creates a fresh ``stride_bench_sweep`` database, has a child fill
it (``python -m bench.reminder_sweep --setup --database-url URL``: one location, therapists,
10,000 consenting patients with distinct numbers and 10,000 booked visits tomorrow, local
date), starts ``celery -A clinic worker`` (prefork, one child per core) on a queue of its own on
Redis, and has a second child measure against that worker (``--measure``):

- Baseline: 10,000 ``celery.accumulate`` tasks, Celery's built-in that returns its arguments
  (no result backend is configured, so it does no I/O). Done when every one was acknowledged:
  the queue's Redis list is empty and none of its messages is left in kombu's ``unacked`` hash
  (tasks are acknowledged after they ran: ``CELERY_TASK_ACKS_LATE``).
- Sweep: one ``clinic.tasks.reminder_sweep``. Done when 10,000 ``Message`` rows of kind
  reminder are ``sent`` (a COUNT every 0.2 s). The texts go through the file SMS backend, in the
  worker's own processes; afterwards its outbox must hold 10,000 lines for 10,000 numbers.

Goal (from the issue): the sweep's texts per second are at least half the no-op's tasks per
second. ``python -m bench.reminder_sweep`` runs it alone; ``python -m bench sweep`` with the
others.
"""

import argparse
import collections
import contextlib
import datetime
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import common, report

# Its own name lets two checkouts on one PostgreSQL run it without dropping each other's data.
DATABASE = os.environ.get("BENCH_SWEEP_DATABASE", "stride_bench_sweep")
QUEUE = "stride-bench-sweep"  # no other worker reads it; purged before and after the run
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
REMINDERS = 10_000  # fixed by the issue
THERAPISTS = 200
VISIT_MINUTES = 15
FIRST_VISIT = datetime.time(7)  # 200 therapists x 50 visits of 15 minutes: 07:00 to 19:30
NOOP_TASK = "celery.accumulate"
WARMUP_TASKS = 200
POLL_SECONDS = 0.2  # the sweep's COUNT of sent reminders
QUEUE_POLL_SECONDS = 0.02  # the no-op's look at the Redis queue (two cheap commands)
WAIT_LIMIT = 600.0  # seconds; the run reports what it got by then
STALL_LIMIT = 60.0  # seconds without a new row or a new text: the sweep has stopped
GOAL_RATIO = 0.50
BUSY_OTHER = 0.25  # cores used outside the benchmark above which a run is marked disturbed
WORKER_LOG = common.VAR_DIR / "reminder-sweep-worker.log"
LOCK_FILE = common.VAR_DIR / "reminder-sweep.lock"
UNACKED_KEY = "unacked"  # kombu's Redis transport: delivered, not yet acknowledged
PRIORITY_SEPARATOR = "\x06\x16"  # kombu's Redis transport: key suffix of priority lists

WORKER_ENV = {
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "SMS_BACKEND": "clinic.sms.backends.file.SmsBackend",
    # Reminders due at any hour, so the run doesn't depend on the time of day.
    "REMINDER_LOCAL_HOUR": "0",
    "SMS_QUIET_START_HOUR": "24",
    "SMS_QUIET_END_HOUR": "0",
    "LOG_LEVEL": "WARNING",
}


def concurrency() -> int:
    return os.cpu_count() or 1


# --- Child: the database --------------------------------------------------------------------


def setup(database_url: str, *, reminders: int) -> dict:
    """Migrate the fresh database and book ``reminders`` visits for tomorrow (bulk inserts)."""
    os.environ.update(common.django_env(database_url, REDIS_URL=REDIS_URL, **WORKER_ENV))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from clinic.models import Appointment, Location, Patient, Therapist, User

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    location, visit_type = common.practice("Sweep", visit_minutes=VISIT_MINUTES, buffer_minutes=0)
    therapist_count = min(THERAPISTS, reminders)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"therapist{n:03d}@sweep.example",
            first_name="Therapist",
            last_name=f"Sweep{n:03d}",
            role=User.Role.THERAPIST,
            is_staff=True,
            password=password,
        )
        for n in range(therapist_count)
    )
    therapists = Therapist.objects.bulk_create(Therapist(user=user) for user in users)
    Therapist.locations.through.objects.bulk_create(
        Therapist.locations.through(therapist_id=t.pk, location_id=location.pk) for t in therapists
    )
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        (
            Patient(
                first_name="Patient",
                last_name=f"Sweep{n:05d}",
                email=f"patient{n:05d}@sweep.example",
                phone=f"+1612{5550000 + n:07d}",  # distinct: +16125550000, +16125550001, ...
                sms_consent=True,
                sms_consent_at=now - datetime.timedelta(days=30),
            )
            for n in range(reminders)
        ),
        batch_size=2000,
    )
    zone = location.zone
    tomorrow = now.astimezone(zone).date() + datetime.timedelta(days=1)
    first = datetime.datetime.combine(tomorrow, FIRST_VISIT, zone)
    visit = datetime.timedelta(minutes=VISIT_MINUTES)
    booked_at = now - datetime.timedelta(days=3)  # before the reminder moment: not "covered"
    appointments = []
    for n, patient in enumerate(patients):
        # Therapist n % T sees its visits back to back, so none of them overlap.
        start = first + visit * (n // therapist_count)
        appointments.append(
            Appointment(
                patient=patient,
                therapist=therapists[n % therapist_count],
                location=location,
                appointment_type=visit_type,
                start=start,
                end=start + visit,
                blocked_until=start + visit,
                status=Appointment.Status.BOOKED,
                source=Appointment.Source.FRONT_DESK,
                scheduled_at=booked_at,
            )
        )
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    last = appointments[-1].start.astimezone(zone) if appointments else first
    return {
        "migrate_s": migrated - started,
        "build_s": time.perf_counter() - migrated,
        "appointments": len(appointments),
        "therapists": therapist_count,
        "locations": Location.objects.filter(is_active=True).count(),
        "tomorrow": tomorrow.isoformat(),
        "first_visit": f"{FIRST_VISIT:%H:%M}",
        "last_visit": f"{last:%H:%M}",
        "time_zone": location.time_zone,
    }


# --- Child: the measurements ----------------------------------------------------------------


def _cpu_seconds(worker_pid: int) -> collections.Counter:
    """CPU seconds used so far by the worker (main process, pool children), PostgreSQL, Redis,
    this process and everything else, from /proc. A process's figure includes its children that
    exited and were reaped, so PostgreSQL's count keeps the backends of closed connections."""
    used: collections.Counter = collections.Counter()
    for process in common.process_cpu_list():
        pid, group, name = process.pid, process.group, process.name
        seconds = process.seconds_with_children
        if pid == worker_pid:
            used["worker main"] += seconds
        elif group == worker_pid:
            used["worker children"] += seconds
        elif name.startswith("postgres"):
            used["postgres"] += seconds
        elif name.startswith("redis-server"):
            used["redis"] += seconds
        elif pid == os.getpid():
            used["bench"] += seconds
        else:
            used["other"] += seconds
    return used


CPU_GROUPS = ("worker main", "worker children", "postgres", "redis", "bench", "other")


def _cores(before: collections.Counter, after: collections.Counter, seconds: float) -> dict:
    """Cores busy on average over ``seconds``, by group."""
    return {g: max(0.0, after[g] - before[g]) / seconds if seconds else 0.0 for g in CPU_GROUPS}


class _Queue:
    """The benchmark's Celery queue as kombu keeps it in Redis."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)

    def waiting(self) -> int:
        return self.client.llen(QUEUE)

    def unacked(self) -> int:
        """Messages of this queue delivered to a worker and not yet acknowledged."""
        count = 0
        for raw in self.client.hvals(UNACKED_KEY):
            try:
                _, _, routing_key = json.loads(raw)
            except ValueError:
                continue
            count += routing_key == QUEUE
        return count


def _wait_drained(queue: _Queue, *, deadline: float) -> bool:
    """Wait until every published task of the queue ran and was acknowledged."""
    while time.perf_counter() < deadline:
        if queue.waiting() == 0 and queue.unacked() == 0:
            return True
        time.sleep(QUEUE_POLL_SECONDS)
    return False


def _publish(app, name: str, count: int) -> None:
    with app.producer_or_acquire() as producer:
        for n in range(count):
            app.send_task(name, args=(n,), producer=producer)


def _worker_totals(app, hostname: str) -> dict:
    """Tasks the worker has started, by name (``celery inspect stats``)."""
    replies = app.control.inspect(destination=[hostname], timeout=5.0, limit=1).stats() or {}
    return dict(replies.get(hostname, {}).get("total", {}))


def _wait_ready(app, hostname: str, worker_pid: int, *, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            os.kill(worker_pid, 0)
        except ProcessLookupError:
            raise common.BenchError("the worker exited during start-up") from None
        if app.control.ping(destination=[hostname], timeout=1.0, limit=1):
            return time.perf_counter() - started
    raise common.BenchError(f"the worker did not answer a ping within {timeout:.0f} s")


def _noop_phase(app, queue: _Queue, *, count: int, worker_pid: int) -> dict:
    cpu_before = _cpu_seconds(worker_pid)
    started = time.perf_counter()
    _publish(app, NOOP_TASK, count)
    published = time.perf_counter()
    drained = _wait_drained(queue, deadline=started + WAIT_LIMIT)
    seconds = time.perf_counter() - started
    cpu = _cores(cpu_before, _cpu_seconds(worker_pid), seconds)
    if not drained:
        raise common.BenchError(f"{count:,} no-op tasks did not finish within {WAIT_LIMIT:.0f} s")
    return {
        "tasks": count,
        "seconds": seconds,
        "publish_s": published - started,
        "rate": count / seconds,
        "cpu": cpu,
    }


def _sweep_phase(app, *, reminders: int, worker_pid: int) -> dict:
    from django.db.models import Count, Max, Min

    from clinic.models import Message

    reminders_sent = Message.objects.filter(kind=Message.Kind.REMINDER, status="sent")
    cpu_before = _cpu_seconds(worker_pid)
    wall_started = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    app.send_task("clinic.tasks.reminder_sweep")
    sent = rows = 0
    progress = (0, 0, started)  # (rows, sent, when either last changed)
    stopped = ""
    while sent < reminders:
        time.sleep(POLL_SECONDS)
        now = time.perf_counter()
        sent = reminders_sent.count()
        if sent >= reminders:
            break
        rows = Message.objects.filter(kind=Message.Kind.REMINDER).count()
        if (rows, sent) != progress[:2]:
            progress = (rows, sent, now)
        elif now - progress[2] > STALL_LIMIT:
            stopped = f"nothing changed for {STALL_LIMIT:.0f} s"
            break
        if now - started > WAIT_LIMIT:
            stopped = f"stopped waiting after {WAIT_LIMIT:.0f} s"
            break
    seconds = time.perf_counter() - started
    cpu = _cores(cpu_before, _cpu_seconds(worker_pid), seconds)
    reminders_all = Message.objects.filter(kind=Message.Kind.REMINDER)
    span = reminders_all.aggregate(
        first_queued=Min("created_at"),
        last_queued=Max("created_at"),
        first_sent=Min("sent_at"),
        last_sent=Max("sent_at"),
    )

    def after_publish(moment):
        return (moment - wall_started).total_seconds() if moment else None

    # Texts sent in each 5-second step after the publish: where the sending slowed down.
    buckets = collections.Counter(
        int((moment - wall_started).total_seconds() // 5)
        for moment in reminders_all.filter(sent_at__isnull=False).values_list("sent_at", flat=True)
    )
    statuses = {
        row["status"]: row["n"]
        for row in reminders_all.order_by().values("status").annotate(n=Count("pk"))
    }
    return {
        "reminders": reminders,
        "sent": sent,
        "seconds": seconds,
        "rate": sent / seconds if seconds else 0.0,
        "stopped": stopped,
        "statuses": statuses,
        "attempts_over_one": reminders_all.filter(attempts__gt=1).count(),
        "timeline": {name: after_publish(moment) for name, moment in span.items()},
        "sent_per_5s": [buckets[n] for n in range(max(buckets, default=-1) + 1)],
        "cpu": cpu,
    }


def _sessions() -> int:
    """Connections ever opened to this database (PostgreSQL's cumulative statistics)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def measure(database_url: str, *, hostname: str, worker_pid: int, reminders: int) -> dict:
    """Baseline then sweep, against the running worker; prints nothing but the result."""
    os.environ.update(common.django_env(database_url, REDIS_URL=REDIS_URL, **WORKER_ENV))
    import django

    django.setup()
    from clinic.celery import app

    queue = _Queue(REDIS_URL)
    ready_s = _wait_ready(app, hostname, worker_pid)
    # Warm-up: pool children import their first tasks' code and open their connections.
    _publish(app, NOOP_TASK, WARMUP_TASKS)
    app.send_task("clinic.tasks.heartbeat")
    app.send_task("clinic.tasks.heartbeat")
    if not _wait_drained(queue, deadline=time.perf_counter() + 60):
        raise common.BenchError("the warm-up tasks did not finish within 60 s")
    totals_before = _worker_totals(app, hostname)
    noop = _noop_phase(app, queue, count=reminders, worker_pid=worker_pid)
    totals_noop = _worker_totals(app, hostname)
    sessions_before = _sessions()
    sweep = _sweep_phase(app, reminders=reminders, worker_pid=worker_pid)
    _wait_drained(queue, deadline=time.perf_counter() + 10)
    totals_after = _worker_totals(app, hostname)
    time.sleep(1.0)  # backends report their session to the statistics when they flush or exit
    sweep["db_sessions"] = _sessions() - sessions_before

    def ran(totals_from: dict, totals_to: dict, name: str) -> int:
        return totals_to.get(name, 0) - totals_from.get(name, 0)

    noop["worker_counted"] = ran(totals_before, totals_noop, NOOP_TASK)
    sweep["send_tasks"] = ran(totals_noop, totals_after, "clinic.tasks.message_send")
    sweep["batch_tasks"] = ran(totals_noop, totals_after, "clinic.tasks.message_send_many")
    sweep["sweep_tasks"] = ran(totals_noop, totals_after, "clinic.tasks.reminder_sweep")
    return {"ready_s": ready_s, "noop": noop, "sweep": sweep}


# --- Parent: the worker, Redis and the outbox -----------------------------------------------


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise common.BenchError(f"Redis did not answer at {REDIS_URL}: {exc}") from exc
    return client


def _purge(client) -> int:
    """Empty the benchmark's queue, including messages a killed earlier run left unacked."""
    keys = [QUEUE, *(f"{QUEUE}{PRIORITY_SEPARATOR}{p}" for p in (3, 6, 9))]
    removed = sum(client.llen(key) for key in keys)
    client.delete(*keys)
    for tag, raw in client.hgetall(UNACKED_KEY).items():
        try:
            _, _, routing_key = json.loads(raw)
        except ValueError:
            continue
        if routing_key == QUEUE:
            client.hdel(UNACKED_KEY, tag)
            client.zrem(f"{UNACKED_KEY}_index", tag)
            removed += 1
    return removed


def _start_worker(database_url: str, outbox: Path, hostname: str) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "clinic",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency()}",
        "--without-gossip",
        "--without-mingle",
        f"--queues={QUEUE}",
        f"--hostname={hostname}",
        "--loglevel=WARNING",
    ]
    env = common.django_env(
        database_url, REDIS_URL=REDIS_URL, SMS_FILE_PATH=str(outbox), **WORKER_ENV
    )
    with WORKER_LOG.open("ab") as log:
        # A session of its own: the worker and its pool children stop as one process group.
        return subprocess.Popen(
            args,
            env=env,
            cwd=common.REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop_worker(worker: subprocess.Popen) -> None:
    """SIGTERM to the worker's process group (a warm shutdown), SIGKILL after 20 s."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):  # a pool child left behind, if any
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def _outbox_check(outbox: Path) -> dict:
    numbers = []
    if outbox.exists():
        numbers = [json.loads(line)["to"] for line in outbox.read_text().splitlines() if line]
    counts = collections.Counter(numbers)
    return {
        "lines": len(numbers),
        "numbers": len(counts),
        "repeated": sum(1 for c in counts.values() if c > 1),
    }


def run(*, reminders: int = REMINDERS) -> dict:
    """Set up, start the worker, measure, stop, clean up; needs PostgreSQL and Redis."""
    if common.postgres_version() is None:
        raise common.BenchError(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}")
    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Two runs at once would share the database and the queue: the second one refuses.
    with LOCK_FILE.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise common.BenchError("another reminder sweep benchmark is running") from None
        return _run_locked(reminders=reminders)


def _run_locked(*, reminders: int) -> dict:
    client = _redis()
    redis_version = client.info("server").get("redis_version", "unknown")
    load_before = common.load_average()
    WORKER_LOG.unlink(missing_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="stride-bench-sweep-"))
    outbox = scratch / "sms-outbox.jsonl"
    hostname = f"bench-sweep-{os.getpid()}@{socket.gethostname()}"
    child_env = dict(os.environ, PYTHONPATH=str(common.REPO_ROOT))
    worker = None
    started = time.monotonic()
    # A SIGTERM (``timeout``, CI) unwinds like Ctrl-C, so the worker is stopped and the
    # database dropped below instead of being left running.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        purged = _purge(client)
        if purged:
            common.log(f"purged {purged} old messages from queue {QUEUE}")
        database_url = common.postgres_recreate(DATABASE)
        common.log(f"setting up {DATABASE}: {reminders:,} visits tomorrow")
        built = common.run_json(
            [
                *(sys.executable, "-m", "bench.reminder_sweep", "--setup"),
                *("--database-url", database_url, "--reminders", str(reminders)),
            ],
            env=child_env,
            timeout=300,
        )
        common.log(f"  migrated in {built['migrate_s']:.1f} s, built in {built['build_s']:.1f} s")
        common.log(f"starting a worker ({concurrency()} prefork children) on queue {QUEUE}")
        worker = _start_worker(database_url, outbox, hostname)
        common.log(f"measuring: {reminders:,} no-op tasks, then the sweep")
        measured = common.run_json(
            [
                *(sys.executable, "-m", "bench.reminder_sweep", "--measure"),
                *("--database-url", database_url, "--reminders", str(reminders)),
                *("--hostname", hostname),
                *("--worker-pid", str(worker.pid)),
            ],
            env=child_env,
            timeout=2 * WAIT_LIMIT + 180,
        )
        time.sleep(0.5)  # a second text for a number would have been written by now
        outbox_check = _outbox_check(outbox)
    finally:
        if worker is not None:
            _stop_worker(worker)
            common.log(f"worker stopped (exit {worker.returncode}); log in {_relative(WORKER_LOG)}")
        try:
            _purge(client)
        except Exception as exc:  # cleanup must not hide the benchmark's own result
            common.log(f"could not purge queue {QUEUE}: {exc}")
        common.postgres_drop(DATABASE)
        shutil.rmtree(scratch, ignore_errors=True)
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous_handler)
    noop, sweep = measured["noop"], measured["sweep"]
    return {
        "reminders": reminders,
        "concurrency": concurrency(),
        "setup": built,
        "ready_s": measured["ready_s"],
        "noop": noop,
        "sweep": sweep,
        "ratio": sweep["rate"] / noop["rate"] if noop["rate"] else 0.0,
        "outbox": outbox_check,
        "exactly_once": (
            sweep["sent"] == reminders
            and outbox_check["lines"] == reminders
            and outbox_check["numbers"] == reminders
        ),
        "redis": redis_version,
        "load_before": load_before,
        "total_s": time.monotonic() - started,
    }


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def _relative(path: Path) -> Path:
    return path.relative_to(common.REPO_ROOT)


# --- Report ---------------------------------------------------------------------------------


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def summary(results: dict) -> list[str]:
    noop, sweep, outbox = results["noop"], results["sweep"], results["outbox"]
    lines = [
        f"no-op ({NOOP_TASK}): {noop['tasks']:,} tasks in {noop['seconds']:.1f} s, "
        f"{_rate(noop['rate'])} tasks/s",
        f"reminder sweep: {sweep['sent']:,} of {sweep['reminders']:,} texts sent in "
        f"{sweep['seconds']:.1f} s, {_rate(sweep['rate'])} messages/s; "
        f"sweep/no-op {results['ratio']:.1%} (goal ≥ {GOAL_RATIO:.0%})",
        f"exactly once: {'yes' if results['exactly_once'] else 'NO'} — outbox "
        f"{outbox['lines']:,} lines, {outbox['numbers']:,} numbers, "
        f"{outbox['repeated']} repeated",
    ]
    if sweep["stopped"]:
        lines.append(f"reminder sweep incomplete: {sweep['stopped']}")
    if _disturbed(results):
        lines.append(f"disturbed: {_disturbed(results)}")
    return lines


def _disturbed(results: dict) -> str:
    """Why the figures may not hold, when other processes used the cores during the run."""
    busy = {
        phase: results[phase]["cpu"]["other"]
        for phase in ("noop", "sweep")
        if results[phase]["cpu"]["other"] > BUSY_OTHER
    }
    if not busy:
        return ""
    return "other processes used " + " and ".join(
        f"{cores:.2f} cores during the {'no-op' if phase == 'noop' else 'sweep'}"
        for phase, cores in busy.items()
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n:,}" for name, n in sorted(counts.items())) or "none"


def _cpu_text(cpu: dict[str, float]) -> str:
    return ", ".join(f"{name} {cores:.2f}" for name, cores in cpu.items() if cores >= 0.005)


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} s"


def markdown(results: dict, machine: dict) -> str:
    noop, sweep, setup_info = results["noop"], results["sweep"], results["setup"]
    timeline = sweep["timeline"]
    reminders, ratio = results["reminders"], results["ratio"]
    out = [
        "## 3. Reminder sweep\n\n",
        common.machine_markdown(machine, load_before=results["load_before"]),
        f"- Redis {results['redis']}; Celery worker: prefork, {results['concurrency']} "
        "children (one per core)\n\n",
    ]
    out.append(
        report.paragraph(
            f"""**Goal** (from the issue): with {REMINDERS:,} appointments due tomorrow, the
            time until every reminder is recorded as sent through an in-process SMS backend, by
            a real worker on Redis and PostgreSQL, gives at least {GOAL_RATIO:.0%} of the
            messages per second that the same worker manages for a no-op task in the same
            run."""
        )
    )
    out.append(
        report.paragraph(
            f"""**Method.** A fresh PostgreSQL database `{DATABASE}`, migrated, with one
            location ({setup_info["time_zone"]}), {setup_info["therapists"]} therapists and
            {setup_info["appointments"]:,} booked {VISIT_MINUTES}-minute visits tomorrow
            ({setup_info["tomorrow"]}, {setup_info["first_visit"]}–{setup_info["last_visit"]}
            local starts, back to back per therapist), each for its own patient with SMS
            consent and a distinct number, booked three days ago; bulk inserts, dropped
            afterwards. One worker, `python -m celery -A clinic worker --pool=prefork
            --concurrency={results["concurrency"]} --without-gossip --without-mingle`, reads a
            queue of its own (`{QUEUE}`, purged before and after) on Redis, with the project's
            settings (`acks_late`, prefetch multiplier 1, no result backend), `DEBUG=false`,
            `SMS_BACKEND=clinic.sms.backends.file.SmsBackend` (a JSON line per text appended
            to a file in a temporary directory, in the worker's own processes, no network) and
            `REMINDER_LOCAL_HOUR=0`, `SMS_QUIET_START_HOUR=24`, `SMS_QUIET_END_HOUR=0` so that
            reminders are due whatever the time of day. Before timing, {WARMUP_TASKS} no-op
            tasks and two heartbeats warm the pool children up."""
        )
    )
    out.append(
        report.bullets(
            f"""No-op: {reminders:,} `{NOOP_TASK}` tasks (Celery's built-in that returns its
            arguments; no result backend, so no I/O), published from the benchmark process over
            one connection. Timed from the first publish until the queue's Redis list is empty
            and none of its messages is left in kombu's `unacked` hash, which the worker
            clears when it acknowledges a task, after running it (acks_late); polled every
            {QUEUE_POLL_SECONDS * 1000:.0f} ms. The worker's own count (`celery inspect
            stats`) confirms how many ran.""",
            f"""Sweep: one `clinic.tasks.reminder_sweep` task, which queues a `Message` row per
            due reminder and hands the texts, in batches, to sending tasks on the same worker.
            Timed from its publish until {reminders:,} reminder rows are `sent` (a `COUNT` every
            {POLL_SECONDS:.1f} s). The timeline comes from the rows' `created_at` and `sent_at`
            afterwards; the connections the worker opened, from PostgreSQL's `pg_stat_database`
            (`sessions`).""",
            """Exactly once: the outbox file must hold one line per reminder, for as many
            distinct numbers.""",
        )
    )
    out.append("**Results:**\n\n")
    out.append(
        report.table(
            ["Run", "Tasks or texts", "Time", "Per second", "Of the no-op"],
            "lrrrr",
            [
                [
                    f"No-op task (`{NOOP_TASK}`)",
                    f"{noop['tasks']:,}",
                    _seconds(noop["seconds"]),
                    _rate(noop["rate"]),
                    "100%",
                ],
                [
                    "Reminder sweep, texts sent",
                    f"{sweep['sent']:,} of {sweep['reminders']:,}",
                    _seconds(sweep["seconds"]),
                    _rate(sweep["rate"]),
                    f"**{ratio:.1%}**",
                ],
            ],
        )
    )
    met = "met" if ratio >= GOAL_RATIO and not sweep["stopped"] else "NOT met"
    outbox = results["outbox"]
    items = [
        f"""Sweep ÷ no-op: **{ratio:.1%}** (goal ≥ {GOAL_RATIO:.0%}: {met}).""",
        f"""Exactly once: **{"yes" if results["exactly_once"] else "NO"}** — the outbox holds
        {outbox["lines"]:,} lines for {outbox["numbers"]:,} distinct numbers
        ({outbox["repeated"]} repeated); reminder rows by status: {_counts(sweep["statuses"])};
        rows with more than one attempt: {sweep["attempts_over_one"]}.""",
        f"""The no-op's {noop["tasks"]:,} publishes took {noop["publish_s"]:.1f} s of its
        {noop["seconds"]:.1f} s; the worker counted {noop["worker_counted"]:,} runs.""",
    ]
    if sweep["stopped"]:
        items.append(f"The sweep did not finish: {sweep['stopped']}.")
    if _disturbed(results):
        items.append(
            f"""**Disturbed run:** {_disturbed(results)} (more than {BUSY_OTHER} is work outside
            the benchmark), so the two rates were not measured on an equally idle machine and
            the ratio can be off either way; run it again on a quiet machine."""
        )
    out.append(report.bullets(*items))
    out.append("**The sweep's timeline**, seconds after its task was published:\n\n")
    first_queued, last_queued = timeline["first_queued"], timeline["last_queued"]
    first_sent, last_sent = timeline["first_sent"], timeline["last_sent"]
    queue_s = last_queued - first_queued if None not in (first_queued, last_queued) else None
    send_s = last_sent - first_sent if None not in (first_sent, last_sent) else None
    out.append(
        report.table(
            ["Moment", "After publish"],
            "lr",
            [
                ["First reminder row queued", _seconds(first_queued)],
                [f"Last of {reminders:,} rows queued", _seconds(last_queued)],
                ["First text sent", _seconds(first_sent)],
                ["Last text sent", _seconds(last_sent)],
                ["Seen by the poll", _seconds(sweep["seconds"])],
            ],
        )
    )
    notes = []
    if queue_s is not None and queue_s > 0:
        waited = first_sent is not None and first_sent >= last_queued
        notes.append(
            f"""Queueing the rows, in the one sweep task: {queue_s:.1f} s
            ({reminders / queue_s:,.0f} rows/s){
                ", during which no text went out: the first was sent only after the last row"
                if waited
                else ", while the first texts were already going out"
            }."""
        )
    if send_s is not None and send_s > 0:
        notes.append(
            f"""Sending, from the first text to the last: {send_s:.1f} s
            ({sweep["sent"] / send_s:,.0f} texts/s, {sweep["sent"] / send_s / noop["rate"]:.0%}
            of the no-op rate)."""
        )
    sessions = sweep["db_sessions"]
    per_text = sessions / sweep["sent"] if sweep["sent"] else 0.0
    note = f"""Connections the worker opened to PostgreSQL during the sweep: {sessions:,}
        ({per_text:.2f} per text)."""
    if per_text >= 0.5:
        note += """ About one per text: Celery's Django fix-up closes the database connection
        before and after every task unless `CELERY_DB_REUSE_MAX` is set, so `CONN_MAX_AGE`
        does not apply in the worker and each task pays for a new connection (on both sides:
        see PostgreSQL's share of the cores)."""
    tasks, batches = sweep["send_tasks"], sweep.get("batch_tasks", 0)
    note += f""" Sending tasks the worker ran: {batches:,} `clinic.tasks.message_send_many`
        (batches of texts) and {tasks:,} `clinic.tasks.message_send` (single texts){
        f", {(tasks + batches) / sweep['sent']:.3f} per text" if sweep["sent"] else ""
    }."""
    notes.append(note)
    notes.append(
        f"""Where the {machine["cores"]} cores went, on average over each run (cores busy, from
        /proc): no-op — {_cpu_text(noop["cpu"])}; sweep — {_cpu_text(sweep["cpu"])}. "bench"
        is the process publishing and polling; "other" is work outside the benchmark."""
    )
    out.append(report.bullets(*notes))
    out.append(
        report.paragraph(
            """Run it alone with `.venv/bin/python -m bench.reminder_sweep` (`--no-docs` leaves
            this file alone); PostgreSQL as for the other benchmarks, Redis at
            `redis://127.0.0.1:6379/0` or `BENCH_REDIS_URL`, the scratch database named by
            `BENCH_SWEEP_DATABASE` if set. The worker's log is kept in
            `var/bench/reminder-sweep-worker.log` until the next run."""
        )
    )
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reminder_sweep", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--reminders", type=int, default=REMINDERS, help=argparse.SUPPRESS)
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--hostname", help=argparse.SUPPRESS)
    parser.add_argument("--worker-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup:
        print(json.dumps(setup(args.database_url, reminders=args.reminders)))
        return 0
    if args.measure:
        result = measure(
            args.database_url,
            hostname=args.hostname,
            worker_pid=args.worker_pid,
            reminders=args.reminders,
        )
        print(json.dumps(result))
        return 0

    machine = common.machine()
    try:
        results = run(reminders=args.reminders)
    except common.BenchError as exc:
        print(f"reminder sweep: not run: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"reminder_sweep": results}, indent=2))
    print()
    print(f"Reminder sweep ({results['total_s']:.0f} s)")
    for line in summary(results):
        print(f"  {line}")
    if not args.no_docs:
        report.update("reminder_sweep", markdown(results, machine))
        print(f"  figures: {common.DOCS_FILE.relative_to(common.REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
