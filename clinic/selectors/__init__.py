"""Reads for the practice, one module per sub-domain, all importable from here."""

from clinic.selectors.availability import (
    Slot,
    booking_window,
    schedule_for_start,
    slot_list,
    slot_nearest,
)
from clinic.selectors.catalog import (
    appointment_type_list_online,
    appointment_type_queryset_active,
    location_list_active,
    location_queryset_active,
    therapist_get,
    therapist_list_active,
    therapist_names,
    therapist_works_at,
)
from clinic.selectors.health import HealthReport, health_report
from clinic.selectors.opening_hours import (
    location_is_open,
    location_keeps_hours,
    location_open_intervals,
    location_open_time,
)
from clinic.selectors.schedule import ScheduleWeek, therapist_schedule, therapist_week

__all__ = [
    "HealthReport",
    "ScheduleWeek",
    "Slot",
    "appointment_type_list_online",
    "appointment_type_queryset_active",
    "booking_window",
    "health_report",
    "location_is_open",
    "location_keeps_hours",
    "location_list_active",
    "location_open_intervals",
    "location_open_time",
    "location_queryset_active",
    "schedule_for_start",
    "slot_list",
    "slot_nearest",
    "therapist_get",
    "therapist_list_active",
    "therapist_names",
    "therapist_schedule",
    "therapist_week",
    "therapist_works_at",
]
