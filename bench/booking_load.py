"""Benchmark 2: booking under load, over HTTP, against gunicorn and PostgreSQL.

The parent process creates a fresh ``stride_bench_load`` database, migrates and fills it (a
child: ``python -m bench.booking_load --setup --database-url URL``), starts gunicorn on a free
port of 127.0.0.1 and drives it with 64 concurrent clients (threads, ``http.client``):

- Load A: ``GET /api/v1/ping``, a JSON view without database work — the framework's ceiling,
  measured first and again last; shares are of the mean of the two.
- References: ``POST /bench/parse``, ``/bench/queries/N`` and ``/bench/sql/N``
  (``bench.server_urls``), the same body as a booking to a view set up like the booking endpoint,
  that only parses it and makes N primary-key lookups through the ORM or as plain SQL: what the
  framework's own per-request and per-query costs leave for a booking.
- Load B: ``POST /api/v1/appointments``. The clients walk the same shuffled list of free start
  times, so each start is asked for by all 64 of them and many requests lose a race: up to one
  winner per free therapist, 409 for the rest. Three clients in four leave the therapist out
  ("any therapist"); the fourth names one of the therapists availability offered.

Afterwards the database is checked for double bookings: two non-cancelled appointments of one
therapist whose [start, blocked_until) ranges overlap.
"""

import argparse
import collections
import datetime
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import common, report

DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "stride_bench_load")
CLIENTS = 64
THERAPISTS = 20
WINDOW_DAYS = 56  # starts offered to the clients, from tomorrow on
SEED = 20300604
WORKER_CLASS = "sync"  # what docker-compose.yml and the Dockerfile run
THREADS_PER_WORKER = 4  # used by --worker-class gthread only
QUEUE = "stride-bench-load"  # a queue no worker reads; its messages are removed afterwards
GOAL_RATIO = 0.40
# Reference requests (bench.server_urls): label -> path. 7 and 15 are the query counts of a
# 409 for a named therapist and of a booking (see the probe in the report).
REFERENCES = {
    "body parsed, no database": "/bench/parse",
    "1 ORM query": "/bench/queries/1",
    "7 ORM queries": "/bench/queries/7",
    "15 ORM queries": "/bench/queries/15",
    "1 SQL statement without the ORM": "/bench/sql/1",
    "15 SQL statements without the ORM": "/bench/sql/15",
}

SERVER_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "API_RATE_READ": "1000000/min",
    "API_RATE_BOOKING": "1000000/min",
    "BOOKING_MIN_NOTICE_HOURS": "0",
    "BOOKING_HORIZON_DAYS": "400",
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "LOG_LEVEL": "INFO",
}

