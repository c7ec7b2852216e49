# ruff: noqa: S608  (every value in this SQL is a constant of this module, none is typed by anyone)
"""The two practices of the scale benchmark, written with set-based SQL (``INSERT … SELECT``
over ``generate_series``) into a migrated PostgreSQL database.

Every row is a function of its number and of the day the run starts, so two runs on the same
day build the same data. Each therapist works at one location, Monday–Friday 08:00–17:00
America/Chicago; visits are 45 minutes with a 15-minute buffer on a fixed pattern of daily
starts, spread evenly over ``DAYS`` days that end about three months from today. Each patient
belongs to one therapist and sees them on several of those visits. Intakes, care plans and
texts hang off the visits and patients in the same regular way.
"""

import dataclasses
import math

ZONE = "America/Chicago"
DAYS = 1095  # three years of history and future together
FUTURE_DAYS = 90  # of which this many lie ahead of today
TODAY = f"(now() AT TIME ZONE '{ZONE}')::date"  # the clinics' local date
SWEEP_THERAPISTS = 20  # extra therapists whose visits tomorrow make the reminder sweep's load
SWEEP_VISITS_EACH = 20  # 15-minute visits each, so the sweep has the same work in both

FIRST_NAMES = [
    "Ava", "Ben", "Cara", "Dev", "Ella", "Finn", "Gia", "Hugo", "Iris", "Jon",
    "Kai", "Lena", "Milo", "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tess",
    "Uma", "Vic", "Wren", "Xavi", "Yara", "Zane", "Amir", "Bea", "Cole", "Dina",
    "Eli", "Faye", "Gus", "Hana", "Ivan", "June", "Kurt", "Lila", "Max", "Nell",
]  # fmt: skip
SURNAME_HEADS = [
    "Abel", "Brand", "Carl", "Dahl", "Eng", "Fisk", "Gund", "Hag", "Iver", "Jens",
    "Kvist", "Lind", "Mork", "Nyg", "Ols", "Pett", "Quall", "Ros", "Sand", "Tor",
    "Ulf", "Vang", "Wick", "Yost", "Zell",
]  # fmt: skip
SURNAME_TAILS = [
    "son", "berg", "strom", "quist", "dahl", "gren", "holm", "lund", "man", "ley",
    "wood", "field", "ford", "hart", "wick", "ton", "by", "er", "sen", "stad",
]  # fmt: skip
SHARED_SURNAME = 400
SEARCHED_SURNAME = SURNAME_HEADS[0] + SURNAME_TAILS[1]  # one of every practice's surnames


@dataclasses.dataclass(frozen=True)
class Size:
    label: str
    locations: int
    therapists: int
    patients: int
    appointments: int
    intakes: int
    care_plans: int
    texts: int

    @property
    def per_therapist(self) -> int:
        return self.appointments // self.therapists

    @property
    def per_day(self) -> int:
        """Visits a therapist has on a day with visits (the busiest pattern that fits)."""
        return max(1, math.ceil(self.per_therapist / DAYS))


CHAIN = Size("chain", 50, 500, 200_000, 1_000_000, 150_000, 30_000, 300_000)
SMALL = Size("small", 2, 4, 800, 3_000, 450, 90, 900)

