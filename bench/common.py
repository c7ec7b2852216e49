"""What the benchmarks share: paths, child processes, PostgreSQL scratch databases, statistics
and the description of the machine.

Runs in the project's virtualenv without configuring Django: each measurement happens in a child
process that sets its own database before ``django.setup()``.
"""

import datetime
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var" / "bench"
DOCS_FILE = REPO_ROOT / "docs" / "benchmarks.md"

# The server databases are created and dropped through this maintenance connection.
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


class BenchError(RuntimeError):
    """A benchmark could not run; the message says why."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- Child processes ------------------------------------------------------------------------


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a child that runs Stride: development settings on the given database."""
    env = dict(os.environ)
    for name in ("DJANGO_ENV", "REDIS_URL", "DATABASE_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DATABASE_URL=database_url,
        DEBUG="false",  # DEBUG keeps every SQL statement in memory: not what production does
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO_ROOT),
    )
    env.update(extra)
    return env


def run_json(args: list[str], *, env: dict[str, str], timeout: float, cwd: Path = REPO_ROOT):
    """Run a child that prints one JSON document as its last line of stdout; return it."""
    try:
        done = subprocess.run(
            args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(args[:3])} … took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise BenchError(f"{' '.join(args[:3])} … exited with {done.returncode}:\n{tail}")
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise BenchError(f"{' '.join(args[:3])} … printed nothing")
    return json.loads(lines[-1])


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_url(database: str) -> str:
    parts = urlsplit(POSTGRES_ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin_connection():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)


def postgres_version() -> str | None:
    """The server's version, or None when no PostgreSQL answers."""
    try:
        with _admin_connection() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # no driver, no server, no permission: all mean "skip PostgreSQL"
        return None


def postgres_recreate(database: str) -> str:
    """Drop and create a scratch database; return its URL."""
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return postgres_url(database)


def postgres_drop(database: str) -> None:
    from psycopg import sql

    try:
        with _admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
    except Exception as exc:  # cleanup must not hide the benchmark's own result
        log(f"could not drop database {database}: {exc}")


# --- Statistics -----------------------------------------------------------------------------


def practice(label: str, *, visit_minutes: int, buffer_minutes: int):
    """One location in America/Chicago and one online-bookable visit type, both named after
    ``label``, in the database Django is set up with (call after ``django.setup()``)."""
    from clinic.models import AppointmentType, Location

    slug = label.lower()
    location = Location.objects.create(
        name=f"{label} clinic",
        slug=slug,
        street=f"1 {label} Street",
        city="Minneapolis",
        postal_code="55413",
        short_address=f"1 {label} St",
        phone="+16125550142",
        time_zone="America/Chicago",
    )
    visit_type = AppointmentType.objects.create(
        name="Follow-up visit",
        slug=f"{slug}-follow-up",
        duration_minutes=visit_minutes,
        buffer_after_minutes=buffer_minutes,
        online_bookable=True,
    )
    return location, visit_type


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- The machine ----------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def machine() -> dict:
    import django

    memory = _memory_gib()
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory": f"{memory:.1f} GiB" if memory else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres_version() or "not available",
        "sqlite": sqlite3.sqlite_version,
    }


def cpu_sample() -> list[int]:
    """The aggregate CPU counters from /proc/stat (jiffies since boot), or [] without /proc."""
    try:
        return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return []


@dataclass(frozen=True)
class ProcessCpu:
    """One live process's CPU time so far, from /proc/PID/stat."""

    pid: int
    ppid: int
    group: int  # process group
    name: str
    seconds: float  # its own user and system time
    seconds_with_children: float  # plus that of its children that exited and were reaped


def process_cpu_list() -> list[ProcessCpu]:
    """Every live process's CPU time; processes that exit while being read are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = [int(n) for n in fields[11:15]]  # utime, stime, cutime, cstime
        found.append(
            ProcessCpu(
                pid=int(entry.name),
                ppid=int(fields[1]),
                group=int(fields[2]),
                name=stat[stat.index("(") + 1 : stat.rindex(")")],
                seconds=sum(ticks[:2]) / tick,
                seconds_with_children=sum(ticks) / tick,
            )
        )
    return found


def cpu_between(before: list[int], after: list[int]) -> dict | None:
    """Between two samples: cores kept busy, and the share of time the hypervisor stole.

    The fields are user, nice, system, idle, iowait, irq, softirq, steal, ... On a virtual
    machine "steal" is time its cores wanted to run but the host gave to someone else: every
    figure measured then is slower than the machine really is.
    """
    if len(before) < 8 or len(after) < 8:
        return None
    delta = [a - b for a, b in zip(after[:8], before[:8], strict=True)]
    total = sum(delta)
    if total <= 0:
        return None
    busy = delta[0] + delta[1] + delta[2] + delta[5] + delta[6]
    return {"busy_cores": busy / total * (os.cpu_count() or 1), "steal": delta[7] / total}


def idle_check(seconds: float = 2.0) -> dict | None:
    """What the machine does before a benchmark starts: busy cores and steal, over a sample."""
    before = cpu_sample()
    time.sleep(seconds)
    return cpu_between(before, cpu_sample())


def wait_until_quiet(limit: float, *, busy: float = 0.2) -> None:
    """Wait up to ``limit`` seconds for other work to leave the cores (below ``busy`` cores)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        check = idle_check(2.0)
        if check is None or check["busy_cores"] < busy:
            return
        log(f"waiting for a quiet machine: {check['busy_cores']:.2f} cores busy with other work")
        time.sleep(min(8.0, max(0.0, deadline - time.monotonic())))
    log("the machine did not become quiet; measuring anyway (see 'other work' in the report)")


def busy_cores(seconds: float = 2.0) -> float | None:
    """How many cores other work kept busy over a short sample: the benchmark has not started."""
    check = idle_check(seconds)
    return check["busy_cores"] if check else None


def load_average() -> float:
    """The 1-minute load average (it lags: a run just before still shows in it)."""
    return os.getloadavg()[0]


def machine_markdown(
    info: dict,
    *,
    busy_before: float | None = None,
    load_before: float | None = None,
    cpu_before: dict | None = None,
    cpu_during: dict | None = None,
) -> str:
    """The machine's bullet points, with how busy it was before and during the run if known."""
    text = (
        f"- Date: {info['date']}\n"
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} memory, {info['os']}\n"
        f"- Software: Python {info['python']}, Django {info['django']}, "
        f"PostgreSQL {info['postgresql']}, SQLite {info['sqlite']}\n"
    )
    if load_before is not None:
        text += f"- 1-minute load average when the run started: {load_before:.2f}\n"
    if cpu_before is not None:
        busy_before = cpu_before["busy_cores"]
    if busy_before is not None:
        text += (
            f"- Other work on the machine just before the run: {busy_before:.2f} of "
            f"{info['cores']} cores busy (2-second sample)\n"
        )
    if cpu_during is not None:
        text += (
            f"- CPU time stolen by the hypervisor during the run: {cpu_during['steal']:.0%} "
            "(on a virtual machine, time its cores waited for the host)\n"
        )
    return text
