"""Benchmark 7: booking side by side with the peer, over HTTP, in one run.

Both sides are served the same way, one after the other: a fresh PostgreSQL database on the same
server, gunicorn with the same worker count and class, and the same load generator as
``bench/booking_load.py`` (64 client threads, ``http.client``, the same duration) walking the same
shuffled list of free starts, so that every start is asked for by every client.

- Stride: ``POST /api/v1/appointments``, exactly as load B of the booking load benchmark (three
  clients in four leave the therapist out). One request is one booking attempt.
- django-appointment 3.12.0 (``bench/peer/site_settings.py``: the package's own URLs, templates,
  sessions and CSRF, served from ``var/bench/peer-venv``): what a new client's browser does on its
  public pages. A fresh cookie jar per booking, then

  1. ``GET /appointment/request/<service>/`` — the booking page (CSRF token);
  2. ``POST /appointment/request-submit/`` — date, start, end, service and staff member, as the
     page's script posts them; the package saves an ``AppointmentRequest`` and redirects;
  3. ``GET`` and ``POST /appointment/client-info/<id>/<id_request>/`` — name, email, phone:
     the package creates the client's account, mails a verification code and redirects;
  4. ``GET`` and ``POST /appointment/verification-code/<id>/<id_request>/`` — the code from the
     email; the package signs the client in, creates the ``Appointment`` and redirects;
  5. ``GET /appointment/thank-you/<id>/``.

  The code is read from the package's ``EmailVerificationCode`` table (the client reads it from
  the email). A booking counts once step 4 redirects to the thank-you page. The page offers no
  "any staff member": each client names one of the staff members free at that start.

Afterwards each database is checked for double bookings: pairs of appointments of one staff
member whose times overlap.
"""

import collections
import datetime
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import availability, booking_load, common, plan, report
from bench.peer.browser import Browser

DEFAULT_PREFIX = "stride_bench_booking"
PREFIX = os.environ.get("BENCH_PEER_BOOKING_DATABASE_PREFIX", DEFAULT_PREFIX)
GOAL_RATIO = 3.0
# Seconds of booking load before the counted window, and the window, on both sides. A peer
# booking takes seven requests: under load one round of them over all clients lasts half a
# minute, so the window spans a few rounds, not the first round's burst of bookings.
RAMP = 30.0
WINDOW = 60.0
VISIT = datetime.timedelta(minutes=45)

PEER_DOUBLE_BOOKINGS_SQL = """
SELECT count(*)
FROM appointment_appointment a
JOIN appointment_appointmentrequest ra ON ra.id = a.appointment_request_id
JOIN appointment_appointment b ON a.id < b.id
JOIN appointment_appointmentrequest rb ON rb.id = b.appointment_request_id
WHERE ra.staff_member_id = rb.staff_member_id
  AND ra.date = rb.date
  AND ra.start_time < rb.end_time
  AND rb.start_time < ra.end_time
"""
# Appointments that overlap no earlier one of the same staff member: what a clinic could keep.
PEER_FIRST_SQL = """
SELECT count(*)
FROM appointment_appointment a
JOIN appointment_appointmentrequest ra ON ra.id = a.appointment_request_id
WHERE NOT EXISTS (
  SELECT 1 FROM appointment_appointment b
  JOIN appointment_appointmentrequest rb ON rb.id = b.appointment_request_id
  WHERE b.id < a.id AND rb.staff_member_id = ra.staff_member_id AND rb.date = ra.date
    AND rb.start_time < ra.end_time AND ra.start_time < rb.end_time
)
"""
PEER_CODE_SQL = """
SELECT c.code FROM appointment_emailverificationcode c JOIN auth_user u ON u.id = c.user_id
WHERE u.email = %s ORDER BY c.id DESC LIMIT 1
"""
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STEPS = ("booking page", "request", "client page", "client data", "code page", "code", "thank-you")


# --- The peer's side: a browser without JavaScript ------------------------------------------