DOUBLE_BOOKINGS_SQL = """
SELECT count(*)
FROM clinic_appointment a
JOIN clinic_appointment b
  ON a.therapist_id = b.therapist_id
 AND a.id < b.id
 AND a.start < b.blocked_until
 AND b.start < a.blocked_until
WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


def workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


# --- Child: the database --------------------------------------------------------------------


def setup(database_url: str) -> dict:
    """Migrate the fresh database and create the practice the clients book into."""
    os.environ.update(common.django_env(database_url, **SERVER_ENV))
    import django

    django.setup()
    from django.core.management import call_command

    from clinic.models import Therapist, User, WorkingHours

    call_command("migrate", interactive=False, verbosity=0)
    location, visit_type = common.practice("Load", visit_minutes=45, buffer_minutes=15)
    staff = []
    for n in range(THERAPISTS):
        user = User.objects.create_user(
            email=f"therapist{n:02d}@load.example",
            first_name="Therapist",
            last_name=f"Load{n:02d}",
            role=User.Role.THERAPIST,
            is_staff=True,
        )
        therapist = Therapist.objects.create(user=user)
        therapist.locations.add(location)
        staff.append(therapist.pk)
        WorkingHours.objects.bulk_create(
            WorkingHours(
                therapist=therapist,
                location=location,
                weekday=weekday,
                start_time=datetime.time(8),
                end_time=datetime.time(17),
            )
            for weekday in range(5)
        )
    ids = {"location": location.pk, "appointment_type": visit_type.pk, "therapists": staff}
    ids["probe"] = _probe_queries(ids)
    return ids


def _probe_queries(ids: dict) -> dict:
    """Queries one request of each kind makes, through Django's test client (no server).

    Run on the fresh database before the load; the probe's appointments are deleted again.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clinic.models import Appointment

    client = Client(HTTP_HOST="127.0.0.1")
    first = datetime.date.today() + datetime.timedelta(days=1)
    query = (
        f"/api/v1/availability?appointment_type={ids['appointment_type']}"
        f"&location={ids['location']}&start={first}&end={first + datetime.timedelta(days=27)}"
    )
    client.get("/api/v1/ping")  # imports and URL resolving happen on the first request
    slot = client.get(query).json()["slots"][0]
    path = "/api/v1/appointments"

    def count(label: str, path: str, body: dict | None = None) -> tuple:
        with CaptureQueriesContext(connection) as captured:
            if body is None:
                response = client.get(path)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json")
        return label, response.status_code, len(captured.captured_queries)

    def booking(n: int, therapist: int | None) -> dict:
        body = {
            "appointment_type": ids["appointment_type"],
            "location": ids["location"],
            "start": slot["start"],
            "patient": {
                "first_name": "Probe",
                "last_name": f"Patient{n}",
                "email": f"probe{n}@bench.example",
                "phone": "",
                "date_of_birth": "1988-04-02",
                "sms_consent": False,
            },
        }
        if therapist is not None:
            body["therapist"] = therapist
        return body

    rows = [
        count("GET /api/v1/ping", "/api/v1/ping"),
        count("GET /api/v1/availability, 28 days", query),
        count("POST /api/v1/appointments, any therapist: booked", path, booking(1, None)),
    ]
    taken = Appointment.objects.get().therapist_id
    rows.append(
        count("POST /api/v1/appointments, the same therapist: 409", path, booking(2, taken))
    )
    Appointment.objects.all().delete()
    return {label: {"status": status, "queries": queries} for label, status, queries in rows}


# --- The load generator ---------------------------------------------------------------------


@dataclass
class Phase:
    """What one load phase measured."""

    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # cores busy on average, by whom
    steal: float | None = None  # share of CPU time the hypervisor gave to other machines
    statuses: collections.Counter = field(default_factory=collections.Counter)
    latencies: list[float] = field(default_factory=list)
    latencies_by_status: dict[int, list[float]] = field(
        default_factory=lambda: collections.defaultdict(list)
    )

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def rate_of(self, status: int) -> float:
        return self.statuses[status] / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        def pcts(values):
            if not values:
                return None
            return {f"p{p}_ms": common.percentile(values, p) * 1000 for p in (50, 95, 99)} | {
                "max_ms": max(values) * 1000
            }

        return {
            "seconds": self.seconds,
            "cpu": self.cpu,
            "steal": self.steal,
            "requests": self.requests,
            "rate": self.rate,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=str)},
            "latency": pcts(self.latencies),
            "latency_by_status": {
                str(k): pcts(v) for k, v in sorted(self.latencies_by_status.items(), key=str)
            },
        }


def _cpu_seconds(server_pid: int | None) -> collections.Counter:
    """CPU seconds used so far by the server, PostgreSQL, this process and kernel threads.

    Read from /proc. Everything else is worked out from the machine's totals instead, because
    a process that exits between two samples drops out of a per-process difference.
    """
    used: collections.Counter = collections.Counter()
    for process in common.process_cpu_list():
        pid, ppid, seconds = process.pid, process.ppid, process.seconds
        if server_pid is not None and server_pid in (pid, ppid):
            used["server"] += seconds
        elif process.name.startswith("postgres"):
            used["postgres"] += seconds
        elif pid == os.getpid():
            used["load generator"] += seconds
        elif 2 in (pid, ppid):  # kthreadd and its threads: disk writeback, network, ...
            used["kernel threads"] += seconds
    return used


