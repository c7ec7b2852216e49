"""Benchmark 4: the audit trail at chain scale.

The parent process (no Django) creates a fresh ``stride_bench_audit`` database and has a child
(``python -m bench.audit_trail --measure --database-url URL --events N``) do the rest:

- Build: migrate, then 20,000 patients, 60 staff users and N audit events (default 300,000)
  spread over two years, loaded with ``bulk_create`` and ANALYZEd. Most events are views, by
  therapists; a few are writes, prints, exports, sign-ins and break-glass.
- Write: 2,000 events, each with ``clinic.services.audit.audit_record`` in a transaction of
  its own, as a page writes its one event; the statements each write sends are counted.
- Read: the clinic admin's audit list (``/admin/clinic/auditevent/``) through Django's test
  client, signed in as a clinic admin: unfiltered, by patient, by staff member, by action, by
  role, by date, a patient's trail for one action, and a search by patient id. Each page is
  fetched 5 times (after one warm-up); the median is reported with the number of SQL
  statements, the slowest statement on the audit table, and whether PostgreSQL planned a
  sequential scan of the table for any of them (``EXPLAIN`` of each statement).

Goal (from the issue): writing an event is one INSERT per request, and every filter of the
audit view that selects a small part of the trail is served by an index (no sequential scan
of the table); the whole trail and a whole year are reported without that goal (reading most
of a table is best done by scanning it).
``python -m bench.audit_trail`` runs it alone; ``python -m bench audit`` with the others.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time

from bench import common, report

DATABASE = os.environ.get("BENCH_AUDIT_DATABASE", "stride_bench_audit")
EVENTS = 300_000
PATIENTS = 20_000
STAFF = 60
WRITES = 2_000
PAGE_RUNS = 5
SEED = 20261207
BATCH = 10_000
# (action, weight): what a practice's trail is made of, roughly.
ACTIONS = [
    ("view", 850),
    ("change", 60),
    ("create", 40),
    ("print", 15),
    ("sign_in", 30),
    ("sign_in_failed", 3),
    ("export", 1),
    ("break_glass", 1),
]


# --- Child: build and measure ----------------------------------------------------------------


def _build(*, events: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from clinic.models import AuditEvent, Patient, User

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    rng = random.Random(SEED)
    patients = Patient.objects.bulk_create(
        Patient(first_name=f"P{n}", last_name=f"Bench{n}", email=f"p{n}@bench.example")
        for n in range(PATIENTS)
    )
    roles = ["therapist"] * 45 + ["front_desk"] * 12 + ["admin"] * 3
    staff = User.objects.bulk_create(
        User(email=f"staff{n}@bench.example", role=role, is_staff=True, last_name=f"S{n}")
        for n, role in enumerate(roles[:STAFF])
    )
    admin = User.objects.create_user(
        email="admin@bench.example", password=None, role="admin", is_staff=True
    )
    names, weights = zip(*ACTIONS, strict=True)
    now = timezone.now()
    span = 2 * 365 * 24 * 3600
    built = time.monotonic()
    for start in range(0, events, BATCH):
        rows = []
        for _ in range(min(BATCH, events - start)):
            action = rng.choices(names, weights)[0]
            user = rng.choice(staff)
            patient = (
                None if action in ("sign_in", "sign_in_failed", "export") else rng.choice(patients)
            )
            rows.append(
                AuditEvent(
                    at=now - datetime.timedelta(seconds=rng.randrange(span)),
                    user=user,
                    role=user.role,
                    patient=patient,
                    action=action,
                    object_type="clinic.patient" if patient else "",
                    object_id=str(patient.pk) if patient else "",
                    path="/plans/patients/1/",
                    ip="10.0.0.1",
                    user_agent="bench",
                )
            )
        AuditEvent.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "migrate_s": migrated,
        "build_s": time.monotonic() - built,
        "patient_id": patients[len(patients) // 2].pk,
        "staff_id": staff[0].pk,
        "admin_id": admin.pk,
    }


def _writes(*, count: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from clinic.models import AuditEvent, Patient, User
    from clinic.services.audit import audit_record

    user = User.objects.filter(role="therapist").first()
    patient = Patient.objects.first()
    times, statements = [], set()
    for _ in range(count):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            with transaction.atomic():
                audit_record(action=AuditEvent.Action.VIEW, user=user, patient_id=patient.pk)
            times.append(time.perf_counter() - began)
        statements.add(
            tuple(q["sql"].split()[0].upper() for q in queries if "auditevent" in q["sql"])
        )
    return {
        "writes": count,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": sorted(times)[int(0.95 * len(times))] * 1000,
        "statements": sorted(" ".join(s) for s in statements),
    }


def _pages(built: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clinic.models import User

    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    week_ago = today - datetime.timedelta(days=7)
    # (label, query, narrow): a narrow page selects a small part of the trail and must be
    # served by an index; a broad one (the whole trail, a year of it) is reported only.
    pages = [
        ("unfiltered", "", False),
        ("by patient", f"?patient__id__exact={built['patient_id']}", True),
        ("by staff member", f"?user__id__exact={built['staff_id']}", True),
        ("by action (break-glass)", "?action__exact=break_glass", True),
        # A role is a large part of the trail (a fifth, here): counted by a scan, as it should.
        ("by role (front desk)", "?role__exact=front_desk", False),
        ("past 7 days", f"?at__gte={week_ago}&at__lt={tomorrow}", True),
        ("this month", f"?at__gte={today.replace(day=1)}&at__lt={tomorrow}", True),
        ("this year", f"?at__gte={today.replace(month=1, day=1)}&at__lt={tomorrow}", False),
        (
            "a patient's prints",
            f"?patient__id__exact={built['patient_id']}&action__exact=print",
            True,
        ),
        ("search by patient #id", f"?q={built['patient_id']}", True),
        ("search by a staff member's name", "?q=S7", True),
    ]
    client = Client()
    client.force_login(User.objects.get(pk=built["admin_id"]))
    base = "/admin/clinic/auditevent/"
    results = []
    for label, query, narrow in pages:
        url = base + query
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        times = []
        for _ in range(PAGE_RUNS):
            began = time.perf_counter()
            client.get(url, secure=True)
            times.append(time.perf_counter() - began)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        audit_sql = [
            q
            for q in queries
            if "clinic_auditevent" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
        ]
        seq_scans = []
        slowest = 0.0
        with connection.cursor() as cursor:
            for q in audit_sql:
                slowest = max(slowest, float(q["time"]) * 1000)
                cursor.execute("EXPLAIN " + q["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if "Seq Scan on clinic_auditevent" in plan:
                    seq_scans.append(q["sql"][:160])
        results.append(
            {
                "label": label,
                "query": query,
                "narrow": narrow,
                "median_ms": statistics.median(times) * 1000,
                "statements": len(queries),
                "audit_statements": len(audit_sql),
                "slowest_audit_ms": slowest,
                "seq_scans": seq_scans,
            }
        )
    return results


def measure(database_url: str, *, events: int) -> dict:
    os.environ.update(common.django_env(database_url))
    import django

    django.setup()
    built = _build(events=events)
    return {
        "events": events,
        "built": built,
        "write": _writes(count=WRITES),
        "pages": _pages(built),
    }


# --- Parent ----------------------------------------------------------------------------------


def run(*, events: int = EVENTS) -> dict:
    if common.postgres_version() is None:
        raise common.BenchError(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}")
    load_before = common.load_average()
    cpu_before = common.idle_check()
    database_url = common.postgres_recreate(DATABASE)
    try:
        common.log(f"building {DATABASE}: {events:,} audit events, then measuring")
        results = common.run_json(
            [
                *(sys.executable, "-m", "bench.audit_trail", "--measure"),
                *("--database-url", database_url, "--events", str(events)),
            ],
            env=dict(os.environ, PYTHONPATH=str(common.REPO_ROOT)),
            timeout=1800,
        )
    finally:
        common.postgres_drop(DATABASE)
    results["load_before"] = load_before
    results["cpu_before"] = cpu_before
    return results


def goal_met(results: dict) -> bool:
    one_insert = results["write"]["statements"] == ["INSERT"]
    return one_insert and not any(p["seq_scans"] for p in results["pages"] if p["narrow"])


def summary(results: dict) -> list[str]:
    write = results["write"]
    slowest = max(results["pages"], key=lambda page: page["median_ms"])
    return [
        f"audit trail: one event = {', '.join(write['statements'])} "
        f"(median {write['median_ms']:.2f} ms); slowest admin page over "
        f"{results['events']:,} events: {slowest['label']} {slowest['median_ms']:.0f} ms; "
        f"goal {'met' if goal_met(results) else 'NOT met'}"
    ]


def markdown(results: dict, machine: dict) -> str:
    write = results["write"]
    rows = [
        [
            page["label"],
            f"`{page['query'] or '(none)'}`",
            f"{page['median_ms']:.0f}",
            str(page["statements"]),
            f"{page['slowest_audit_ms']:.1f}",
            ("yes" if page["seq_scans"] else "no") + ("" if page["narrow"] else " (broad)"),
        ]
        for page in results["pages"]
    ]
    return (
        "## 7. The audit trail at chain scale\n\n"
        + common.machine_markdown(
            machine, load_before=results["load_before"], cpu_before=results["cpu_before"]
        )
        + "\n"
        + report.paragraph(
            "**Goal:** writing an event adds one INSERT to a request, and every filter of the "
            "clinic admin's audit view that selects a small part of the trail is served by an "
            "index (no sequential scan of the table). Broad pages (the whole trail, a role, this "
            "year) are reported without that goal: counting a large part of a table is best "
            "done by a scan."
        )
        + report.paragraph(
            f"**Method.** `bench/audit_trail.py` builds `{DATABASE}` on PostgreSQL: "
            f"{PATIENTS:,} patients, {STAFF} staff and {results['events']:,} events over two "
            f"years (seed {SEED}), then ANALYZE. It writes {write['writes']:,} events one "
            "transaction each with `audit_record`, and fetches each audit list page below "
            f"{PAGE_RUNS} times as a clinic admin (Django's test client, `DEBUG=false`); each "
            "SELECT the page sends to the audit table is EXPLAINed."
        )
        + report.bullets(
            f"One event: {', '.join(write['statements'])}; median "
            f"{write['median_ms']:.2f} ms, 95th percentile {write['p95_ms']:.2f} ms "
            "(with its transaction's commit)",
            f"Goal: {'met' if goal_met(results) else 'NOT met'}",
        )
        + "\n"
        + report.table(
            [
                "audit list page",
                "query",
                "median ms",
                "SQL statements",
                "slowest on the trail, ms",
                "seq scan",
            ],
            "llrrrl",
            rows,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_trail", description=__doc__)
    parser.add_argument("--measure", action="store_true", help="(child) build and measure")
    parser.add_argument("--database-url")
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.database_url, events=args.events)))
        return 0
    results = run(events=args.events)
    if args.json:
        print(json.dumps(results, indent=2))
    for line in summary(results):
        print(line)
    if not args.no_docs:
        report.update("audit_trail", markdown(results, common.machine()))
    return 0 if goal_met(results) else 1


if __name__ == "__main__":
    sys.exit(main())
