"""``python -m bench scale``: the front desk's pages on a chain of 50 clinics against a small
clinic, in the same run.

Builds two PostgreSQL databases with ``bench.scale_data`` (set-based SQL after the migrations),
then measures each page in a child process per database with Django's test client: one counted
warm-up request, then timed requests; the median is reported with the query count. Also the
reminder sweep's cost per due reminder (in-process, the file SMS backend) and the booking's
web-process CPU against a no-database ping. The databases are dropped afterwards unless
``--keep-scale-databases`` is given (or ``BENCH_SCALE_KEEP=1``). ``BENCH_SCALE_DATABASE_PREFIX``
names them (default ``stride_bench_scale``: ``…_small`` and ``…_chain``).
"""

import datetime
import json
import os
import statistics
import sys
import tempfile
import time

from bench import common, report, scale_data

PREFIX = os.environ.get("BENCH_SCALE_DATABASE_PREFIX", "stride_bench_scale")
DATABASES = {"small": f"{PREFIX}_small", "chain": f"{PREFIX}_chain"}
GOAL_RATIO = 2.0
BOOKING_CPU_GOAL = 7.0
RUNS = 7
BOOKINGS = 40
PINGS = 200
SWEEP_RUNS = 3
HOUR = datetime.timedelta(hours=1)
SURNAME = scale_data.SEARCHED_SURNAME

ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "testserver",
    "API_RATE_READ": "1000000/min",
    "API_RATE_BOOKING": "1000000/min",
    "BOOKING_MIN_NOTICE_HOURS": "0",
    "BOOKING_HORIZON_DAYS": "400",
    "CELERY_TASK_DEFAULT_QUEUE": "stride-bench-scale",
    "SMS_BACKEND": "clinic.sms.backends.file.SmsBackend",
    "REMINDER_LOCAL_HOUR": "0",
    "SMS_QUIET_START_HOUR": "24",
    "SMS_QUIET_END_HOUR": "0",
    "LOG_LEVEL": "ERROR",
}

# (key, label, who, path); {phone} and {today} are filled in by the child.
PAGES = [
    ("texts", "Admin: text messages list", "admin", "/admin/clinic/message/"),
    (
        "texts_phone",
        "Admin: text messages, search by phone",
        "admin",
        "/admin/clinic/message/?q={phone}",
    ),
    (
        "appointments_name",
        "Admin: appointments, search by last name",
        "admin",
        f"/admin/clinic/appointment/?q={SURNAME}",
    ),
    (
        "appointments_phone",
        "Admin: appointments, search by phone",
        "admin",
        "/admin/clinic/appointment/?q={phone}",
    ),
    (
        "appointments_all",
        "Admin: appointments, all days",
        "admin",
        "/admin/clinic/appointment/?day=all",
    ),
    (
        "patients_name",
        "Admin: patients, search by last name",
        "admin",
        f"/admin/clinic/patient/?q={SURNAME}",
    ),
    ("plans", "Therapist: care plans list (`/plans/`)", "therapist", "/plans/"),
    ("intakes", "Front desk: intakes to review", "desk", "/intake/review/"),
    (
        "availability",
        "API: availability, one location, 28 days",
        None,
        "/api/v1/availability?appointment_type=1&location=1&start={today}&end={end}",
    ),
    (
        "availability_one",
        "API: availability, one therapist, 28 days",
        None,
        "/api/v1/availability?appointment_type=1&location=1&therapist=1&start={today}&end={end}",
    ),
    ("schedule", "Therapist: my schedule", "therapist", "/workspace/schedule/"),
]


# --- Child: one database --------------------------------------------------------------------


