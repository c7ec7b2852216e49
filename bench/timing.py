"""Timing and query counting, shared by Stride's side and the peer's driver.

Needs only the standard library and Django, so it runs in both virtualenvs. The query count
comes from the warm-up call; the timed calls run without capturing queries so that neither
side pays for the recording.
"""

import statistics
import time
from collections.abc import Callable

from bench import plan

BASE_CASE = (plan.THERAPISTS, plan.WINDOW_DAYS, plan.WINDOW_APPOINTMENTS)


def measure(call: Callable[[], int], *, runs: int) -> dict:
    """One counted warm-up call, then ``runs`` timed calls; ``call`` returns the slot count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    # The capture keeps at most ``queries_log.maxlen`` (9,000) statements and reads its count
    # from the log's length, so start from an empty log and keep a plain counter alongside.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(count):
        slots = call()
    captured_count = len(captured.captured_queries)
    if captured_count != executed and captured_count < connection.queries_log.maxlen:
        raise RuntimeError(f"query counts disagree: captured {captured_count}, ran {executed}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return {
        "queries": executed,
        "slots": slots,
        "runs": runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
    }


def run_cases(
    *,
    build: Callable[..., None],
    call_for: Callable[[int], Callable[[], int]],
    runs: int,
    scaling_runs: int,
    log: Callable[[str], None],
) -> dict:
    """Build each data set once and measure every case on it.

    ``build(therapists=..., window_appointments=...)`` replaces the schedule in the database;
    ``call_for(days)`` returns the availability work for all therapists over ``days`` days.
    The base case (20 therapists, 28 days, 2,000 visits) gets ``runs`` timed calls, the other
    cases ``scaling_runs``.
    """
    datasets = list(dict.fromkeys((t, a) for t, _, a in plan.SCALING_CASES))
    cases = []
    base = None
    for therapists, appointments in datasets:
        started = time.perf_counter()
        build(therapists=therapists, window_appointments=appointments)
        log(
            f"built {therapists} therapists, {appointments} + {plan.PAST_APPOINTMENTS} visits "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for case in plan.SCALING_CASES:
            if (case[0], case[2]) != (therapists, appointments):
                continue
            is_base = case == BASE_CASE
            result = measure(call_for(case[1]), runs=runs if is_base else scaling_runs)
            result.update(therapists=case[0], days=case[1], appointments=case[2])
            log(
                f"{case[0]} therapists, {case[1]} days, {case[2]} visits: "
                f"{result['median_s'] * 1000:.1f} ms, {result['queries']} queries"
            )
            cases.append(result)
            if is_base:
                base = result
    cases.sort(
        key=lambda r: plan.SCALING_CASES.index((r["therapists"], r["days"], r["appointments"]))
    )
    return {"base": base, "scaling": cases}
