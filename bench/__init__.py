"""Benchmarks for the booking feature: ``python -m bench`` (or ``make bench``).

Figures go to ``docs/benchmarks.md``. Speed goals live there, never as timed assertions in the
test suite. This package must stay importable without Django: ``bench/plan.py`` is also read by
the peer package's driver, which runs in its own virtualenv.
"""