def _drive(
    *, port: int, plans: list, duration: float, max_requests: int, server_pid: int | None = None
) -> Phase:
    """Run one client thread per request plan until the time or the request budget is spent.

    Each plan is an iterator of (method, path, body). A connection error counts as status 0
    and the client reconnects.
    """
    phase = Phase()
    lock = threading.Lock()
    budget = itertools.count()
    ready = threading.Barrier(len(plans) + 1)
    deadline = [0.0]

    def client(plan):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        statuses: collections.Counter = collections.Counter()
        latencies: list[tuple[int, float]] = []
        ready.wait()
        for method, path, body in plan:
            if time.perf_counter() >= deadline[0] or next(budget) >= max_requests:
                break
            headers = {"Content-Type": "application/json"} if body is not None else {}
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            latencies.append((status, time.perf_counter() - started))
            statuses[status] += 1
        conn.close()
        with lock:
            phase.statuses.update(statuses)
            for status, seconds in latencies:
                phase.latencies.append(seconds)
                phase.latencies_by_status[status].append(seconds)

    threads = [threading.Thread(target=client, args=(plan,), daemon=True) for plan in plans]
    for thread in threads:
        thread.start()
    cpu_before = _cpu_seconds(server_pid)
    machine_before = common.cpu_sample()
    started = time.perf_counter()
    deadline[0] = started + duration
    ready.wait()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    cpu_after = _cpu_seconds(server_pid)
    machine = common.cpu_between(machine_before, common.cpu_sample())
    phase.steal = machine["steal"] if machine else None
    phase.cpu = {
        name: max(0.0, cpu_after[name] - cpu_before[name]) / phase.seconds
        for name in ("server", "postgres", "load generator", "kernel threads")
    }
    # Whatever else kept the machine busy, including processes that came and went meanwhile.
    if machine:
        phase.cpu["other processes"] = max(0.0, machine["busy_cores"] - sum(phase.cpu.values()))
    return phase


