"""``docs/benchmarks.md``: a generated introduction, then one replaceable section per benchmark.

Each section sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` so that a run of
one benchmark rewrites its own section and leaves the others as they were.
"""

import re
import textwrap

from bench import common

SECTIONS = (
    "availability",
    "booking_load",
    "reminder_sweep",
    "page_weight",
    "outcomes",
    "scale",
    "audit_trail",
    "peer_booking",
)

INTRO = """# Benchmarks

Figures for booking, appointment texts, page weight, the outcomes dashboard and the audit trail,
measured by the code in `bench/`. Speed goals live here, never as timed assertions in the test
suite. Each section below is rewritten by its benchmark with the date and the machine it ran on;
compare figures within one run rather than across machines.

## How to run

```sh
make bench                                  # every benchmark (about half an hour)
.venv/bin/python -m bench availability      # only the availability search
.venv/bin/python -m bench load              # only booking under load
.venv/bin/python -m bench sweep             # only the reminder sweep
.venv/bin/python -m bench weight            # only the page weight (needs Chromium)
.venv/bin/python -m bench outcomes          # only the outcomes dashboard at chain scale
.venv/bin/python -m bench scale             # only the chain of 50 clinics against a small one
.venv/bin/python -m bench audit             # only the audit trail at chain scale
.venv/bin/python -m bench peer-booking      # only booking side by side with django-appointment
.venv/bin/python -m bench --help            # runs, load duration, --worker-class, --no-docs, ...
```

- PostgreSQL is expected at `127.0.0.1:5432` as user `postgres` (set `BENCH_POSTGRES_URL` to a
  maintenance-database URL to use another). The benchmarks create and drop their own databases
  (`stride_bench`, `stride_bench_peer`, `stride_bench_load`, `stride_bench_sweep`,
  `stride_bench_outcomes`, `stride_bench_scale_small`, `stride_bench_scale_chain`,
  `stride_bench_audit`, `stride_bench_booking_stride`, `stride_bench_booking_peer`;
  `BENCH_LOAD_DATABASE`, `BENCH_SWEEP_DATABASE`, `BENCH_OUTCOMES_DATABASE`,
  `BENCH_SCALE_DATABASE_PREFIX` and `BENCH_PEER_BOOKING_DATABASE_PREFIX` rename some of them);
  nothing else is touched. Without PostgreSQL the availability benchmark runs on SQLite only and
  the others are skipped. The sweep also needs Redis (`BENCH_REDIS_URL`, default
  `redis://127.0.0.1:6379/0`) and starts its own Celery worker on a queue of its own.
- The first availability run creates `var/bench/peer-venv` (Python 3.11) and installs the peer
  package, django-appointment 3.12.0, from PyPI; later runs reuse it. The booking comparison adds
  the project's gunicorn release to it, to serve the package's pages.
- The page-weight benchmark builds its own SQLite database and collected static files under
  `var/bench/page-weight/` and serves them with gunicorn; it measures bytes, not time.
- The load benchmark starts gunicorn on a free port of 127.0.0.1; its log, with Django's, is kept
  in `var/bench/gunicorn.log` until the next run.
- Each run prints a summary and rewrites this introduction and its own section of this file;
  `--no-docs` leaves the file alone.
- Other work on the machine (test suites, and on a virtual machine the hypervisor's other guests)
  slows every figure. Before each benchmark the run waits up to a minute (`--quiet-wait`) for the
  machine to go quiet, and each section says how busy it was and how much CPU time was stolen.
"""


def _block(name: str, body: str) -> str:
    return f"<!-- bench:{name} -->\n{body.rstrip()}\n<!-- /bench:{name} -->\n"


def _placeholder(name: str) -> str:
    title = {
        "availability": "1. Availability search",
        "booking_load": "2. Booking under load",
        "reminder_sweep": "3. Reminder sweep",
        "page_weight": "4. Page weight",
        "outcomes": "5. Outcomes dashboard",
        "scale": "6. A chain of 50 clinics against a small clinic",
        "audit_trail": "7. The audit trail at chain scale",
        "peer_booking": "8. Booking side by side with the peer",
    }
    return f"## {title[name]}\n\nNot run yet.\n"


def update(name: str, body: str) -> None:
    """Replace (or add) the section ``name`` of docs/benchmarks.md with ``body``."""
    path = common.DOCS_FILE
    text = path.read_text() if path.exists() else ""
    if not text.strip():
        text = INTRO + "".join("\n" + _block(n, _placeholder(n)) for n in SECTIONS)
    else:
        # The introduction is generated too: everything before the first section.
        first = text.find("<!-- bench:")
        text = INTRO + ("\n" + text[first:] if first >= 0 else "")
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->\n.*?<!-- /bench:{re.escape(name)} -->\n", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: _block(name, body), text, count=1)
    else:
        text = text.rstrip() + "\n\n" + _block(name, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def paragraph(text: str) -> str:
    """``text`` with its whitespace collapsed, wrapped at 100 columns, as one paragraph."""
    return textwrap.fill(" ".join(text.split()), width=100, break_on_hyphens=False) + "\n\n"


def bullets(*items: str) -> str:
    """A Markdown list, each item wrapped at 100 columns with a hanging indent."""
    lines = [
        textwrap.fill(
            " ".join(item.split()),
            width=100,
            initial_indent="- ",
            subsequent_indent="  ",
            break_on_hyphens=False,
        )
        for item in items
    ]
    return "\n".join(lines) + "\n\n"


def table(header: list[str], align: str, rows: list[list[str]]) -> str:
    """A Markdown table; ``align`` has one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out) + "\n\n"