class _TimeUp(Exception):
    """The load's time is over: the client stops before its next request."""


def _peer_starts(starts: list, stride_therapists: list[int], peer_staff: list[int]) -> list:
    """Stride's free starts as the peer's page posts them: local date, start, end, staff ids."""
    zone = ZoneInfo(plan.TIME_ZONE)
    out = []
    for start, free in starts:
        local = datetime.datetime.fromisoformat(start).astimezone(zone)
        staff = [peer_staff[stride_therapists.index(t)] for t in free]
        end = local + VISIT
        out.append((local.date().isoformat(), f"{local:%H:%M}", f"{end:%H:%M}", staff))
    return out


def _peer_client(client: int, port: int, database_url: str, starts, service: int, result, stop):
    """Book through the peer's pages until ``stop()``; adds counts and latencies to ``result``."""
    import psycopg

    browser = Browser(port)
    db = psycopg.connect(database_url, autocommit=True)
    failed: collections.Counter = collections.Counter()
    answers: list[tuple[float, int, float]] = []  # (answered at, status, seconds taken)
    booked: list[float] = []  # when each booking was made

    def step(method, path, form=None, expect=200):
        if stop():
            raise _TimeUp
        started = time.perf_counter()
        status, location, content = browser.call(method, path, form)
        answered = time.perf_counter()
        answers.append((answered, status, answered - started))
        return status == expect, location, content

    def token(content: bytes) -> str:
        found = TOKEN.search(content)
        return found.group(1).decode() if found else ""

    try:
        for n, (day, start, end, free) in enumerate(starts):
            browser.forget()
            email = f"peer{client:02d}-{n}@bench.example"
            ok, _, page = step("GET", f"/appointment/request/{service}/")
            if not ok:
                failed[STEPS[0]] += 1
                continue
            form = {
                "csrfmiddlewaretoken": token(page),
                "staff_member": free[client % len(free)],
                "appointment_request_id": "",
                "date": day,
                "start_time": start,
                "end_time": end,
                "service": service,
                "reason_for_rescheduling": "",
            }
            ok, client_page, _ = step("POST", "/appointment/request-submit/", form, expect=302)
            if not ok:
                failed[STEPS[1]] += 1
                continue
            ok, _, page = step("GET", client_page)
            if not ok:
                failed[STEPS[2]] += 1
                continue
            form = {
                "csrfmiddlewaretoken": token(page),
                "name": f"Peer Client{client:02d}",
                "email": email,
                "phone_0": "US",
                "phone_1": "6125550142",
                "address": "1 Bench Street, Minneapolis",
                "additional_info": "",
                "payment_type": "full",
            }
            ok, code_page, _ = step("POST", client_page, form, expect=302)
            if not ok or "verification-code" not in (code_page or ""):
                failed[STEPS[3]] += 1
                continue
            row = db.execute(PEER_CODE_SQL, (email,)).fetchone()
            ok, _, page = step("GET", code_page)
            if not ok or row is None:
                failed[STEPS[4]] += 1
                continue
            form = {"csrfmiddlewaretoken": token(page), "code": row[0]}
            ok, thanks, _ = step("POST", code_page, form, expect=302)
            if not ok or "thank-you" not in (thanks or ""):
                failed[STEPS[5]] += 1
                continue
            booked.append(time.perf_counter())
            ok, _, _ = step("GET", thanks)
            if not ok:
                failed[STEPS[6]] += 1
    except _TimeUp:
        pass  # the flow under way when the time ran out is left unfinished, as a lost visitor
    finally:
        browser.close()
        db.close()
        with result["lock"]:
            result["failed"].update(failed)
            result["answers"].extend(answers)
            result["booked"].extend(booked)


