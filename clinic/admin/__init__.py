"""The front desk's admin, one module per area; importing this package registers them all."""

from clinic.admin import appointments, free_times, people, schedule, texts  # noqa: F401
