"""Benchmark 1: free slots for every therapist at a location over 28 days.

Stride answers with one ``clinic.selectors.slot_list(...)`` call; the peer, django-appointment,
with one ``get_available_slots_for_staff(...)`` call per staff member per day, which is how its
booking page asks. Both read the same schedule (``bench/plan.py``): 20 therapists working Monday
to Friday 08:00–17:00 America/Chicago, a 45-minute visit with 15 minutes kept free after it, a
15-minute grid, 2,000 visits in the 28-day window and 3,000 in the past.

``python -m bench availability`` runs the whole comparison. This module is also the child
process that measures Stride on one database:
``python -m bench.availability --measure --database-url URL`` prints JSON.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common, plan, report, timing

PEER_PACKAGE = "django-appointment"
PEER_VERSION = "3.12.0"
PEER_DRIVER = "psycopg[binary]==3.3.9"  # the same PostgreSQL driver the project pins
PEER_VENV = common.VAR_DIR / "peer-venv"
STRIDE_DATABASE = os.environ.get("BENCH_AVAILABILITY_DATABASE", "stride_bench")
PEER_DATABASE = os.environ.get("BENCH_PEER_DATABASE", "stride_bench_peer")
SETTINGS_OVERRIDES = {
    # Every slot in the window must be offerable: no notice, a horizon beyond 2030.
    "BOOKING_MIN_NOTICE_HOURS": "0",
    "BOOKING_HORIZON_DAYS": "36500",
}
GOAL_SPEEDUP = 20


# --- Child: Stride on one database ----------------------------------------------------------


def _build_stride(*, therapists: int, window_appointments: int) -> None:
    """Replace everything in the scratch database with the plan's schedule (bulk inserts)."""
    import zoneinfo

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from clinic.models import (
        Appointment,
        Patient,
        Therapist,
        User,
        WorkingHours,
    )

    call_command("flush", interactive=False, verbosity=0)
    zone = zoneinfo.ZoneInfo(plan.TIME_ZONE)
    location, visit_type = common.practice(
        "Bench", visit_minutes=plan.DURATION_MIN, buffer_minutes=plan.BUFFER_MIN
    )
    users = User.objects.bulk_create(
        User(
            email=f"therapist{n:02d}@bench.example",
            first_name="Therapist",
            last_name=f"Bench{n:02d}",
            role=User.Role.THERAPIST,
            is_staff=True,
            password=make_password(None),  # unusable: nobody signs in
        )
        for n in range(therapists)
    )
    staff = Therapist.objects.bulk_create(Therapist(user=user) for user in users)
    Therapist.locations.through.objects.bulk_create(
        Therapist.locations.through(therapist_id=t.pk, location_id=location.pk) for t in staff
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            therapist=t,
            location=location,
            weekday=weekday,
            start_time=datetime.time(plan.DAY_START_MIN // 60),
            end_time=datetime.time(plan.DAY_END_MIN // 60),
        )
        for t in staff
        for weekday in plan.WORK_WEEKDAYS
    )
    patients = Patient.objects.bulk_create(
        Patient(
            first_name="Patient",
            last_name=f"Bench{n:03d}",
            email=f"patient{n:03d}@bench.example",
        )
        for n in range(plan.PATIENTS)
    )
    upcoming, past = plan.schedule(therapists=therapists, window_appointments=window_appointments)

    def appointment(visit: plan.Visit, status: str) -> Appointment:
        start = datetime.datetime.combine(visit.day, visit.start_time, zone).astimezone(
            datetime.UTC
        )
        end = start + visit_type.duration
        return Appointment(
            patient=patients[visit.patient],
            therapist=staff[visit.therapist],
            location=location,
            appointment_type=visit_type,
            start=start,
            end=end,
            blocked_until=end + visit_type.buffer,
            status=status,
        )

    Appointment.objects.bulk_create(
        [appointment(v, Appointment.Status.BOOKED) for v in upcoming]
        + [appointment(v, Appointment.Status.COMPLETED) for v in past],
        batch_size=500,
    )


def _call_for_stride(days: int):
    """The work of one availability request: all therapists, ``days`` days from the start."""
    from clinic.models import AppointmentType, Location
    from clinic.selectors import slot_list

    location = Location.objects.get(slug="bench")
    visit_type = AppointmentType.objects.get(slug="bench-follow-up")
    start_date = plan.WINDOW_START
    end_date = start_date + datetime.timedelta(days=days - 1)

    def call() -> int:
        return len(
            slot_list(
                appointment_type=visit_type,
                location=location,
                start_date=start_date,
                end_date=end_date,
                therapist=None,
            )
        )

    return call


def measure_stride(*, database_url: str, runs: int, scaling_runs: int) -> dict:
    """Migrate the scratch database, build each data set and time ``slot_list`` on it."""
    os.environ.update(common.django_env(database_url, **SETTINGS_OVERRIDES))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import timing

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    common.log(f"migrated {connection.vendor} in {time.perf_counter() - started:.1f} s")
    results = timing.run_cases(
        build=_build_stride,
        call_for=_call_for_stride,
        runs=runs,
        scaling_runs=scaling_runs,
        log=common.log,
    )
    results["database"] = connection.vendor
    return results


# --- Parent: the comparison -----------------------------------------------------------------


def _peer_version(python: Path) -> str | None:
    done = subprocess.run(
        [
            str(python),
            "-c",
            f"import importlib.metadata as m; print(m.version({PEER_PACKAGE!r}))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def peer_has_psycopg(python: Path) -> bool:
    probe = subprocess.run([str(python), "-c", "import psycopg"], capture_output=True, check=False)
    return probe.returncode == 0


def ensure_peer_venv() -> Path:
    """The peer's own virtualenv under var/bench/, created and filled on first use only."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        base = shutil.which("python3.11") or sys.executable
        common.log(f"creating {PEER_VENV.relative_to(common.REPO_ROOT)}")
        subprocess.run([base, "-m", "venv", str(PEER_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if _peer_version(python) != PEER_VERSION:
        common.log(f"installing {PEER_PACKAGE}=={PEER_VERSION} into the peer's virtualenv")
        subprocess.run([*pip, f"{PEER_PACKAGE}=={PEER_VERSION}"], check=True)
    if not peer_has_psycopg(python):
        # Only the PostgreSQL run needs it; without it the peer is measured on SQLite alone.
        subprocess.run([*pip, PEER_DRIVER], check=False)
    return python


def _run_stride(database_url: str, *, runs: int, scaling_runs: int) -> dict:
    args = [sys.executable, "-m", "bench.availability", "--measure"]
    args += ["--database-url", database_url, "--runs", str(runs)]
    args += ["--scaling-runs", str(scaling_runs)]
    env = dict(os.environ, PYTHONPATH=str(common.REPO_ROOT))
    return common.run_json(args, env=env, timeout=900)


def peer_env(database_url: str) -> dict[str, str]:
    """Environment for a child that runs the peer (its virtualenv) on the given database."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "VIRTUAL_ENV")
    }
    env.update(
        PEER_DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.peer.settings",
        PYTHONPATH=str(common.REPO_ROOT),
    )
    return env


def _run_peer(python: Path, database_url: str, *, runs: int, scaling_runs: int) -> dict:
    args = [str(python), "-m", "bench.peer.driver", "--runs", str(runs)]
    args += ["--scaling-runs", str(scaling_runs)]
    return common.run_json(args, env=peer_env(database_url), timeout=1800)


def run(
    *,
    runs: int = 7,
    scaling_runs: int = 5,
    peer_runs: int = 7,
    peer_scaling_runs: int = 1,
    postgres: bool = True,
    peer: bool = True,
) -> dict:
    """Measure Stride and the peer on SQLite, and on PostgreSQL when one answers."""
    results: dict = {"stride": {}, "peer": {}, "notes": [], "cpu_before": common.idle_check()}
    started = common.cpu_sample()
    use_postgres = postgres and common.postgres_version() is not None
    if postgres and not use_postgres:
        results["notes"].append(f"PostgreSQL did not answer at {common.POSTGRES_ADMIN_URL}.")
    with tempfile.TemporaryDirectory(prefix="stride-bench-") as scratch:
        common.log("Stride on SQLite")
        results["stride"]["sqlite"] = _run_stride(
            f"sqlite:///{scratch}/stride.sqlite3", runs=runs, scaling_runs=scaling_runs
        )
        if use_postgres:
            common.log("Stride on PostgreSQL")
            url = common.postgres_recreate(STRIDE_DATABASE)
            try:
                results["stride"]["postgresql"] = _run_stride(
                    url, runs=runs, scaling_runs=scaling_runs
                )
            finally:
                common.postgres_drop(STRIDE_DATABASE)
        python = None
        if peer:
            try:
                python = ensure_peer_venv()
            except (OSError, subprocess.CalledProcessError) as exc:
                results["notes"].append(f"The peer's virtualenv could not be set up: {exc}")
        if python is not None:
            common.log(f"{PEER_PACKAGE} on SQLite")
            results["peer"]["sqlite"] = _run_peer(
                python,
                f"sqlite:///{scratch}/peer.sqlite3",
                runs=peer_runs,
                scaling_runs=peer_scaling_runs,
            )
            if use_postgres and peer_has_psycopg(python):
                common.log(f"{PEER_PACKAGE} on PostgreSQL")
                url = common.postgres_recreate(PEER_DATABASE)
                try:
                    results["peer"]["postgresql"] = _run_peer(
                        python, url, runs=peer_runs, scaling_runs=peer_scaling_runs
                    )
                finally:
                    common.postgres_drop(PEER_DATABASE)
            elif use_postgres:
                results["notes"].append("psycopg could not be installed in the peer's venv.")
    results["cpu_during"] = common.cpu_between(started, common.cpu_sample())
    for database, ours in results["stride"].items():
        theirs = results["peer"].get(database)
        if theirs:
            ours["speedup"] = theirs["base"]["median_s"] / ours["base"]["median_s"]
            if "view" in theirs:
                ours["view_speedup"] = theirs["view"]["median_s"] / ours["base"]["median_s"]
    return results


# --- Report ---------------------------------------------------------------------------------

DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DATABASE_ORDER = ("sqlite", "postgresql")


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def _constant_queries(side: dict) -> bool:
    """Does this side's query count stay the same across every case, on every database?"""
    return len({c["queries"] for r in side.values() for c in r["scaling"]}) == 1


def summary(results: dict) -> list[str]:
    lines = []
    for database, ours in results["stride"].items():
        theirs = results["peer"].get(database)
        line = (
            f"availability on {DATABASE_NAMES[database]}: Stride {_ms(ours['base']['median_s'])}, "
            f"{ours['base']['queries']} queries"
        )
        if theirs:
            line += (
                f"; {PEER_PACKAGE} {_ms(theirs['base']['median_s'])}, "
                f"{theirs['base']['queries']:,} queries; {ours['speedup']:.0f}x faster"
            )
        lines.append(line)
    lines += [f"availability note: {note}" for note in results["notes"]]
    return lines


def _scaling_table(side: dict) -> str:
    databases = [d for d in DATABASE_ORDER if d in side]
    header = ["Therapists", "Days", "Visits in window", "Free slots"]
    for database in databases:
        header += [f"Queries ({DATABASE_NAMES[database]})", f"Time ({DATABASE_NAMES[database]})"]
    rows = []
    for i, case in enumerate(side[databases[0]]["scaling"]):
        row = [str(case["therapists"]), str(case["days"]), f"{case['appointments']:,}"]
        row.append(f"{case['slots']:,}")
        for database in databases:
            c = side[database]["scaling"][i]
            row += [f"{c['queries']:,}", _ms(c["median_s"])]
        rows.append(row)
    return report.table(header, "r" * len(header), rows)


def _runs(side: dict, *, base: bool) -> str:
    counts = {
        c["runs"]
        for r in side.values()
        for c in r["scaling"]
        if ((c["therapists"], c["days"], c["appointments"]) == timing.BASE_CASE) == base
    }
    return " / ".join(str(n) for n in sorted(counts)) or "0"


def _result_row(database: str, label: str, result: dict) -> list[str]:
    return [
        DATABASE_NAMES[database],
        label,
        _ms(result["median_s"]),
        _ms(result["min_s"]),
        f"{result['queries']:,}",
        f"{result['slots']:,}",
    ]


def markdown(results: dict, machine: dict) -> str:
    stride, peer = results["stride"], results["peer"]
    peer_label = f"{PEER_PACKAGE} {PEER_VERSION}"
    horizon = SETTINGS_OVERRIDES["BOOKING_HORIZON_DAYS"]
    out = [
        "## 1. Availability search\n\n",
        common.machine_markdown(
            machine, cpu_before=results["cpu_before"], cpu_during=results["cpu_during"]
        ),
    ]
    during = results.get("cpu_during")
    if during:
        out.append(
            f"- Cores busy on average during the run: {during['busy_cores']:.2f} of "
            f"{machine['cores']} (the benchmark itself keeps about one busy; more means other "
            "work competed with it)\n"
        )
    if peer:
        first = next(iter(peer.values()))
        out.append(
            f"- Peer: {peer_label} on Python {first['python']} and Django {first['django']}, in "
            "its own virtualenv (`var/bench/peer-venv`)\n"
        )
    out.append("\n")
    out.append(
        report.paragraph(
            f"""**Goal:** one availability search for all {plan.THERAPISTS} therapists at a
            location over {plan.WINDOW_DAYS} days at least {GOAL_SPEEDUP}× faster than the peer
            on the same data, with a query count that does not grow with therapists, days or
            appointments."""
        )
    )
    out.append(
        report.paragraph(
            f"""**Method.** `bench/plan.py` builds one schedule from a fixed seed ({plan.SEED})
            and each side loads it with `bulk_create` into a scratch database: a temporary
            SQLite file, and on PostgreSQL the databases `{STRIDE_DATABASE}` (Stride) and
            `{PEER_DATABASE}` (peer), created and dropped by the run. {plan.THERAPISTS}
            therapists at one location work Monday–Friday 08:00–17:00 {plan.TIME_ZONE}; the
            visit lasts {plan.DURATION_MIN} minutes with a {plan.BUFFER_MIN}-minute buffer after
            it (the peer: `Service.duration` of {plan.DURATION_MIN} minutes and
            `Config.slot_gap_time` of {plan.BUFFER_MIN} minutes, which rule out the same
            starts); starts are on a {plan.STEP_MIN}-minute grid. {plan.WINDOW_APPOINTMENTS:,}
            visits fall in the {plan.WINDOW_DAYS}-day window that starts on Monday
            {plan.WINDOW_START:%Y-%m-%d}, never overlapping per therapist, and
            {plan.PAST_APPOINTMENTS:,} more in 2025. Stride runs with `DEBUG=false`,
            `BOOKING_MIN_NOTICE_HOURS=0` and `BOOKING_HORIZON_DAYS={horizon}`."""
        )
    )
    out.append(
        report.bullets(
            """Stride: one call of `clinic.selectors.slot_list(appointment_type=…, location=…,
            start_date=…, end_date=…, therapist=None)`, as the booking page and the API make
            it.""",
            f"""Peer: `appointment.services.get_available_slots_for_staff(date, staff_member,
            day_of_week, service=…)` once per staff member per day ({plan.THERAPISTS} ×
            {plan.WINDOW_DAYS} = {plan.THERAPISTS * plan.WINDOW_DAYS} calls), as its booking
            page's `get_available_slots_ajax` view calls it for each staff member and date. The
            view's own work around that call (its form, the day-off and working-day checks) is
            left out of the main figure, which favours the peer; the row "through its view"
            calls the view itself with `RequestFactory` requests (no middleware or URL
            routing), timed once.""",
            """Each figure: one warm-up call whose queries are counted
            (`django.test.utils.CaptureQueriesContext`, with a plain counter alongside), then
            timed calls without query capture; the median wall time is reported. "Free slots"
            counts (therapist, start) pairs: both sides find the same number, a check that they
            did the same work.""",
        )
    )
    view_runs = sorted({r["view"]["runs"] for r in peer.values() if "view" in r})
    note = f"; the view row: {' / '.join(map(str, view_runs))}" if view_runs else ""
    out.append(
        f"**Results** (median of {_runs(stride, base=True)} timed calls after the counted "
        f"warm-up call{note}):\n\n"
    )
    rows = []
    for database in DATABASE_ORDER:
        for label, side in (("Stride `slot_list`", stride), (peer_label, peer)):
            if database in side:
                rows.append(_result_row(database, label, side[database]["base"]))
        if "view" in peer.get(database, {}):
            label = f"{peer_label}, through its view"
            rows.append(_result_row(database, label, peer[database]["view"]))
    out.append(
        report.table(
            ["Database", "Implementation", "Median", "Fastest", "Queries", "Free slots"],
            "llrrrr",
            rows,
        )
    )
    verdicts = []
    for database, ours in stride.items():
        if "speedup" in ours:
            met = "met" if ours["speedup"] >= GOAL_SPEEDUP else "NOT met"
            text = f"""Speed-up on {DATABASE_NAMES[database]}, peer median ÷ Stride median in
                the same run: **{ours["speedup"]:.0f}×** (goal ≥ {GOAL_SPEEDUP}×: {met})"""
            if "view_speedup" in ours:
                text += f"; against the peer's view: {ours['view_speedup']:.0f}×"
            verdicts.append(text + ".")
    if peer:
        pairs = [
            (ours["slots"], theirs["slots"])
            for database in peer
            if database in stride
            for ours, theirs in zip(
                stride[database]["scaling"], peer[database]["scaling"], strict=True
            )
        ]
        pairs += [
            (stride[database]["base"]["slots"], peer[database]["view"]["slots"])
            for database in peer
            if database in stride and "view" in peer[database]
        ]
        same = all(ours == theirs for ours, theirs in pairs)
        verdicts.append(
            "Both sides found the same free slots in every case: "
            + ("yes." if same else "**NO** — the comparison is not like for like.")
        )
    if _constant_queries(stride):
        verdicts.append("Stride's query count in every case below: **the same** (goal: met).")
    else:
        verdicts.append("Stride's query count in the cases below: **it varies** (goal NOT met).")
    out.append(report.bullets(*verdicts))
    out.append(
        report.paragraph(
            f"""**Does the work grow?** Each row changes one factor from another row: therapists
            at the location, days asked for, or visits booked in the window (the
            {plan.PAST_APPOINTMENTS:,} past visits stay). The first row is the measurement
            above; in the others the time is the median of {_runs(stride, base=False)} calls for
            Stride and a single call for the peer."""
        )
    )
    out.append("Stride:\n\n" + _scaling_table(stride))
    if peer:
        out.append(f"{peer_label}:\n\n" + _scaling_table(peer))
    for note in results["notes"]:
        out.append(report.paragraph(f"Note: {note}"))
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure Stride's slot_list on one database.")
    parser.add_argument("--measure", action="store_true", help="run as the measuring child")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scaling-runs", type=int, default=5)
    args = parser.parse_args()
    if not args.measure:
        parser.error("use `python -m bench availability` for the whole comparison")
    result = measure_stride(
        database_url=args.database_url, runs=args.runs, scaling_runs=args.scaling_runs
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