def _drive_peer(
    *, port, database_url, starts, service, clients, duration, ramp, server_pid
) -> dict:
    """The peer's load: one thread per client for ``ramp`` + ``duration`` seconds, counted over
    the last ``duration`` (steady state: one booking takes several requests, so the first
    bookings only arrive after a round of them); CPU sampled over the same window."""
    result = {
        "lock": threading.Lock(),
        "failed": collections.Counter(),
        "answers": [],
        "booked": [],
    }
    deadline = [float("inf")]

    def stop() -> bool:
        return time.perf_counter() >= deadline[0]

    threads = [
        threading.Thread(
            target=_peer_client,
            args=(c, port, database_url, starts, service, result, stop),
            daemon=True,
        )
        for c in range(clients)
    ]
    launched = time.perf_counter()
    deadline[0] = launched + ramp + duration
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, launched + ramp - time.perf_counter()))
    cpu_before = booking_load._cpu_seconds(server_pid)
    machine_before = common.cpu_sample()
    started = time.perf_counter()
    time.sleep(max(0.0, deadline[0] - time.perf_counter()))
    seconds = time.perf_counter() - started
    cpu_after = booking_load._cpu_seconds(server_pid)
    machine = common.cpu_between(machine_before, common.cpu_sample())
    for thread in threads:
        thread.join()
    cpu = {
        name: max(0.0, cpu_after[name] - cpu_before[name]) / seconds
        for name in ("server", "postgres", "load generator", "kernel threads")
    }
    if machine:
        cpu["other processes"] = max(0.0, machine["busy_cores"] - sum(cpu.values()))
    window = [a for a in result["answers"] if started <= a[0] <= deadline[0]]
    latencies = [seconds_taken for _, _, seconds_taken in window]
    statuses = collections.Counter(status for _, status, _ in window)
    bookings = sum(1 for at in result["booked"] if started <= at <= deadline[0])
    return {
        "ramp": ramp,
        "bookings_before_window": sum(1 for at in result["booked"] if at < started),
        "seconds": seconds,
        "cpu": cpu,
        "steal": machine["steal"] if machine else None,
        "requests": len(latencies),
        "rate": len(latencies) / seconds,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "failed": dict(result["failed"]),
        "bookings": bookings,
        "bookings_rate": bookings / seconds,
        "latency_p50_ms": common.percentile(latencies, 50) * 1000 if latencies else None,
    }


