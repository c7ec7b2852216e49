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
  phone through `pg_trgm` GIN indexes on PostgreSQL (migration `clinic.0012_scale_indexes`;
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