def _get_json(port: int, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise common.BenchError(f"GET {path} answered {response.status}: {body[:300]!r}")
        return json.loads(body)
    finally:
        conn.close()


def _free_starts(port: int, ids: dict) -> tuple[list[tuple[str, list[int]]], dict]:
    """Every free start in the window with the therapists free then, from the API itself."""
    first = datetime.date.today() + datetime.timedelta(days=1)
    by_start: dict[str, list[int]] = collections.defaultdict(list)
    timing = {}
    for offset in range(0, WINDOW_DAYS, 28):
        start = first + datetime.timedelta(days=offset)
        end = start + datetime.timedelta(days=27)
        path = (
            f"/api/v1/availability?appointment_type={ids['appointment_type']}"
            f"&location={ids['location']}&start={start}&end={end}"
        )
        started = time.perf_counter()
        slots = _get_json(port, path)["slots"]
        timing.setdefault("availability_28_days_ms", (time.perf_counter() - started) * 1000)
        timing.setdefault("availability_28_days_slots", len(slots))
        for slot in slots:
            by_start[slot["start"]].append(slot["therapist"])
    starts = sorted(by_start.items())
    random.Random(SEED).shuffle(starts)
    return starts, timing


def _booking_plan(client: int, starts, ids: dict):
    """Client ``client``'s requests: the shared list of starts, in the shared order."""
    for n, (start, free) in enumerate(starts):
        therapist = free[(client // 4) % len(free)] if client % 4 == 0 else None
        body = {
            "appointment_type": ids["appointment_type"],
            "location": ids["location"],
            "start": start,
            "patient": {
                "first_name": "Load",
                "last_name": f"Client{client:02d}",
                "email": f"load{client:02d}-{n}@bench.example",
                "phone": "",
                "date_of_birth": "1988-04-02",
                "sms_consent": False,
            },
        }
        if therapist is not None:
            body["therapist"] = therapist
        yield "POST", "/api/v1/appointments", json.dumps(body)


# --- The server -----------------------------------------------------------------------------


def _relative(path: Path) -> Path:
    return path.relative_to(common.REPO_ROOT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(
    database_url: str, port: int, log_file: Path, *, worker_class: str, threads: int
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    args = [
        str(gunicorn),
        "clinic.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers()}",
        f"--worker-class={worker_class}",
        # gunicorn turns sync workers with more than one thread into gthread ones.
        f"--threads={threads if worker_class == 'gthread' else 1}",
        "--keep-alive=30",
        "--backlog=2048",
        "--log-level=warning",
        "--error-logfile=-",
    ]
    env = common.django_env(database_url, **SERVER_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"  # Stride plus the references
    # Django logs to stderr: keep it with gunicorn's own messages for a look after the run.
    with log_file.open("ab") as log:
        server = subprocess.Popen(
            args, env=env, cwd=common.REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise common.BenchError(
                f"gunicorn exited with {server.returncode}; see {_relative(log_file)}"
            )
        try:
            if _get_json(port, "/api/v1/ping") == {"ok": True}:
                return server
        except (OSError, http.client.HTTPException, common.BenchError, ValueError):
            time.sleep(0.2)
    _stop_server(server)
    raise common.BenchError(
        f"gunicorn did not answer /api/v1/ping within 30 s; see {_relative(log_file)}"
    )


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown, workers included
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _remove_queued_tasks() -> int:
    """Drop the tasks the bookings queued (confirmations): nobody consumes ``QUEUE``."""
    broker = common.REPO_ROOT / "var" / "broker"
    removed = 0
    for path in [*broker.glob(f"*.{QUEUE}.msg"), *broker.glob(f"control/{QUEUE}.exchange")]:
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _database_checks(database_url: str) -> dict:
    import psycopg

    with psycopg.connect(database_url) as conn:
        overlaps = conn.execute(DOUBLE_BOOKINGS_SQL).fetchone()[0]
        active = conn.execute(
            "SELECT count(*) FROM clinic_appointment WHERE status <> 'cancelled'"
        ).fetchone()[0]
    return {"double_bookings": overlaps, "appointments": active}


def _measure(
    database_url: str,
    *,
    log_file: Path,
    duration: float,
    warmup: float,
    clients: int,
    worker_class: str,
    threads: int,
):
    """Set up the database, serve it and run both loads; the server is stopped afterwards."""
    common.log(f"setting up {DATABASE}")
    ids = common.run_json(
        [sys.executable, "-m", "bench.booking_load", "--setup", "--database-url", database_url],
        env=dict(os.environ, PYTHONPATH=str(common.REPO_ROOT)),
        timeout=300,
    )
    port = _free_port()
    common.log(f"starting gunicorn on 127.0.0.1:{port} ({workers()} {worker_class} workers)")
    server = _start_server(database_url, port, log_file, worker_class=worker_class, threads=threads)
    try:
        ping = [("GET", "/api/v1/ping", None)]

        def pings() -> list:
            return [itertools.cycle(ping) for _ in range(clients)]

        common.log(f"warm-up: {warmup:.0f} s of pings")
        _drive(port=port, plans=pings(), duration=warmup, max_requests=10**7)
        common.log(f"load A: {clients} clients, GET /api/v1/ping for {duration:.0f} s")
        load_a = _drive(
            port=port, plans=pings(), duration=duration, max_requests=10**7, server_pid=server.pid
        )
        common.log(f"  {load_a.rate:,.0f} requests/s")

        starts, availability = _free_starts(port, ids)
        body = next(_booking_plan(0, starts, ids))[2]
        references = {}
        for label, path in REFERENCES.items():
            common.log(f"reference: {clients} clients, POST {path} for {duration:.0f} s")
            references[label] = _drive(
                port=port,
                plans=[itertools.repeat(("POST", path, body)) for _ in range(clients)],
                duration=duration,
                max_requests=10**7,
                server_pid=server.pid,
            )
            common.log(f"  {references[label].rate:,.0f} requests/s")
        common.log(
            f"load B: {clients} clients, POST /api/v1/appointments for {duration:.0f} s "
            f"over {len(starts)} free starts"
        )
        load_b = _drive(
            port=port,
            plans=[_booking_plan(c, starts, ids) for c in range(clients)],
            duration=duration,
            max_requests=10**7,
            server_pid=server.pid,
        )
        common.log(
            f"  {load_b.rate:,.0f} requests/s, {load_b.rate_of(201):,.1f} bookings/s, "
            f"statuses {dict(load_b.statuses)}"
        )
        # The machine's speed drifts over minutes: the ceiling is the mean of A before and after.
        common.log(f"load A again: {clients} clients, GET /api/v1/ping for {duration:.0f} s")
        load_a_after = _drive(
            port=port, plans=pings(), duration=duration, max_requests=10**7, server_pid=server.pid
        )
        common.log(f"  {load_a_after.rate:,.0f} requests/s")
    finally:
        _stop_server(server)
    return ids, starts, availability, (load_a, load_a_after), references, load_b


def run(
    *,
    duration: float = 15.0,
    warmup: float = 3.0,
    clients: int = CLIENTS,
    worker_class: str = WORKER_CLASS,
    threads: int = THREADS_PER_WORKER,
) -> dict:
    """Measure both loads; needs PostgreSQL and the booking API."""
    if not (common.REPO_ROOT / "clinic" / "api" / "views.py").exists():
        raise common.BenchError("the booking API (clinic/api/views.py) is not there yet")
    if common.postgres_version() is None:
        raise common.BenchError(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}")
    cpu_before = common.idle_check()
    started = common.cpu_sample()
    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    log_file = common.VAR_DIR / "gunicorn.log"  # Django's log too, for a look afterwards
    log_file.unlink(missing_ok=True)
    database_url = common.postgres_recreate(DATABASE)
    try:
        ids, starts, availability, (load_a, load_a_after), references, load_b = _measure(
            database_url,
            log_file=log_file,
            duration=duration,
            warmup=warmup,
            clients=clients,
            worker_class=worker_class,
            threads=threads,
        )
        checks = _database_checks(database_url)
        ceiling = (load_a.rate + load_a_after.rate) / 2
    finally:
        common.postgres_drop(DATABASE)
        removed = _remove_queued_tasks()
        common.log(f"removed {removed} queued task files from var/broker")
    return {
        "clients": clients,
        "duration": duration,
        "workers": workers(),
        "worker_class": worker_class,
        "threads": threads,
        "therapists": THERAPISTS,
        "starts": len(starts),
        "availability": availability,
        "load_a": load_a.summary(),
        "load_a_after": load_a_after.summary(),
        "ceiling": ceiling,
        "load_b": load_b.summary(),
        "references": {
            label: {"path": REFERENCES[label], **phase.summary()}
            for label, phase in references.items()
        },
        "ratio": load_b.rate / ceiling if ceiling else 0.0,
        "checks": checks,
        "probe": ids["probe"],
        "cpu_before": cpu_before,
        "cpu_during": common.cpu_between(started, common.cpu_sample()),
    }


# --- Report ---------------------------------------------------------------------------------


def summary(results: dict) -> list[str]:
    a, b, ceiling = results["load_a"], results["load_b"], results["ceiling"]
    others = {k: v for k, v in b["statuses"].items() if k not in ("201", "409")}
    return [
        f"load A (ping): {a['rate']:,.0f} requests/s before, "
        f"{results['load_a_after']['rate']:,.0f} after",
        f"load B (booking): {b['rate']:,.0f} requests/s, "
        f"{b['statuses'].get('201', 0) / b['seconds']:,.1f} bookings/s (201), "
        f"{b['statuses'].get('409', 0):,} x 409, other statuses {others or 'none'}; "
        f"B/A {results['ratio']:.1%}",
        f"double bookings: {results['checks']['double_bookings']}",
        "references, share of A: "
        + "; ".join(
            f"{label} {ref['rate'] / ceiling:.0%}" if ceiling else label
            for label, ref in results["references"].items()
        ),
    ]


def _server_cpu_ms(phase: dict) -> float | None:
    """Milliseconds of web-process CPU per request (server cores ÷ requests per second)."""
    server = phase["cpu"].get("server")
    if not server or not phase["rate"]:
        return None
    return server / phase["rate"] * 1000


def _per_request_ms(phase: dict) -> str:
    ms = _server_cpu_ms(phase)
    return "–" if ms is None else f"{ms:.1f} ms"


def _cpu_text(phase: dict) -> str:
    text = ", ".join(f"{name} {cores:.2f}" for name, cores in phase["cpu"].items())
    if phase.get("steal") is not None:
        text += f"; stolen by the hypervisor {phase['steal']:.0%} of the time"
    return text


def _row(
    label: str, requests: int, rate: float, latency: dict | None, *, ceiling: float
) -> list[str]:
    """A results row: the label, the count, the rate and its share of the ping's rate, then
    p50/p95/p99 latency."""
    cells = [
        label,
        f"{requests:,}",
        f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}",
        f"{rate / ceiling:.1%}" if ceiling else "–",
    ]
    if not latency:
        return [*cells, "–", "–", "–"]
    return [*cells, *(f"{latency[f'p{p}_ms']:,.0f} ms" for p in (50, 95, 99))]


def _reference_paragraph(references: dict, ceiling: float, machine: dict) -> str:
    """What the reference requests say the goal leaves for a booking's own work."""
    share = {label: ref["rate"] / ceiling for label, ref in references.items()} if ceiling else {}
    ms = {label: _server_cpu_ms(ref) for label, ref in references.items()}
    parse, one, fifteen = "body parsed, no database", "1 ORM query", "15 ORM queries"
    if not share or None in (ms.get(parse), ms.get(one), ms.get(fifteen)):
        return ""  # a reference missing, or no per-process CPU figures (no /proc)
    per_query = (ms[fifteen] - ms[one]) / 14
    sql_one, sql = "1 SQL statement without the ORM", "15 SQL statements without the ORM"
    sql_text = ""
    if ms.get(sql_one) is not None and ms.get(sql) is not None:
        sql_text = f""" Without the ORM, one plain SQL statement reaches {share[sql_one]:.0%}
        ({ms[sql_one]:.1f} ms per request) and 15 reach {share[sql]:.0%} ({ms[sql]:.1f} ms)."""
    return report.paragraph(
        f"""**What the references say about the goal.** Parsing the booking's body costs the
        web processes {ms[parse]:.1f} ms of CPU per request ({share[parse]:.0%} of the ping's
        rate). The first ORM query, with the connection's health check, takes that to
        {ms[one]:.1f} ms ({share[one]:.0%}), and each further primary-key lookup adds about
        {per_query:.2f} ms: 15 of them, a booking's count, reach {share[fifteen]:.0%}. A request
        that makes one ORM query and nothing else stays
        {"above" if share[one] >= GOAL_RATIO else "below"} the goal of {GOAL_RATIO:.0%} on this
        {machine["cores"]}-core machine; every booking rule, and every row a booking must read
        or write, comes on top.{sql_text}"""
    )


def markdown(results: dict, machine: dict) -> str:
    a, b, checks = results["load_a"], results["load_b"], results["checks"]
    references = results["references"]
    ceiling = {"ceiling": results["ceiling"]}
    seconds = b["seconds"]
    created = b["statuses"].get("201", 0)
    conflicts = b["statuses"].get("409", 0)
    others = {k: v for k, v in b["statuses"].items() if k not in ("201", "409")}
    ratio = results["ratio"]
    threads = ""
    if results["worker_class"] == "gthread":
        threads = f" of {results['threads']} threads each, keep-alive 30 s"
    out = [
        "## 2. Booking under load\n\n",
        common.machine_markdown(
            machine, cpu_before=results["cpu_before"], cpu_during=results["cpu_during"]
        ),
        "\n",
    ]
    out.append(
        report.paragraph(
            f"""**Goal:** under contention the booking endpoint answers at least
            {GOAL_RATIO:.0%} as many requests per second as the cheapest JSON view (B/A ≥
            {GOAL_RATIO:.0%}), and never double-books."""
        )
    )
    out.append(
        report.paragraph(
            f"""**Method.** A fresh PostgreSQL database `{DATABASE}`, migrated, with one
            location, one 45-minute online-bookable type (15-minute buffer) and
            {results["therapists"]} therapists working Monday–Friday 08:00–17:00; dropped
            afterwards. gunicorn serves `clinic.wsgi` on 127.0.0.1 with {results["workers"]}
            `{results["worker_class"]}` workers (2 × cores + 1){threads}, development settings
            (`bench.server_settings`: Stride's, with the reference views' URLs added) with
            `DEBUG=false`, `API_RATE_READ` and `API_RATE_BOOKING` at 1000000/min,
            `BOOKING_MIN_NOTICE_HOURS=0`, `BOOKING_HORIZON_DAYS=400` and no `REDIS_URL`: the
            tasks each booking queues go to the embedded filesystem broker on a queue nobody
            reads, and the run removes them. Sync workers are
            what `docker-compose.yml` runs; they close the connection after each response, so a
            client reconnects (cheap on loopback); `--worker-class gthread` measures threaded
            workers that keep connections alive. The load generator runs on the same machine:
            {results["clients"]} threads, each with its own `http.client` connection, kept alive
            where the server allows."""
        )
    )
    out.append(
        report.bullets(
            f"""Load A: `GET /api/v1/ping` (no database) for {results["duration"]:.0f} s, after
            a few seconds of warm-up, and again for as long after load B. The machine's speed
            drifts over minutes, so the ceiling that every share below divides by is the mean
            of the two: {results["ceiling"]:,.0f} requests/s.""",
            f"""References, {results["duration"]:.0f} s each, between A and B: the same JSON
            body as a booking, posted to a view of the benchmark's own (`bench/server_urls.py`,
            served by the same processes) that is set up like the booking endpoint (no
            authentication, the booking rate limit, DRF's JSON parser) and answers 409 as a lost
            race does. One only parses the body; the others then fetch the appointment type by
            primary key through the ORM 1, 7 or 15 times (7 and 15: the queries of a 409 and of
            a booking, counted below), or 1 or 15 times as hand-written SQL on Django's cursor.
            They measure what the framework and the ORM cost before any booking rule runs.""",
            f"""Load B: `POST /api/v1/appointments` for {results["duration"]:.0f} s. The
            {results["starts"]:,} free starts of the next {WINDOW_DAYS} days (from `GET
            /api/v1/availability`) are shuffled once and all {results["clients"]} clients walk
            that same list, so every start is asked for by every client: at most one booking
            per free therapist wins and the others get 409. Three clients in four leave the
            therapist out; the fourth names one that availability offered. Every request is a
            new patient.""",
            """B/A compares requests answered per second, whatever their status. Afterwards the
            database is checked for double bookings: pairs of non-cancelled appointments of one
            therapist whose [start, blocked_until) ranges overlap.""",
        )
    )
    out.append("**Results:**\n\n")
    out.append(
        report.table(
            ["Load", "Requests", "Requests/s", "Share of A", "p50", "p95", "p99"],
            "lrrrrrr",
            [
                _row("A: GET /api/v1/ping", a["requests"], a["rate"], a["latency"], **ceiling),
                _row(
                    "A: GET /api/v1/ping, again after B",
                    results["load_a_after"]["requests"],
                    results["load_a_after"]["rate"],
                    results["load_a_after"]["latency"],
                    **ceiling,
                ),
                *(
                    _row(
                        f"Reference: POST {ref['path']}, {label}",
                        ref["requests"],
                        ref["rate"],
                        ref["latency"],
                        **ceiling,
                    )
                    for label, ref in references.items()
                ),
                _row(
                    "B: POST /api/v1/appointments",
                    b["requests"],
                    b["rate"],
                    b["latency"],
                    **ceiling,
                ),
                _row(
                    "B: of which 201 Created",
                    created,
                    created / seconds,
                    b["latency_by_status"].get("201"),
                    **ceiling,
                ),
                _row(
                    "B: of which 409 Conflict",
                    conflicts,
                    conflicts / seconds,
                    b["latency_by_status"].get("409"),
                    **ceiling,
                ),
            ],
        )
    )
    met = "met" if ratio >= GOAL_RATIO else "NOT met"
    out.append(
        report.bullets(
            f"""B/A, booking requests per second ÷ the mean of the two ping rates: **{ratio:.1%}**
            (goal ≥ {GOAL_RATIO:.0%}: {met}).""",
            f"""Bookings made: {created:,} ({created / seconds:,.1f} per second); 409:
            {conflicts:,}; other statuses: {others or "none"}.""",
            f"""Double bookings in the database afterwards: **{checks["double_bookings"]}**.
            Active appointments in the database: {checks["appointments"]:,}, for {created:,}
            201 responses.""",
            f"""Where the {machine["cores"]} cores went, on average over each load (cores busy,
            from /proc): A — {_cpu_text(a)}; B — {_cpu_text(b)}. The load
            generator shares the machine with the server, so the rates understate a server with
            cores of its own. Kernel threads are mostly the disk writes the run causes; "other
            processes" is work that was not part of the benchmark.""",
        )
    )
    out.append(
        report.paragraph(
            f"""**Where the gap between A and B comes from.** The web processes spent
            {_per_request_ms(a)} of CPU per ping and {_per_request_ms(b)} per booking request
            (server cores ÷ requests per second), while PostgreSQL kept
            {b["cpu"].get("postgres", 0):.2f} cores busy during B. Queries per request, counted
            on the same
            database before the load with Django's test client and `CaptureQueriesContext` (one
            request each):"""
        )
    )
    out.append(
        report.table(
            ["Request", "Status", "Queries"],
            "lrr",
            [[label, str(r["status"]), str(r["queries"])] for label, r in results["probe"].items()],
        )
    )
    if b["cpu"].get("server") and b["rate"] and sum(a["cpu"].values()):
        per_request = b["cpu"]["server"] / b["rate"]  # seconds of web-process CPU per request
        needed = GOAL_RATIO * results["ceiling"]
        # The web processes' share of the machine under load A, spread over the goal's rate.
        web_cores = machine["cores"] * a["cpu"]["server"] / sum(a["cpu"].values())
        budget = web_cores / needed
        out.append(
            report.paragraph(
                f"""The goal asks for {needed:,.0f} booking requests per second. At
                {per_request * 1000:.1f} ms of web-process CPU each, that is
                {needed * per_request:.1f} cores for the web processes alone, on a
                {machine["cores"]}-core machine that also runs PostgreSQL and the load generator.
                With the web processes' share of the machine under load A ({web_cores:.1f}
                cores), a booking request could cost about {budget * 1000:.1f} ms of CPU; a ping
                costs {_per_request_ms(a)}."""
            )
        )
    out.append(_reference_paragraph(references, results["ceiling"], machine))
    out.append(
        report.paragraph(
            f"""One 28-day availability request for all {results["therapists"]} therapists
            ({results["availability"]["availability_28_days_slots"]:,} slots) took
            {results["availability"]["availability_28_days_ms"]:,.0f} ms over HTTP before the
            load."""
        )
    )
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="Set up the load benchmark's database.")
    parser.add_argument("--setup", action="store_true", help="run as the set-up child")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    if not args.setup:
        parser.error("use `python -m bench load` for the whole benchmark")
    print(json.dumps(setup(args.database_url)))


if __name__ == "__main__":
    main()