def _start_peer_server(python: Path, database_url: str, port: int, log_file: Path, *, service,
                       worker_class: str, threads: int) -> subprocess.Popen:  # fmt: skip
    args = [
        str(python.with_name("gunicorn")),
        "bench.peer.site_wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={booking_load.workers()}",
        f"--worker-class={worker_class}",
        f"--threads={threads if worker_class == 'gthread' else 1}",
        "--keep-alive=30",
        "--backlog=2048",
        "--log-level=warning",
        "--error-logfile=-",
    ]
    env = availability.peer_env(database_url)
    env["DJANGO_SETTINGS_MODULE"] = "bench.peer.site_settings"
    with log_file.open("ab") as log:
        server = subprocess.Popen(
            args, env=env, cwd=common.REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise common.BenchError(f"the peer's gunicorn exited with {server.returncode}")
        status, _, _ = Browser(port).call("GET", f"/appointment/request/{service}/")
        if status == 200:
            return server
        time.sleep(0.2)
    booking_load._stop_server(server)
    raise common.BenchError("the peer's gunicorn did not answer its booking page within 30 s")


def _ensure_peer_gunicorn(python: Path) -> None:
    """The same gunicorn release as the project's, in the peer's virtualenv."""
    from importlib.metadata import version

    wanted = version("gunicorn")
    probe = subprocess.run(
        [str(python), "-c", "import gunicorn; print(gunicorn.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.stdout.strip() != wanted:
        common.log(f"installing gunicorn=={wanted} into the peer's virtualenv")
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"gunicorn=={wanted}"], check=True)


# --- The run --------------------------------------------------------------------------------


def _stride_side(database_url, log_file, *, duration, warmup, ramp, clients, worker_class, threads):
    common.log(f"Stride: setting up {PREFIX}_stride")
    ids = common.run_json(
        [sys.executable, "-m", "bench.booking_load", "--setup", "--database-url", database_url],
        env=dict(os.environ, PYTHONPATH=str(common.REPO_ROOT)),
        timeout=300,
    )
    port = booking_load._free_port()
    server = booking_load._start_server(
        database_url, port, log_file, worker_class=worker_class, threads=threads
    )
    try:
        ping = [("GET", "/api/v1/ping", None)]
        booking_load._drive(
            port=port,
            plans=[iter(ping * 10**6) for _ in range(clients)],
            duration=warmup,
            max_requests=10**7,
        )
        starts, _ = booking_load._free_starts(port, ids)
        common.log(
            f"Stride: {clients} clients, POST /api/v1/appointments for {ramp:.0f} s, "
            f"then {duration:.0f} s counted"
        )
        # The same iterators in both calls: the counted phase goes on where the ramp stopped.
        plans = [booking_load._booking_plan(c, starts, ids) for c in range(clients)]
        booking_load._drive(port=port, plans=plans, duration=ramp, max_requests=10**7)
        phase = booking_load._drive(
            port=port,
            plans=plans,
            duration=duration,
            max_requests=10**7,
            server_pid=server.pid,
        )
    finally:
        booking_load._stop_server(server)
    side = phase.summary()
    side["bookings"] = phase.statuses[201]
    side["bookings_rate"] = phase.rate_of(201)
    side["checks"] = booking_load._database_checks(database_url)
    common.log(f"  {side['bookings_rate']:,.1f} bookings/s, {side['checks']}")
    return ids, starts, side


def _peer_side(python, database_url, log_file, starts, stride_ids, *, duration, warmup, ramp,
               clients, worker_class, threads):  # fmt: skip
    import psycopg

    common.log(f"peer: setting up {PREFIX}_peer")
    args = [str(python), "-m", "bench.peer.booking_setup"]
    args += ["--therapists", str(len(stride_ids["therapists"]))]
    env = availability.peer_env(database_url)
    env["DJANGO_SETTINGS_MODULE"] = "bench.peer.site_settings"
    ids = common.run_json(args, env=env, timeout=300)
    port = booking_load._free_port()
    server = _start_peer_server(
        python,
        database_url,
        port,
        log_file,
        service=ids["service"],
        worker_class=worker_class,
        threads=threads,
    )
    page = f"/appointment/request/{ids['service']}/"
    try:
        booking_load._drive(
            port=port,
            plans=[iter([("GET", page, None)] * 10**6) for _ in range(clients)],
            duration=warmup,
            max_requests=10**7,
        )
        peer_starts = _peer_starts(starts, stride_ids["therapists"], ids["staff"])
        common.log(
            f"peer: {clients} clients through the booking pages for {ramp:.0f} s, "
            f"then {duration:.0f} s counted"
        )
        side = _drive_peer(
            port=port,
            database_url=database_url,
            starts=peer_starts,
            service=ids["service"],
            clients=clients,
            duration=duration,
            ramp=ramp,
            server_pid=server.pid,
        )
    finally:
        booking_load._stop_server(server)
    with psycopg.connect(database_url) as conn:
        side["checks"] = {
            "double_bookings": conn.execute(PEER_DOUBLE_BOOKINGS_SQL).fetchone()[0],
            "appointments": conn.execute("SELECT count(*) FROM appointment_appointment").fetchone()[
                0
            ],
            "first_at_their_time": conn.execute(PEER_FIRST_SQL).fetchone()[0],
            "requests_saved": conn.execute(
                "SELECT count(*) FROM appointment_appointmentrequest"
            ).fetchone()[0],
        }
    common.log(f"  {side['bookings_rate']:,.1f} bookings/s, {side['checks']}")
    return side


def run(
    *,
    duration: float = WINDOW,
    warmup: float = 3.0,
    ramp: float = RAMP,
    clients: int = booking_load.CLIENTS,
    worker_class: str = booking_load.WORKER_CLASS,
    threads: int = booking_load.THREADS_PER_WORKER,
) -> dict:
    """Both sides' bookings per second and double bookings; needs PostgreSQL."""
    if common.postgres_version() is None:
        raise common.BenchError(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}")
    python = availability.ensure_peer_venv()
    if not availability.peer_has_psycopg(python):
        raise common.BenchError("the peer's virtualenv has no PostgreSQL driver")
    _ensure_peer_gunicorn(python)
    load_before = common.load_average()
    cpu_before = common.idle_check()
    started = common.cpu_sample()
    common.VAR_DIR.mkdir(parents=True, exist_ok=True)
    log_file = common.VAR_DIR / "gunicorn-peer-booking.log"
    log_file.unlink(missing_ok=True)
    options = dict(
        duration=duration,
        warmup=warmup,
        ramp=ramp,
        clients=clients,
        worker_class=worker_class,
        threads=threads,
    )
    stride_db, peer_db = f"{PREFIX}_stride", f"{PREFIX}_peer"
    try:
        ids, starts, stride = _stride_side(common.postgres_recreate(stride_db), log_file, **options)
        peer = _peer_side(
            python, common.postgres_recreate(peer_db), log_file, starts, ids, **options
        )
    finally:
        common.postgres_drop(stride_db)
        common.postgres_drop(peer_db)
        booking_load._remove_queued_tasks()
    return {
        **options,
        "workers": booking_load.workers(),
        "therapists": len(ids["therapists"]),
        "starts": len(starts),
        "peer_version": availability.PEER_VERSION,
        "stride": stride,
        "peer": peer,
        "ratio": stride["bookings_rate"] / peer["bookings_rate"] if peer["bookings_rate"] else None,
        "load_before": load_before,
        "load_after": common.load_average(),
        "cpu_before": cpu_before,
        "cpu_during": common.cpu_between(started, common.cpu_sample()),
    }


# --- Report ---------------------------------------------------------------------------------


def summary(results: dict) -> list[str]:
    stride, peer, ratio = results["stride"], results["peer"], results["ratio"]
    return [
        f"booking vs the peer: Stride {stride['bookings_rate']:,.1f} bookings/s "
        f"({stride['checks']['double_bookings']} double bookings), django-appointment "
        f"{peer['bookings_rate']:,.1f} bookings/s ({peer['checks']['double_bookings']} double "
        f"bookings); ratio {ratio:.1f}x"
        if ratio
        else "ratio –",
    ]


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _kept_rate(peer: dict) -> float:
    checks = peer["checks"]
    if not checks["appointments"]:
        return 0.0
    return peer["bookings_rate"] * checks["first_at_their_time"] / checks["appointments"]


def _ratio_text(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "–"


def _what_it_takes(stride: dict, peer: dict) -> str:
    """The goal in web-process CPU per request, from this run's own figures."""
    if not (stride["cpu_ms_per_booking"] and peer["cpu_ms_per_booking"]):
        return "No per-process CPU figures (no /proc): no break-down."
    stride_request = stride["cpu"]["server"] / stride["rate"] * 1000
    peer_request = peer["cpu"]["server"] / peer["rate"] * 1000
    per_booking = stride["requests"] / stride["bookings"] if stride["bookings"] else 0.0
    needed = peer["cpu_ms_per_booking"] / GOAL_RATIO / per_booking if per_booking else 0.0
    return f"""Where the ratio comes from: a Stride request cost the web processes
        {stride_request:.1f} ms of CPU and a peer request {peer_request:.1f} ms. The peer
        needs {peer["requests"] / max(peer["bookings"], 1):.1f} requests per booking and
        never refuses one; Stride needs {per_booking:.1f}, because every start is asked for
        by all clients and the losers get a 409. With the machine's cores shared alike, the
        goal of {GOAL_RATIO:.0f}× asks for at most {needed:.1f} ms per Stride request (409s
        included) at this contention, where it cost {stride_request:.1f} ms: the booking
        request's own CPU cost is what decides it."""


def _cpu_text(side: dict) -> str:
    text = ", ".join(f"{name} {cores:.2f}" for name, cores in side["cpu"].items())
    if side.get("steal") is not None:
        text += f"; stolen {side['steal']:.0%}"
    return text


def markdown(results: dict, machine: dict) -> str:
    stride, peer, ratio = results["stride"], results["peer"], results["ratio"]
    sc, pc = stride["checks"], peer["checks"]
    threads = ""
    if results["worker_class"] == "gthread":
        threads = f" of {results['threads']} threads each"
    met = ratio is not None and ratio >= GOAL_RATIO and sc["double_bookings"] == 0
    out = [
        "## 8. Booking side by side with the peer\n\n",
        common.machine_markdown(
            machine,
            load_before=results["load_before"],
            cpu_before=results["cpu_before"],
            cpu_during=results["cpu_during"],
        ),
        f"- 1-minute load average when the run ended: {results['load_after']:.2f}\n\n",
        report.paragraph(
            f"""**Goal:** Stride makes at least {GOAL_RATIO:.0f}× as many bookings per second as
            django-appointment {results["peer_version"]} booked through its own pages, with the
            same load generator against the same gunicorn and PostgreSQL in the same run, and
            never double-books."""
        ),
        report.paragraph(
            f"""**Method.** One after the other, each side gets a fresh PostgreSQL database on the
            same server (`{DEFAULT_PREFIX}_stride`, `{DEFAULT_PREFIX}_peer` unless
            `BENCH_PEER_BOOKING_DATABASE_PREFIX` renames them; dropped afterwards) with one
            45-minute visit type and {results["therapists"]} therapists working Monday–Friday
            08:00–17:00, and is served by gunicorn with {results["workers"]}
            `{results["worker_class"]}` workers{threads}, `DEBUG=false`. After
            {results["warmup"]:.0f} s of warm-up with a page that does not book,
            {results["clients"]} client threads (the load generator of section 2,
            `http.client`) book for {results["ramp"]:.0f} s and then for
            {results["duration"]:.0f} s that are counted: bookings made and requests answered
            within that window, and the cores used over it. The uncounted start matters for
            the peer, whose booking takes seven requests: under this load its first bookings
            only arrive after the clients' first round of them. The clients walk the same
            shuffled list of the {results["starts"]:,} free starts of the next
            {booking_load.WINDOW_DAYS} days (Stride's availability), so every start is asked
            for by every client; a client stops before its next request once the time is
            up."""
        ),
        report.bullets(
            """Stride: `POST /api/v1/appointments` with a new patient each time, as in section
            2 (three clients in four leave the therapist out; the fourth names one that
            availability offered). A booking is a 201; a start already taken is a 409.""",
            """django-appointment: the package's own pages as a browser without JavaScript
            uses them, with a new visitor (fresh cookies, a new email) per booking: `GET` the
            booking page `/appointment/request/<service>/` (CSRF token); `POST
            /appointment/request-submit/` with the date, start, end, service and staff member,
            as the page's script posts them; `GET` and `POST` the client-information page
            (name, email, phone); the package then creates the visitor's account and mails a
            verification code, which the load generator reads from the package's
            `EmailVerificationCode` table as a visitor reads it from the email; `GET` and `POST`
            the verification page, after which the package signs the visitor in and creates
            the `Appointment`; then `GET` the thank-you page. Seven requests per booking. The
            package has no anonymous booking: a new client must prove the email address, so
            the verification step is part of the flow. The page offers no "any staff member",
            so each client names one of the staff members free at that start. The site
            (`bench/peer/site_settings.py`, `site_urls.py`) adds what the package needs:
            sessions, authentication, messages and CSRF middleware and its templates; database
            connections kept open for 60 s with health checks, as Stride's settings do; mail
            stays in the worker's memory; the service is free, so there is no payment step;
            served from `var/bench/peer-venv` with the same gunicorn release as Stride.""",
            """Double bookings: pairs of live appointments of one therapist (Stride: not
            cancelled, overlapping [start, blocked_until)) or of one staff member (the peer:
            same date, overlapping start–end times of their appointment requests).""",
        ),
        "**Results:**\n\n",
    ]
    rows = []
    for side in (stride, peer):
        server = side["cpu"].get("server")
        side["cpu_ms_per_booking"] = (
            server / side["bookings_rate"] * 1000 if server and side["bookings_rate"] else None
        )
    for label, side, per in (("Stride", stride, 1), ("django-appointment", peer, 7)):
        checks = side["checks"]
        p50 = side["latency"]["p50_ms"] if "latency" in side else side["latency_p50_ms"]
        rows.append(
            [
                label,
                f"{side['bookings']:,}",
                f"**{side['bookings_rate']:,.1f}**",
                f"{side['requests']:,} ({per} per booking)",
                f"{side['rate']:,.0f}",
                f"{p50:,.0f} ms" if p50 is not None else "–",
                f"**{checks['double_bookings']:,}**",
                f"{checks['appointments']:,}",
                f"{side['cpu_ms_per_booking']:,.0f} ms" if side["cpu_ms_per_booking"] else "–",
            ]
        )
    out.append(
        report.table(
            [
                "Side",
                "Bookings",
                "Bookings/s",
                "HTTP requests",
                "Requests/s",
                "p50 per request",
                "Double bookings",
                "Appointments in the database",
                "Web CPU per booking",
            ],
            "lrrrrrrrr",
            rows,
        )
    )
    verdict = "met" if met else "NOT met"
    others = {k: v for k, v in stride["statuses"].items() if k not in ("201", "409")}
    out.append(
        report.bullets(
            f"""Stride ÷ django-appointment, bookings per second: **{ratio:.1f}×** (goal ≥
            {GOAL_RATIO:.0f}× with 0 double bookings: {verdict})."""
            if ratio
            else "The peer made no booking: no ratio.",
            f"""The machine was shared with other work throughout (see "other processes"
            below and the load averages above), so the servers got only part of the two cores.
            Web-process CPU per booking (server cores ÷ bookings per second) depends less on
            that share: Stride {_ms(stride["cpu_ms_per_booking"])}, django-appointment
            {_ms(peer["cpu_ms_per_booking"])}.""",
            f"""Stride answered {stride["statuses"].get("201", 0):,} × 201 and
            {stride["statuses"].get("409", 0):,} × 409 (the start was taken); other statuses:
            {others or "none"}. Its double bookings: {sc["double_bookings"]}.""",
            f"""django-appointment: HTTP statuses in the counted window {peer["statuses"]};
            bookings made before it {peer["bookings_before_window"]:,}; flows that broke off
            before booking, by step: {peer["failed"] or "none"}. Over the whole run it
            saved {pc["requests_saved"]:,} appointment requests and {pc["appointments"]:,}
            appointments, and {pc["double_bookings"]:,} pairs of them overlap for one staff
            member: nothing in its flow checks that the staff member is still free when the
            request is posted, so every client that asks for a start gets it. Only
            {pc["first_at_their_time"]:,} of its appointments overlap no earlier one; at that
            share its bookings a clinic could keep came at
            {_kept_rate(peer):,.1f} per second, and Stride made
            {_ratio_text(stride["bookings_rate"], _kept_rate(peer))} as many.""",
            _what_it_takes(stride, peer),
            f"""Cores busy during each load (from /proc): Stride — {_cpu_text(stride)};
            django-appointment — {_cpu_text(peer)}. The load generator shares the machine;
            "other processes" is work that was not part of the benchmark.""",
        )
    )
    return "".join(out)