def _timed(call, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = call()
    queries = len(captured.captured_queries)
    if status not in (200, 201):
        raise RuntimeError(f"status {status}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times, queries


def _pages(runs: int) -> dict:
    from django.test import Client

    from clinic.models import Patient, Therapist, User

    users = {
        "admin": User.objects.get(email=scale_data.ADMIN_EMAIL),
        "desk": User.objects.get(email=scale_data.DESK_EMAIL),
        "therapist": Therapist.objects.get(pk=1).user,
    }
    phone = Patient.objects.get(pk=Patient.objects.count() // 2).phone.as_national
    today = datetime.date.today()
    fill = {
        "phone": phone.replace(" ", "+"),
        "today": today + datetime.timedelta(days=1),
        "end": today + datetime.timedelta(days=28),
    }
    results = {}
    for key, _, who, path in PAGES:
        client = Client()
        if who:
            client.force_login(users[who])
        url = path.format(**fill)
        times, queries = _timed(lambda url=url, client=client: client.get(url).status_code, runs)
        results[key] = {"times_ms": [t * 1000 for t in times], "queries": queries}
        common.log(f"  {key}: {statistics.median(times) * 1000:.1f} ms, {queries} queries")
    return results


def _booking() -> dict:
    """CPU of this process per booking request ("any therapist") and per ping."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    first = datetime.date.today() + datetime.timedelta(days=1)
    slots = client.get(
        f"/api/v1/availability?appointment_type=1&location=1&start={first}"
        f"&end={first + datetime.timedelta(days=27)}"
    ).json()["slots"]
    # Starts an hour apart or more, so that each booking finds its start still free.
    starts: list[str] = []
    for start in sorted({slot["start"] for slot in slots}):
        moment = datetime.datetime.fromisoformat(start)
        if not starts or moment - datetime.datetime.fromisoformat(starts[-1]) >= HOUR:
            starts.append(start)
    starts = starts[: BOOKINGS + 1]

    def body(n: int, start: str) -> str:
        return json.dumps(
            {
                "appointment_type": 1,
                "location": 1,
                "start": start,
                "patient": {
                    "first_name": "Scale",
                    "last_name": f"Booker{n}",
                    "email": f"booker{n}-{time.time_ns()}@bench.example",
                    "phone": "",
                    "date_of_birth": "1988-04-02",
                    "sms_consent": False,
                },
            }
        )

    path = "/api/v1/appointments"
    client.get("/api/v1/ping")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, body(0, starts[0]), content_type="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"booking answered {response.status_code}: {response.content[:200]!r}")
    queries = len(captured.captured_queries)
    statuses: dict[int, int] = {}
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for n, start in enumerate(starts[1:], start=1):
        status = client.post(path, body(n, start), content_type="application/json").status_code
        statuses[status] = statuses.get(status, 0) + 1
    booked = len(starts) - 1
    booking_cpu = (time.process_time() - cpu_started) / booked
    booking_wall = (time.perf_counter() - wall_started) / booked
    cpu_started = time.process_time()
    for _ in range(PINGS):
        client.get("/api/v1/ping")
    ping_cpu = (time.process_time() - cpu_started) / PINGS
    return {
        "queries": queries,
        "requests": booked,
        "statuses": {str(k): v for k, v in statuses.items()},
        "booking_cpu_ms": booking_cpu * 1000,
        "booking_wall_ms": booking_wall * 1000,
        "ping_cpu_ms": ping_cpu * 1000,
        "ratio": booking_cpu / ping_cpu,
    }


def _sweep() -> dict:
    """The reminder sweep in this process: queue the due reminders and send them (file backend).

    Repeated after deleting what a run queued; the median run counts.
    """
    from clinic import tasks
    from clinic.models import Message
    from clinic.services import messaging

    runs = []
    for _ in range(SWEEP_RUNS):
        started_at = datetime.datetime.now(datetime.UTC)
        started = time.perf_counter()
        due = 0
        for ids in messaging.reminder_sweep_batches():
            tasks.message_send_many(ids)
            due += len(ids)
        seconds = time.perf_counter() - started
        sent = Message.objects.filter(
            kind=Message.Kind.REMINDER, created_at__gte=started_at, status=Message.Status.SENT
        ).count()
        runs.append({"due": due, "sent": sent, "seconds": seconds})
        Message.objects.filter(kind=Message.Kind.REMINDER, created_at__gte=started_at).delete()
    run = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**run, "ms_per_reminder": run["seconds"] * 1000 / max(run["due"], 1)}


def child(runs: int, actions: bool) -> dict:
    import django

    django.setup()
    common.log(f"measuring {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}")
    if not actions:
        return {"pages": _pages(runs)}
    return {"pages": _pages(runs), "booking": _booking(), "sweep": _sweep()}


# --- Parent ---------------------------------------------------------------------------------


def _measure(url: str, runs: int, outbox: str, *, actions: bool) -> dict:
    env = common.django_env(url, **ENV, SMS_FILE_PATH=outbox)
    args = [sys.executable, "-m", "bench.scale", "--child", str(runs), str(int(actions))]
    return common.run_json(args, env=env, timeout=1800)


def _merge(first: dict, second: dict) -> dict:
    """Both rounds' timings of each page, with its median."""
    pages = {}
    for key, page in first["pages"].items():
        times = page["times_ms"] + second["pages"][key]["times_ms"]
        pages[key] = {"median_ms": statistics.median(times), "queries": page["queries"]}
        if second["pages"][key]["queries"] != page["queries"]:
            pages[key]["queries_second"] = second["pages"][key]["queries"]
    return {**first, "pages": pages}


def run(*, runs: int = RUNS, keep: bool = False) -> dict:
    if common.postgres_version() is None:
        raise common.BenchError("PostgreSQL is not available")
    keep = keep or os.environ.get("BENCH_SCALE_KEEP") == "1"
    results: dict = {"sizes": {}, "build": {}}
    urls = {}
    try:
        for label, size in (("small", scale_data.SMALL), ("chain", scale_data.CHAIN)):
            started = time.monotonic()
            url = common.postgres_recreate(DATABASES[label])
            common.run_json(
                [sys.executable, "-m", "bench.scale", "--migrate"],
                env=common.django_env(url),
                timeout=600,
            )
            built = scale_data.build(url, size, common.log)
            built["total_s"] = time.monotonic() - started
            common.log(f"{label}: built in {built['total_s']:.0f} s")
            results["build"][label] = built
            results["sizes"][label] = size.__dict__
            urls[label] = url
        results["busy_before"] = common.busy_cores()
        results["load_before"] = common.load_average()
        cpu = common.cpu_sample()
        with tempfile.TemporaryDirectory() as tmp:
            # Two rounds, small then chain each time: the machine drifts and is shared, so
            # each page's median is over both rounds of its side. The booking and the sweep
            # run in the first round.
            rounds: dict = {"small": [], "chain": []}
            for actions in (True, False):
                for label in ("small", "chain"):
                    outbox = os.path.join(tmp, f"{label}.jsonl")
                    rounds[label].append(_measure(urls[label], runs, outbox, actions=actions))
            for label, (first, second) in rounds.items():
                results[label] = _merge(first, second)
        results["cpu_during"] = common.cpu_between(cpu, common.cpu_sample())
    finally:
        if not keep:
            for database in DATABASES.values():
                common.postgres_drop(database)
    return results


def _ratio(small: float, chain: float) -> float:
    return chain / small if small else float("inf")


def rows(results: dict) -> list[dict]:
    out = []
    for key, label, _, _ in PAGES:
        small, chain = results["small"]["pages"][key], results["chain"]["pages"][key]
        out.append(
            {
                "key": key,
                "label": label,
                "small_ms": small["median_ms"],
                "chain_ms": chain["median_ms"],
                "small_queries": small["queries"],
                "chain_queries": chain["queries"],
                "ratio": _ratio(small["median_ms"], chain["median_ms"]),
            }
        )
    small, chain = results["small"]["sweep"], results["chain"]["sweep"]
    out.append(
        {
            "key": "sweep",
            "label": "Reminder sweep, per due reminder (queued and sent)",
            "small_ms": small["ms_per_reminder"],
            "chain_ms": chain["ms_per_reminder"],
            "small_queries": None,
            "chain_queries": None,
            "ratio": _ratio(small["ms_per_reminder"], chain["ms_per_reminder"]),
        }
    )
    small, chain = results["small"]["booking"], results["chain"]["booking"]
    out.append(
        {
            "key": "booking",
            "label": "API: booking, any therapist (wall time)",
            "small_ms": small["booking_wall_ms"],
            "chain_ms": chain["booking_wall_ms"],
            "small_queries": small["queries"],
            "chain_queries": chain["queries"],
            "ratio": _ratio(small["booking_wall_ms"], chain["booking_wall_ms"]),
        }
    )
    return out


def summary(results: dict) -> list[str]:
    table = rows(results)
    worst = max(table, key=lambda r: r["ratio"])
    met = sum(1 for r in table if r["ratio"] <= GOAL_RATIO)
    booking = results["chain"]["booking"]
    return [
        f"scale: {met} of {len(table)} rows within {GOAL_RATIO:.0f}× of the small clinic; "
        f"worst {worst['label']} at {worst['ratio']:.1f}×",
        f"scale: booking CPU {booking['booking_cpu_ms']:.1f} ms vs ping "
        f"{booking['ping_cpu_ms']:.2f} ms = {booking['ratio']:.1f}× "
        f"(goal ≤ {BOOKING_CPU_GOAL:.0f}×)",
    ]


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _queries(row: dict) -> str:
    if row["small_queries"] is None:
        return "—"
    if row["small_queries"] == row["chain_queries"]:
        return str(row["small_queries"])
    return f"{row['small_queries']} / {row['chain_queries']}"


def markdown(results: dict, machine: dict) -> str:
    from bench.scale_notes import AFTER, BOOKING_CPU, METHOD, OVER_GOAL, PEER_BOOKING

    sizes = results["sizes"]
    table = rows(results)
    body = "## 6. A chain of 50 clinics against a small clinic\n\n"
    body += common.machine_markdown(
        machine,
        busy_before=results.get("busy_before"),
        load_before=results.get("load_before"),
        cpu_during=results.get("cpu_during"),
    )
    if results.get("cpu_during"):
        body += (
            f"- Cores busy on average during the measurements: "
            f"{results['cpu_during']['busy_cores']:.2f} of {machine['cores']}\n"
        )
    body += "\n" + report.paragraph(
        f"**Goal:** every page and action within {GOAL_RATIO:.0f}× of the small clinic's time "
        "in the same run, with query counts that do not grow; the booking request's CPU at "
        f"most {BOOKING_CPU_GOAL:.0f}× a no-database ping's."
    )
    counts = {label: results["build"][label]["counts"] for label in ("small", "chain")}
    body += report.paragraph(
        "**Data.** `bench/scale_data.py` writes both practices with `INSERT … SELECT` over "
        "`generate_series` after the migrations, every row a function of its number and the "
        "day of the run. "
        + "; ".join(
            f"{label}: {sizes[label]['locations']} locations, {sizes[label]['therapists']} "
            f"therapists, {counts[label]['clinic_patient']:,} patients, "
            f"{counts[label]['clinic_appointment']:,} appointments over three years, "
            f"{counts[label]['intake_intakeassessment']:,} submitted intakes, "
            f"{counts[label]['careplans_careplan']:,} care plans, "
            f"{counts[label]['clinic_message']:,} texts (built in "
            f"{results['build'][label]['total_s']:.0f} s with the migrations)"
            for label in ("small", "chain")
        )
        + ". Both also hold the same 400 visits tomorrow at an extra location for the sweep."
    )
    body += report.paragraph(METHOD.split("\n\n")[0]) + report.bullets(
        *[item.strip().removeprefix("- ") for item in METHOD.split("\n\n")[1].split("\n- ")]
    )
    body += "\n**Results** (medians; queries of the counted warm-up request):\n\n"
    body += report.table(
        ["Page or action", "Small clinic", "Chain", "Ratio", "Queries (small / chain)"],
        "lrrrr",
        [
            [
                r["label"],
                _ms(r["small_ms"]),
                _ms(r["chain_ms"]),
                f"**{r['ratio']:.1f}×**" if r["ratio"] > GOAL_RATIO else f"{r['ratio']:.1f}×",
                _queries(r),
            ]
            for r in table
        ],
    )
    over = [r for r in table if r["ratio"] > GOAL_RATIO]
    body += report.bullets(
        f"Rows within {GOAL_RATIO:.0f}×: {len(table) - len(over)} of {len(table)}"
        + (f"; over: {', '.join(r['label'] for r in over)}." if over else "."),
        "Query counts: "
        + (
            "the same on both databases for every page."
            if all(r["small_queries"] == r["chain_queries"] for r in table)
            else "some differ (see the table)."
        ),
        "Reminder sweep: "
        + "; ".join(
            f"{label} {results[label]['sweep']['due']} due, "
            f"{results[label]['sweep']['sent']} sent in {results[label]['sweep']['seconds']:.2f} s"
            for label in ("small", "chain")
        )
        + ".",
    )
    booking = results["chain"]["booking"]
    small_booking = results["small"]["booking"]
    body += report.paragraph(
        "**Booking CPU** (this process's CPU time, `time.process_time`, per request through "
        "the test client, so without gunicorn's own cost per request, which the ping under "
        "load in section 2 includes; PostgreSQL's own work is not in it):"
    )
    body += report.table(
        ["Database", "Booking", "Ping", "Booking ÷ ping", "Queries", "Statuses"],
        "lrrrrl",
        [
            [
                label,
                f"{b['booking_cpu_ms']:.2f} ms",
                f"{b['ping_cpu_ms']:.2f} ms",
                f"**{b['ratio']:.1f}×**",
                str(b["queries"]),
                ", ".join(f"{k}: {v}" for k, v in sorted(b["statuses"].items())),
            ]
            for label, b in (("small", small_booking), ("chain", booking))
        ],
    )
    body += report.paragraph(
        f"Goal ≤ {BOOKING_CPU_GOAL:.0f}× on the chain: "
        + ("met. " if booking["ratio"] <= BOOKING_CPU_GOAL else "NOT met. ")
        + BOOKING_CPU
    )
    body += AFTER.strip() + "\n\n"
    if over:
        body += "**Rows over 2×, and what it would take:**\n\n"
        body += report.bullets(
            *[f"{r['label']} ({r['ratio']:.1f}×): {OVER_GOAL.get(r['key'], '')}" for r in over]
        )
    body += PEER_BOOKING.strip() + "\n"
    return body


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(int(argv[1]), argv[2] == "1")))
        return
    if argv[:1] == ["--migrate"]:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        print("{}")
        return
    raise SystemExit("run it as: python -m bench scale")


if __name__ == "__main__":
    main(sys.argv[1:])
