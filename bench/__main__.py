"""``python -m bench [availability|load|sweep|weight|outcomes|scale|audit|peer-booking|all]``:
run the benchmarks, print a summary and rewrite their sections of docs/benchmarks.md."""

import argparse
import json
import sys
import time

from bench import (
    audit_trail,
    availability,
    booking_load,
    common,
    outcomes,
    page_weight,
    peer_booking,
    reminder_sweep,
    report,
    scale,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "which",
        nargs="?",
        choices=[
            "all",
            "availability",
            "load",
            "sweep",
            "weight",
            "outcomes",
            "scale",
            "audit",
            "peer-booking",
        ],
        default="all",
        help="which benchmark to run (default: all)",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed availability calls per side")
    parser.add_argument(
        "--scaling-runs", type=int, default=5, help="timed Stride calls per scaling case"
    )
    parser.add_argument(
        "--peer-scaling-runs", type=int, default=1, help="timed peer calls per scaling case"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip django-appointment")
    parser.add_argument("--no-postgres", action="store_true", help="availability on SQLite only")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="seconds per load phase (default 15)"
    )
    parser.add_argument("--clients", type=int, default=booking_load.CLIENTS)
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default=booking_load.WORKER_CLASS,
        help=f"gunicorn worker class (default {booking_load.WORKER_CLASS})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=booking_load.THREADS_PER_WORKER,
        help=f"threads per gthread worker (default {booking_load.THREADS_PER_WORKER})",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="before each benchmark, wait up to this many seconds for other work on the "
        "machine to stop (default 60; 0 to start at once)",
    )
    parser.add_argument(
        "--scale-runs", type=int, default=scale.RUNS, help="timed requests per page and database"
    )
    parser.add_argument(
        "--keep-scale-databases",
        action="store_true",
        help="leave the scale benchmark's two databases in place for a look afterwards",
    )
    parser.add_argument(
        "--booking-window",
        type=float,
        default=peer_booking.WINDOW,
        help="peer-booking: seconds counted per side (default %(default).0f)",
    )
    parser.add_argument(
        "--booking-ramp",
        type=float,
        default=peer_booking.RAMP,
        help="peer-booking: seconds of booking load before the window (default %(default).0f)",
    )
    parser.add_argument(
        "--audit-events",
        type=int,
        default=audit_trail.EVENTS,
        help=f"events in the audit trail benchmark (default {audit_trail.EVENTS:,})",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    args = parser.parse_args(argv)

    machine = common.machine()
    lines: list[str] = []
    failed = False
    started = time.monotonic()

    runs = {
        # name: (label, module, how to run it)
        "availability": (
            "availability",
            availability,
            lambda: availability.run(
                runs=args.runs,
                scaling_runs=args.scaling_runs,
                peer_runs=args.runs,
                peer_scaling_runs=args.peer_scaling_runs,
                postgres=not args.no_postgres,
                peer=not args.no_peer,
            ),
        ),
        "load": (
            "booking under load",
            booking_load,
            lambda: booking_load.run(
                duration=args.duration,
                clients=args.clients,
                worker_class=args.worker_class,
                threads=args.threads,
            ),
        ),
        "sweep": ("reminder sweep", reminder_sweep, reminder_sweep.run),
        "weight": ("page weight", page_weight, page_weight.run),
        "outcomes": ("outcomes dashboard", outcomes, outcomes.run),
        "scale": (
            "scale",
            scale,
            lambda: scale.run(runs=args.scale_runs, keep=args.keep_scale_databases),
        ),
        "audit": (
            "audit trail",
            audit_trail,
            lambda: audit_trail.run(events=args.audit_events),
        ),
        "peer-booking": (
            "booking side by side with the peer",
            peer_booking,
            lambda: peer_booking.run(
                duration=args.booking_window,
                ramp=args.booking_ramp,
                clients=args.clients,
                worker_class=args.worker_class,
                threads=args.threads,
            ),
        ),
    }
    for name, (label, module, run) in runs.items():
        if args.which not in ("all", name):
            continue
        common.wait_until_quiet(args.quiet_wait)
        try:
            results = run()
        except common.BenchError as exc:
            lines.append(f"{label}: not run: {exc}")
            failed = True
            continue
        section = module.__name__.removeprefix("bench.")
        lines += module.summary(results)
        if args.json:
            print(json.dumps({section: results}, indent=2))
        if not args.no_docs:
            report.update(section, module.markdown(results, machine))

    print()
    print(f"Benchmarks ({time.monotonic() - started:.0f} s)")
    for line in lines:
        print(f"  {line}")
    if not args.no_docs:
        print(f"  figures: {common.DOCS_FILE.relative_to(common.REPO_ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