# The passwordless staff the measurements log in as (force_login; nobody can sign in).
ADMIN_EMAIL = "admin@scale.example"
DESK_EMAIL = "desk@scale.example"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def statements(size: Size) -> list[tuple[str, str]]:
    """(what, SQL) in order. Ids are assigned explicitly; sequences are reset at the end."""
    s = size
    staff = s.therapists + SWEEP_THERAPISTS
    first = f"({TODAY} - {DAYS - FUTURE_DAYS})"
    pattern_days = math.ceil(s.per_therapist / s.per_day)
    patients_each = s.patients // s.therapists
    # SHARED_SURNAME patients to a surname in both practices (so a name search finds as many
    # in each and the comparison is of the table's size, not of the page's length).
    surnames = max(1, min(len(SURNAME_HEADS) * len(SURNAME_TAILS), s.patients // SHARED_SURNAME))
    surname = (
        f"({_array(SURNAME_HEADS)})[1 + ((g * 31) % {surnames}) / {len(SURNAME_TAILS)}]"
        f" || ({_array(SURNAME_TAILS)})[1 + ((g * 31) % {surnames}) % {len(SURNAME_TAILS)}]"
    )
    phone = "'+1612' || (2000000 + g)::text"
    out = [
        (
            "locations",
            f"""INSERT INTO clinic_location (id, name, slug, street, city, state, postal_code,
                short_address, phone, time_zone, is_active)
            SELECT g, 'Clinic ' || g, 'clinic-' || g, g || ' Main St', 'Minneapolis', 'MN',
                '55401', g || ' Main St', '+16125550' || lpad(g::text, 3, '0'), '{ZONE}', true
            FROM generate_series(1, {s.locations + 1}) g""",
        ),
        (
            "appointment types",
            """INSERT INTO clinic_appointmenttype (id, name, slug, description, duration_minutes,
                buffer_after_minutes, mode, online_bookable, needs_intake, price_cents,
                sort_order, is_active)
            VALUES (1, 'Follow-up visit', 'follow-up', '', 45, 15, 'in_person', true, true,
                0, 1, true),
                (2, 'Check-in call', 'check-in', '', 15, 0, 'phone', false, false, 0, 2, true)""",
        ),
        (
            "users",
            f"""INSERT INTO clinic_user (id, password, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, role)
            SELECT g, '!', false, ({_array(FIRST_NAMES)})[1 + g % 40], 'Therapist' || g, true,
                true, now(), 'therapist' || g || '@scale.example', 'therapist'
            FROM generate_series(1, {staff}) g
            UNION ALL SELECT {staff + 1}, '!', true, 'Ada', 'Admin', true, true, now(),
                '{ADMIN_EMAIL}', 'admin'
            UNION ALL SELECT {staff + 2}, '!', false, 'Dee', 'Desk', true, true, now(),
                '{DESK_EMAIL}', 'front_desk'""",
        ),
        (
            "therapists",
            f"""INSERT INTO clinic_therapist (id, credentials, bio, is_active, user_id)
            SELECT g, 'PT, DPT', '', g <= {s.therapists}, g FROM generate_series(1, {staff}) g;
            INSERT INTO clinic_therapist_locations (id, therapist_id, location_id)
            SELECT g, g, CASE WHEN g <= {s.therapists} THEN 1 + (g - 1) % {s.locations}
                ELSE {s.locations + 1} END
            FROM generate_series(1, {staff}) g;
            INSERT INTO clinic_workinghours (id, weekday, start_time, end_time, location_id,
                therapist_id)
            SELECT (t - 1) * 5 + d + 1, d, '08:00', '17:00', 1 + (t - 1) % {s.locations}, t
            FROM generate_series(1, {s.therapists}) t, generate_series(0, 4) d""",
        ),
        (
            "patients",
            f"""INSERT INTO clinic_patient (id, first_name, last_name, email, phone, date_of_birth,
                sms_consent, sms_consent_at, created_at, updated_at)
            SELECT g, ({_array(FIRST_NAMES)})[1 + (g * 7) % 40], {surname},
                'patient' || g || '@mail.example', {phone},
                date '1945-01-01' + (g * 37) % 25000, true, now() - interval '4 years',
                now() - interval '4 years', now() - interval '4 years'
            FROM generate_series(1, {s.patients}) g""",
        ),
        (
            "appointments",
            # Visit n: therapist 1 + n % T, its k-th visit (k = n / T) on pattern day
            # k / per_day, stretched over DAYS days; starts at 09:00 and 12:00 local.
            f"""INSERT INTO clinic_appointment (id, start, "end", blocked_until, status, source,
                reason_for_visit, cancellation_reason, cancelled_at, created_at, updated_at,
                location_id, patient_id, therapist_id, appointment_type_id, scheduled_at,
                booked_email, booked_first_name, booked_last_name, booked_phone)
            SELECT n + 1, v.start, v.start + interval '45 minutes',
                v.start + interval '60 minutes',
                CASE WHEN (n / {s.therapists}) % 20 = 0 THEN 'cancelled'
                     WHEN v.start > now() THEN 'booked'
                     WHEN (n / {s.therapists}) % 20 = 1 THEN 'no_show' ELSE 'completed' END,
                CASE WHEN n % 3 = 0 THEN 'front_desk' ELSE 'online' END, '', '',
                CASE WHEN (n / {s.therapists}) % 20 = 0 THEN v.start - interval '2 days' END,
                v.start - interval '14 days', v.start - interval '14 days',
                1 + (n % {s.therapists}) % {s.locations},
                1 + n % {s.therapists} + {s.therapists} * ((n / {s.therapists}) % {patients_each}),
                1 + n % {s.therapists}, 1, v.start - interval '14 days', '', '', '', ''
            FROM generate_series(0, {s.appointments - 1}) n,
            LATERAL (SELECT (({first} + ((n / {s.therapists}) / {s.per_day})
                    * {DAYS} / {pattern_days}) + time '09:00'
                    + ((n / {s.therapists}) % {s.per_day}) * interval '3 hours')
                    AT TIME ZONE '{ZONE}' AS start) v""",
        ),
        (
            "visits for the reminder sweep",
            f"""INSERT INTO clinic_appointment (id, start, "end", blocked_until, status, source,
                reason_for_visit, cancellation_reason, created_at, updated_at, location_id,
                patient_id, therapist_id, appointment_type_id, scheduled_at, booked_email,
                booked_first_name, booked_last_name, booked_phone)
            SELECT {s.appointments} + g + 1, v.start, v.start + interval '15 minutes',
                v.start + interval '15 minutes', 'booked', 'front_desk', '', '',
                now() - interval '3 days', now() - interval '3 days', {s.locations + 1},
                1 + g % {s.patients}, {s.therapists} + 1 + g / {SWEEP_VISITS_EACH}, 2,
                now() - interval '3 days', '', '', '', ''
            FROM generate_series(0, {SWEEP_THERAPISTS * SWEEP_VISITS_EACH - 1}) g,
            LATERAL (SELECT (({TODAY} + 1) + time '07:00'
                    + (g % {SWEEP_VISITS_EACH}) * interval '15 minutes')
                    AT TIME ZONE '{ZONE}' AS start) v""",
        ),
        (
            "intakes",
            # One submitted intake for every (appointments / intakes)-th visit, about two days
            # before it; answers of a realistic size; one in 50 urgent, a few not acknowledged.
            f"""INSERT INTO intake_intakeassessment (id, status, answers, drafts, current_step,
                started_at, updated_at, submitted_at, nprs_now, nprs_best, nprs_worst,
                odi_percent, odi_band, start_back_total, start_back_psychosocial,
                start_back_risk, psfs_mean, red_flags, is_urgent, urgent_acknowledged_at,
                appointment_id, patient_id, urgent_since, reviewed_at)
            SELECT j, 'submitted', jsonb_build_object(
                    'pain', jsonb_build_object('now', j % 10, 'best', j % 4, 'worst', 6 + j % 4,
                        'where', 'lower back, left side', 'onset_date', '2024-03-01',
                        'story', repeat('Started after lifting boxes at work. ', 12)),
                    'odi', (SELECT jsonb_agg((j + x) % 5) FROM generate_series(1, 10) x),
                    'start_back', (SELECT jsonb_agg((j + x) % 2 = 0)
                        FROM generate_series(1, 9) x),
                    'psfs', jsonb_build_array(
                        jsonb_build_object('activity', 'Gardening', 'score', j % 10),
                        jsonb_build_object('activity', 'Running', 'score', (j + 3) % 10)),
                    'history', repeat('No previous surgery; takes ibuprofen as needed. ', 20)),
                '{{}}', 'review', a.start - interval '3 days', a.start - interval '2 days',
                a.start - interval '2 days', j % 10, j % 4, 6 + j % 4, (j % 70)::float,
                CASE WHEN j % 70 < 20 THEN 'minimal' WHEN j % 70 < 40 THEN 'moderate'
                     ELSE 'severe' END, j % 9, j % 5,
                CASE WHEN j % 9 < 4 THEN 'low' WHEN j % 9 < 7 THEN 'medium' ELSE 'high' END,
                (j % 10)::float, '[]', j % 50 = 0,
                CASE WHEN j % 50 = 0 AND j % 1000 <> 0
                     THEN a.start - interval '2 days' + interval '1 hour' END,
                a.id, a.patient_id,
                CASE WHEN j % 50 = 0 THEN a.start - interval '2 days' END,
                CASE WHEN a.start < now() THEN a.start END
            FROM generate_series(1, {s.intakes}) j
            JOIN clinic_appointment a
              ON a.id = 1 + ((j - 1)::bigint * {s.appointments}) / {s.intakes}""",
        ),
        (
            "care plans",
            # Plan j for every (patients / plans)-th patient, by the patient's own therapist.
            f"""INSERT INTO careplans_careplan (id, title, goals, start_date, review_date, status,
                lineage, version, published_at, created_at, updated_at, author_id, patient_id)
            SELECT j, 'Low back: strength and mobility', 'Walk 30 minutes without pain.',
                {TODAY} - (j % 300), {TODAY} - (j % 300) + 42,
                CASE WHEN j % 10 = 0 THEN 'draft' WHEN j % 10 = 1 THEN 'completed'
                     ELSE 'active' END,
                md5('plan' || j)::uuid, 1,
                CASE WHEN j % 10 <> 0 THEN now() - (j % 300) * interval '1 day' END,
                now() - (j % 300) * interval '1 day', now() - (j % 300) * interval '1 day',
                1 + (p - 1) % {s.therapists}, p
            FROM generate_series(1, {s.care_plans}) j,
            LATERAL (SELECT 1 + ((j - 1)::bigint * {s.patients}) / {s.care_plans} AS p) q""",
        ),
        (
            "texts",
            # Texts about past visits picked by a multiplicative hash, so they spread over
            # the years: mostly reminders and confirmations, delivered.
            f"""INSERT INTO clinic_message (id, kind, channel, dedupe_key, about_start, "to", body,
                status, skip_reason, provider_id, error_code, error_text, attempts,
                created_at, updated_at, sent_at, delivered_at, appointment_id, patient_id)
            SELECT row_number() OVER (ORDER BY a.id),
                CASE WHEN a.id % 3 = 0 THEN 'confirmation' ELSE 'reminder' END, 'sms',
                'scale-' || a.id, a.start, p.phone,
                'Clinic reminder: your visit is on ' || to_char(a.start, 'Mon DD') ||
                    ' at 9:00 AM. Reply C to confirm or R to reschedule. Reply STOP to opt out.',
                CASE WHEN a.id % 40 = 0 THEN 'failed' ELSE 'delivered' END, '',
                'SM' || md5('text' || a.id), '', '', 1,
                a.start - interval '1 day', a.start - interval '1 day',
                a.start - interval '1 day', a.start - interval '1 day' + interval '3 seconds',
                a.id, a.patient_id
            FROM (SELECT id, start, patient_id FROM clinic_appointment
                  WHERE start < now() - interval '1 day' AND id <= {s.appointments}
                  ORDER BY (id * 2654435761) % 4294967296 LIMIT {s.texts}) a
            JOIN clinic_patient p ON p.id = a.patient_id""",
        ),
    ]
    for table in (
        "clinic_location",
        "clinic_appointmenttype",
        "clinic_user",
        "clinic_therapist",
        "clinic_therapist_locations",
        "clinic_workinghours",
        "clinic_patient",
        "clinic_appointment",
        "intake_intakeassessment",
        "careplans_careplan",
        "clinic_message",
    ):
        out.append(
            (
                f"sequence of {table}",
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))",
            )
        )
    # Statistics and the visibility map, as autovacuum keeps them in a database that has run
    # for years (index-only scans need the map).
    out.append(("vacuum and statistics", "VACUUM (ANALYZE)"))
    return out


def build(database_url: str, size: Size, log) -> dict:
    """Run the statements on a migrated database; return seconds per step."""
    import time

    import psycopg

    timings = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        for what, sql in statements(size):
            started = time.monotonic()
            conn.execute(sql)
            timings[what] = time.monotonic() - started
            if timings[what] > 2:
                log(f"{size.label}: {what} in {timings[what]:.0f} s")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "clinic_patient",
                "clinic_appointment",
                "intake_intakeassessment",
                "careplans_careplan",
                "clinic_message",
            )
        }
    return {"seconds": timings, "counts": counts}
