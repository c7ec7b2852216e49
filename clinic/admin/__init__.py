"""The front desk's admin: the day's appointments, booking by phone, free times, the schedule.

Every booking, move, cancellation and status change goes through ``clinic.services``; the
admin only collects input, calls the service and shows its ``BookingError`` as a form error
or an admin message. Times are entered and shown in the location's own time zone.

One module per area of the front desk's work, each registering its own model admins:

- ``appointments``: the appointment list and page, the status and cancel actions;
  ``appointment_forms``: its forms for booking by phone and moving a visit;
- ``free_times``: the Free times page, reached from the appointment admin;
- ``people``: users, locations, appointment types, therapists, patients;
- ``schedule``: therapists' working hours and time off;
- ``texts``: texts sent to patients and the replies received;
- ``common``: what several of them share (phone search, therapist names, booking errors).

Django's admin discovery imports this package; importing the modules here registers them.
"""

from clinic.admin import appointments, free_times, people, schedule, texts  # noqa: F401
