"""The front desk's admin: the day's appointments, booking by phone, free times, the schedule.

Every booking, move, cancellation and status change goes through ``clinic.services``; the
admin only collects input, calls the service and shows its ``BookingError`` as a form error
or an admin message. Times are entered and shown in the location's own time zone.

One module per area of the front desk's work:

- ``appointments``: the appointment list and page; ``appointment_actions``: the list's
  status and cancel actions; ``appointment_forms``: booking by phone and moving a visit;
- ``free_times``: the Free times page, reached from the appointment admin;
- ``people``: users, locations, appointment types, therapists, patients;
- ``schedule``: therapists' working hours and time off; ``closures``: holidays;
- ``series``: booking a plan of care as a series of visits; ``waitlist``: the waitlist, the
  times offered from it and what each offer did, and its report;
- ``texts``: texts sent to patients and the replies received;
- ``audit``: the audit trail (read-only), the mixin that audits record pages, the care team
  inline;
- ``common``: what several share (phone search, therapist filter and drop-downs, the
  wording of a booking refusal).

Django's admin discovery imports this package; it imports the modules that register model
admins, so that their ``@admin.register`` runs.
"""

from clinic.admin import (  # noqa: F401
    appointments,
    audit,
    closures,
    people,
    schedule,
    series,
    texts,
    waitlist,
)
