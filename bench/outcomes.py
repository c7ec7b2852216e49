"""The outcomes dashboard at chain scale: how long its figures take, and how many queries.

A scratch PostgreSQL database is filled (bulk inserts) with a chain's year: locations,
therapists with weekly hours, patients, visits in every status, care plans with their
exercises and home sessions, and outcome measures. Then `careplans.outcomes.dashboard` is
timed for the whole chain and for one therapist, for 12 months, each several times.

Run with ``python -m bench outcomes``; ``--setup`` and ``--measure`` are the child steps.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time

from bench import common, report

DATABASE = os.environ.get("BENCH_OUTCOMES_DATABASE", "stride_bench_outcomes")
LOCATIONS = 10
THERAPISTS = 100
PATIENTS = 30_000
VISITS_PER_THERAPIST_DAY = 8
MONTHS = 12
PLANS = 15_000
SESSIONS_PER_PLAN = 10
RUNS = 5


def setup(database_url: str) -> dict:
    os.environ.update(common.django_env(database_url))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from careplans.models import CarePlan, Exercise, PrescribedExercise, SessionLog
    from clinic.models import (
        Appointment,
        AppointmentType,
        Location,
        Patient,
        Therapist,
        User,
        WorkingHours,
    )
    from intake.models import OutcomeMeasure

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    rng = random.Random(19)
    visit_type = AppointmentType.objects.create(
        name="Follow-up", slug="follow-up", duration_minutes=45, buffer_after_minutes=0
    )
    locations = Location.objects.bulk_create(
        Location(
            name=f"Site {n}",
            slug=f"site-{n}",
            street="1 Main St",
            city="Minneapolis",
            postal_code="55413",
            short_address="1 Main St",
            phone="+16125550142",
        )
        for n in range(LOCATIONS)
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"t{n:03d}@chain.example",
            first_name="T",
            last_name=f"{n:03d}",
            role=User.Role.THERAPIST,
            is_staff=True,
            password=password,
        )
        for n in range(THERAPISTS)
    )
    therapists = Therapist.objects.bulk_create(Therapist(user=user) for user in users)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            therapist=t,
            location=locations[n % LOCATIONS],
            weekday=day,
            start_time=datetime.time(8),
            end_time=datetime.time(16),
        )
        for n, t in enumerate(therapists)
        for day in range(5)
    )
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        (
            Patient(first_name="P", last_name=f"{n:05d}", email=f"p{n:05d}@chain.example")
            for n in range(PATIENTS)
        ),
        batch_size=5000,
    )
    zone = locations[0].zone
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=30 * MONTHS)
    statuses = (
        [Appointment.Status.COMPLETED] * 80
        + [Appointment.Status.NO_SHOW] * 6
        + [Appointment.Status.CANCELLED] * 10
        + [Appointment.Status.ARRIVED] * 4
    )
    visits = []
    day = first_day
    while day <= today:
        if day.weekday() < 5:
            for n, therapist in enumerate(therapists):
                for slot in range(VISITS_PER_THERAPIST_DAY):
                    start = datetime.datetime.combine(day, datetime.time(8 + slot), zone)
                    status = rng.choice(statuses)
                    visits.append(
                        Appointment(
                            patient=patients[rng.randrange(PATIENTS)],
                            therapist=therapist,
                            location=locations[n % LOCATIONS],
                            appointment_type=visit_type,
                            start=start,
                            end=start + datetime.timedelta(minutes=45),
                            blocked_until=start + datetime.timedelta(minutes=45),
                            status=status,
                            cancelled_at=start - datetime.timedelta(hours=rng.choice([2, 72]))
                            if status == Appointment.Status.CANCELLED
                            else None,
                        )
                    )
        day += datetime.timedelta(days=1)
    Appointment.objects.bulk_create(visits, batch_size=5000)
    exercises = list(Exercise.objects.all()[:4]) or [
        Exercise.objects.create(name=f"E{n}", slug=f"e{n}", category="strength", body_region="core")
        for n in range(4)
    ]
    plans = CarePlan.objects.bulk_create(
        (
            CarePlan(
                patient=patients[n],
                author=therapists[n % THERAPISTS],
                title="Plan",
                start_date=first_day + datetime.timedelta(days=rng.randrange(30 * MONTHS)),
                status=CarePlan.Status.ACTIVE,
                version=1,
                published_at=now,
            )
            for n in range(PLANS)
        ),
        batch_size=5000,
    )
    PrescribedExercise.objects.bulk_create(
        (
            PrescribedExercise(
                plan=plan, exercise=exercise, position=k + 1, reps=10, times_per_week=3
            )
            for plan in plans
            for k, exercise in enumerate(exercises)
        ),
        batch_size=5000,
    )
    SessionLog.objects.bulk_create(
        (
            SessionLog(
                plan=plan,
                patient_id=plan.patient_id,
                performed_on=min(today, plan.start_date + datetime.timedelta(days=3 * k)),
                pain_after=rng.randrange(8),
            )
            for plan in plans
            for k in range(rng.randrange(SESSIONS_PER_PLAN * 2))
        ),
        batch_size=5000,
    )
    measures = []
    for plan in plans:
        begun = datetime.datetime.combine(plan.start_date, datetime.time(9), zone)
        odi, nprs = rng.randrange(20, 60), rng.randrange(3, 9)
        for k in range(3):
            measures.append(
                OutcomeMeasure(
                    patient_id=plan.patient_id,
                    source="intake" if k == 0 else "reassessment",
                    measured_at=min(now, begun + datetime.timedelta(days=21 * k)),
                    odi_percent=max(0, odi - rng.randrange(0, 9) * k),
                    nprs=max(0, nprs - rng.randrange(0, 2) * k),
                )
            )
    OutcomeMeasure.objects.bulk_create(measures, batch_size=5000)
    built = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a settled database
    return {
        "migrate_s": migrated - started,
        "build_s": built - migrated,
        "visits": len(visits),
        "patients": PATIENTS,
        "plans": PLANS,
        "measures": len(measures),
        "sessions": SessionLog.objects.count(),
    }


def measure(database_url: str) -> dict:
    os.environ.update(common.django_env(database_url))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careplans import outcomes
    from clinic.models import Therapist

    one = Therapist.objects.order_by("pk").first()
    results = {}
    for label, kwargs in (("chain", {}), ("one therapist", {"therapist_id": one.pk})):
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                board = outcomes.dashboard(months=MONTHS, **kwargs)
                times.append(time.perf_counter() - started)
        results[label] = {
            "median_s": common.median(times),
            "max_s": max(times),
            "queries": len(queries),
            "visits": board.total.visits,
            "episodes": board.total.episodes,
        }
    return results


def run() -> dict:
    if common.postgres_version() is None:
        raise common.BenchError(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}")
    child_env = dict(os.environ, PYTHONPATH=str(common.REPO_ROOT))
    load_before = common.load_average()
    try:
        database_url = common.postgres_recreate(DATABASE)
        common.log(f"setting up {DATABASE}: a chain's year")
        built = common.run_json(
            [sys.executable, "-m", "bench.outcomes", "--setup", "--database-url", database_url],
            env=child_env,
            timeout=1800,
        )
        common.log(f"  built in {built['build_s']:.0f} s: {built['visits']:,} visits")
        measured = common.run_json(
            [sys.executable, "-m", "bench.outcomes", "--measure", "--database-url", database_url],
            env=child_env,
            timeout=900,
        )
    finally:
        common.postgres_drop(DATABASE)
    return {"setup": built, "measured": measured, "load_before": load_before}


def summary(results: dict) -> list[str]:
    return [
        f"outcomes dashboard, {label}, {MONTHS} months: median {r['median_s']:.2f} s "
        f"(max {r['max_s']:.2f} s), {r['queries']} queries"
        for label, r in results["measured"].items()
    ]


def markdown(results: dict, machine: dict) -> str:
    built = results["setup"]
    rows = [
        [label, f"{r['median_s']:.2f} s", f"{r['max_s']:.2f} s", str(r["queries"])]
        for label, r in results["measured"].items()
    ]
    return "".join(
        [
            "## 5. Outcomes dashboard\n\n",
            common.machine_markdown(machine, load_before=results["load_before"]),
            "\n",
            report.paragraph(
                f"""A chain's year on PostgreSQL: {LOCATIONS} locations, {THERAPISTS} therapists,
                {built["patients"]:,} patients, {built["visits"]:,} visits,
                {built["plans"]:,} care plans with {built["sessions"]:,} home sessions, and
                {built["measures"]:,} outcome measures. `careplans.outcomes.dashboard` for
                {MONTHS} months, {RUNS} runs each; the query count is the same at any size."""
            ),
            report.table(["scope", "median", "slowest", "queries"], "lrrr", rows),
            report.paragraph(
                """Goal: under 1 s for the chain and 0.3 s for one therapist on this machine
                (both taken with the load average above on 2 cores)."""
            ),
            report.paragraph(
                """Before the dashboard's first visits were found in one pass (issue #19), the
                same run (1-minute load 11.55) took 11.99 s for the chain (slowest 14.61 s) and
                2.90 s for one therapist (slowest 3.25 s), also in 6 queries: a probe of the
                visits table for every visit, JIT compilation of each report query, and every
                patient's measures read for one therapist."""
            ),
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    result = setup(args.database_url) if args.setup else measure(args.database_url)
    print(json.dumps(result))
