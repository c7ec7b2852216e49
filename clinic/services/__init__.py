"""Writes for the practice, one module per sub-domain, all importable from here."""

from clinic.services.booker import PatientDetails, patient_match_or_create
from clinic.services.booking import (
    BookingError,
    appointment_book,
    appointment_cancel,
    appointment_change_allowed,
    appointment_mark,
    appointment_reschedule,
)
from clinic.services.system import heartbeat_record

__all__ = [
    "BookingError",
    "PatientDetails",
    "appointment_book",
    "appointment_cancel",
    "appointment_change_allowed",
    "appointment_mark",
    "appointment_reschedule",
    "heartbeat_record",
    "patient_match_or_create",
]
