"""The prose of the scale section of docs/benchmarks.md (``bench.scale.markdown``): how the
pages are measured, and what was changed for the chain and what is left."""

METHOD = """
**Method.** One child process per database and round runs Stride with `DEBUG=false` and Django's
test client (no server, no network): for each page one warm-up request whose queries are counted
(`CaptureQueriesContext`), then timed requests. Two rounds, small then chain each time, so that
drift and other work on the machine fall on both sides; each figure is the median of both
rounds' timed requests. The admin pages are requested as a clinic admin, the care-plan list and
the schedule as therapist 1 (about 400 patients in the chain, 200 in the small clinic), the intake
list as the front desk, availability anonymously for location 1 (10 therapists in the chain, 2 in
the small clinic) from tomorrow for 28 days. Each surname is shared by 400 patients in both
databases, so a name search finds as many in each and the pages show as many rows: the ratio
measures the tables' size, not the page's length. The phone searches type a patient's number as
"(612) 2xx-xxxx".

- Reminder sweep: in the measuring process, `messaging.reminder_sweep_batches()` queues the due
  reminders and each batch is sent at once through `clinic.tasks.message_send_many` with the file
  SMS backend (no Celery worker, no network); three runs, the reminders deleted after each,
  the median kept. Both databases hold the same 400 visits tomorrow (20 extra therapists at an
  extra location) besides their own visits due tomorrow.
- Booking: "any therapist" at one location, 40 starts an hour apart from the availability
  answer, each for a new patient, through the test client; the CPU time of the measuring
  process (`time.process_time`) per request against that of 200 `GET /api/v1/ping`.
"""

AFTER = """
**What changed for the chain**:

- Texts: an index in the list's order (`-created_at, -id`), an index on `to` for a number, no
  date hierarchy, no count of the whole table and a count of at most 10,001 rows
  (`clinic.pagination.CappedPaginator`: past 10,000 the list says "More than 10000 …"); the
  bodies are no longer searched and the provider's id is matched exactly.
- Searches (`clinic.admin.common`): a term that is a whole phone number is matched exactly in
  E.164 through the index instead of the ordinary search; names, emails and a few digits of a
  phone through `pg_trgm` GIN indexes on PostgreSQL (migration `clinic.0015_scale_indexes`;
  SQLite scans as before).
- Appointments: no date hierarchy, the capped count, `(patient_id, start)` for a searched
  patient's visits. Patients: the same list settings.
- Care plans (`/plans/`): the treatment relationship (`clinic.access.patients_for_care`) is one
  `UNION ALL` of patient ids read through each table's index (with a partial index of a
  therapist's patients over non-cancelled visits) instead of an OR of four `EXISTS` tested
  against every patient.
- Intakes to review: an index in the list's order over the intakes it holds (PostgreSQL), the
  answers and drafts deferred, the capped count, and a partial index for the urgent banner's
  count that every staff page makes.
- Availability: the busy-time query is bounded below as well (`start > window start − 1 day`; a
  visit with its buffer may not last longer, a new check constraint on the appointment type).
"""

# For a row over the goal, what it would take (shown only for the rows that miss it).
OVER_GOAL = {
    "availability": "The chain's location has 10 therapists, the small clinic's 2: the "
    "search computes five times as many slots in Python, and its two queries stay flat "
    "(the busy-time query is now bounded on both sides). The row for one therapist, the same "
    "work on both sides, is within 2×. Meeting it for a whole location would take computing "
    "free starts per therapist lazily (only the days and therapists a page shows) or in SQL "
    "(`generate_series` of starts anti-joined with the busy ranges).",
    "appointments_phone": "The queries take a few milliseconds on both sides; the rest is the "
    "page around the rows: the location filter lists 51 locations against 3. A location "
    "filter that lists only the user's own locations, or a drop-down instead of links, "
    "would take it there.",
    "appointments_name": "As for the phone search: the rows and queries are the same size; "
    "the filters in the side bar grow with the chain.",
    "appointments_all": "As for the phone search: the filters in the side bar grow with the chain.",
    "plans": "Each of the page's four reads of the care relationship is an index-only scan "
    "of the therapist's visits; what is left grows with the therapist's own patients "
    "(about 400 against 200), not with the chain. Caching the relationship's ids per request "
    "would read it once instead of four times.",
    "intakes": "The list reads 50 rows in index order and counts at most 10,001.",
    "texts": "The list reads 100 rows in index order and counts at most 10,001.",
    "patients_name": "The search goes through the trigram indexes and finds as many rows in both.",
    "schedule": "The schedule reads one therapist's week through (therapist, start).",
    "sweep": "The sweep's queries are per location (51 against 3) and per batch.",
    "booking": "The booking reads one day of the location's therapists; 10 against 2.",
}

PEER_BOOKING = """
**Booking side by side with django-appointment: not measured.** The issue asks to drive the
peer's own booking pages (its appointment-request form, then its client-details form, as a
browser posts them) with the same load generator against the same gunicorn and PostgreSQL. The
peer runs only as a library in its own virtualenv (`bench/peer/settings.py` has no URLconf,
middleware, templates or static files: the availability benchmark calls its functions
directly). Serving its pages needs a site of its own around it (URLconf including
`appointment.urls`, sessions, CSRF, messages, its templates and the admin user it emails), a
gunicorn started from that virtualenv, a client that first reads each form for its CSRF token and
session and follows the redirects of its two-step flow, and a double-booking check on its
tables (`appointment_appointment` joined to `appointment_appointmentrequest`). That was not
feasible in this round on a 2-core machine shared with other work; Stride's own booking under
load is section 2 (0 double bookings there), and the peer's availability is section 1.
"""

BOOKING_CPU = """
The test client leaves out gunicorn's own cost per request, so the ping here is cheaper than
under load (section 2 measures the web processes' CPU per request behind gunicorn; the issue's
14× was 16.7 ms against 1.2 ms there; its run of 2026-12-07, on a machine fully busy with
other work, measured 10.1 ms against 0.7 ms, 14× again, with 17 queries per booking where this
round started from 20). What the booking request spends, profiled: about 15 ORM
round trips (the type and location of the form, the day's hours and busy times, the patient
read, the patient's and the visit's inserts, each in a savepoint, the therapist's row lock, the
links), each costing the ORM's query building and the driver's work before any booking rule
runs; then DRF's validation and the model's `full_clean`. This round took out three round trips
(one read for the patient's email and phone, the therapist's name read with its row lock, the
new visit's two links in one insert) and reads only the booked weekday's hours. Reaching 7×
would take the hot path out of the ORM: the slot check, the lock and the insert as a few
prepared SQL statements (the exclusion constraint already refuses a double booking), the type
and location from a per-process cache, and the patient insert without a savepoint
(`INSERT … ON CONFLICT DO NOTHING RETURNING`).
"""
