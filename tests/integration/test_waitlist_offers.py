"""Waitlist offers exactly once, on real PostgreSQL, Redis and Celery workers: two acceptances
at the same moment, an offered time booked online at the same moment, and a worker killed while
it was sending offers."""

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.utils import timezone

from clinic.celery import app as celery_app
from clinic.models import Appointment, Message
from clinic.models_scheduling import WaitlistEntry, WaitlistOffer, WaitlistOpening
from clinic.services import BookingError, appointment_book, appointment_cancel
from clinic.services import waitlist as rules
from clinic.services.replies import inbound_handle
from clinic.services.waitlist import offer_accept, waitlist_join
from tests.factories.clinic import AppointmentFactory, PatientFactory

ROOT = Path(__file__).resolve().parents[2]
CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--pool=prefork"]


def wait_for(predicate, timeout=60.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class WorkerProcess:
    """`celery -A clinic worker` in its own process group, on the test database, texting to a
    file, any hour of the day."""

    def __init__(self, *, broker_url: str, queue: str, outbox: Path, log: Path):
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DATABASE_URL": (
                f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "SMS_BACKEND": "clinic.sms.backends.file.SmsBackend",
            "SMS_FILE_PATH": str(outbox),
            "SMS_QUIET_START_HOUR": "24",
            "SMS_QUIET_END_HOUR": "0",
            "SMS_REDISPATCH_AFTER_SECONDS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [*CELERY_WORKER, "--concurrency=2", "--loglevel=INFO", "--without-gossip"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def sent_numbers(outbox: Path) -> list[str]:
    if not outbox.exists():
        return []
    return [json.loads(line)["to"] for line in outbox.read_text().splitlines() if line]


@pytest.fixture
def always_sending(settings):
    settings.SMS_QUIET_START_HOUR = 24
    settings.SMS_QUIET_END_HOUR = 0


def at_once(*works):
    """Run each callable in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(works))
    results = [None] * len(works)

    def run(i):
        try:
            barrier.wait()
            results[i] = works[i]()
        except Exception as error:  # reported by the test, never lost in a thread
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def visit(setup, day, hour):
    start = datetime.datetime.combine(day, datetime.time(hour), setup["location"].zone)
    return AppointmentFactory(
        therapist=setup["therapist"],
        location=setup["location"],
        appointment_type=setup["type"],
        start=start,
    )


def join(setup, day, n, **kwargs):
    return waitlist_join(
        appointment_type=setup["type"],
        location=setup["location"],
        therapist=setup["therapist"],
        earliest_date=day,
        latest_date=day,
        times_of_day=kwargs.get("times_of_day", []),
        patient=PatientFactory(phone=f"+1612557{n:04d}", sms_consent=True),
    )


def test_two_acceptances_at_once_give_one_booking_and_one_just_taken(
    clinic_setup, next_monday, sms_outbox, celery_worker, always_sending
):
    booked = visit(clinic_setup, next_monday, 10)
    first, second = join(clinic_setup, next_monday, 1), join(clinic_setup, next_monday, 2)
    appointment_cancel(appointment=booked, by_patient=False)  # the worker offers it
    assert wait_for(lambda: WaitlistOffer.objects.count() == 2, timeout=30)
    assert wait_for(lambda: len([s for s in sms_outbox if "opened up" in s["body"]]) == 2)

    replies = at_once(
        lambda: inbound_handle(from_number=str(first.patient.phone), body="Y"),
        lambda: inbound_handle(from_number=str(second.patient.phone), body="Y"),
    )
    assert all(isinstance(r, str) for r in replies), replies
    assert sum("it's yours" in r for r in replies) == 1, replies
    assert sum("just taken" in r for r in replies) == 1, replies
    appointments = Appointment.objects.filter(start=booked.start, status="booked")
    assert appointments.count() == 1
    winner = appointments.get().patient
    assert WaitlistOpening.objects.get().status == WaitlistOpening.Status.FILLED
    assert set(WaitlistOffer.objects.values_list("status", flat=True)) == {"accepted", "taken"}
    loser = second if winner == first.patient else first
    assert WaitlistEntry.objects.get(pk=loser.pk).status == WaitlistEntry.Status.WAITING


def test_many_acceptances_by_link_and_text_at_once_book_once(
    real_services, clinic_setup, next_monday, settings, always_sending
):
    settings.WAITLIST_ROUND_SIZE = 6
    booked = visit(clinic_setup, next_monday, 14)
    waiting = [join(clinic_setup, next_monday, n) for n in range(6)]
    appointment_cancel(appointment=booked, by_patient=False)  # inline: tasks are eager here
    offers = list(WaitlistOffer.objects.order_by("pk"))
    assert len(offers) == 6
    results = at_once(
        *[(lambda offer=offer: offer_accept(offer_id=offer.pk, via="link")[0]) for offer in offers]
    )
    statuses = Counter(r.status for r in results)
    assert statuses == {"accepted": 1, "taken": 5}, results
    assert Appointment.objects.filter(start=booked.start, status="booked").count() == 1
    assert WaitlistEntry.objects.filter(status="booked").count() == 1
    assert len(waiting) == 6


def test_an_offered_time_booked_online_at_the_same_moment_is_never_double_booked(
    real_services, clinic_setup, next_monday, always_sending
):
    for round_ in range(6):
        day = next_monday + datetime.timedelta(days=round_ % 5, weeks=round_ // 5)
        booked = visit(clinic_setup, day, 11)
        entry = join(clinic_setup, day, 100 + round_)
        appointment_cancel(appointment=booked, by_patient=False)
        offer = entry.offers.get()
        online_patient = PatientFactory()
        results = at_once(
            lambda offer=offer: offer_accept(offer_id=offer.pk, via="text")[0],
            lambda start=booked.start, patient=online_patient: appointment_book(
                appointment_type=clinic_setup["type"],
                location=clinic_setup["location"],
                therapist=clinic_setup["therapist"],
                start=start,
                patient=patient,
            ),
        )
        accepted, online = results
        assert not isinstance(accepted, Exception), accepted
        assert Appointment.objects.filter(start=booked.start, status="booked").count() == 1
        if isinstance(online, Appointment):
            assert accepted.status == WaitlistOffer.Status.TAKEN
            assert accepted.message == rules.OFFER_TAKEN
        else:
            assert isinstance(online, BookingError), online
            assert accepted.status == WaitlistOffer.Status.ACCEPTED


# --- A worker killed while it sends offers -----------------------------------------------------

OPENINGS = 30


@pytest.fixture
def many_openings(real_services, clinic_setup, next_monday):
    """OPENINGS cancelled visits on OPENINGS weekdays, each wanted by one entry (that day)."""
    days = [
        next_monday + datetime.timedelta(days=n)
        for n in range(60)
        if (next_monday + datetime.timedelta(days=n)).weekday() < 5
    ][:OPENINGS]
    freed = []
    for n, day in enumerate(days):
        cancelled = visit(clinic_setup, day, 10)
        Appointment.objects.filter(pk=cancelled.pk).update(status="cancelled")
        join(clinic_setup, day, 200 + n, times_of_day=["morning"])
        freed.append((cancelled.therapist_id, cancelled.location_id, cancelled.start.isoformat()))
    return freed


def _other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_offer_sends_each_offer_once(many_openings, tmp_path):
    broker_url = django_settings.REDIS_URL
    queue = f"stride-waitlist-{os.getpid()}-{time.monotonic_ns()}"
    env = {"queue": queue, "outbox": tmp_path / "outbox.jsonl", "log": tmp_path / "worker.log"}

    def send(name, *args):
        with celery_app.connection_for_write(broker_url) as conn:
            celery_app.send_task(name, args=args, queue=queue, connection=conn)

    worker = WorkerProcess(broker_url=broker_url, **env).start()
    try:
        for freed in many_openings:
            send("clinic.tasks.waitlist_time_freed", *freed)
        assert wait_for(lambda: len(sent_numbers(env["outbox"])) >= 5, timeout=60, step=0.01), env[
            "log"
        ].read_text()[-3000:]
        worker.kill()
        assert len(sent_numbers(env["outbox"])) < OPENINGS, "killed too late to matter"
        worker.start()

        def done():
            offers = Message.objects.filter(kind=Message.Kind.WAITLIST_OFFER)
            if (
                WaitlistEntry.objects.exclude(offers__isnull=False).exists()
                or offers.exclude(status="sent").exists()
            ):
                # What a killed worker held is found again by the sweeps, as beat runs them.
                send("clinic.tasks.waitlist_sweep")
                send("clinic.tasks.reminder_sweep")
                return False
            return True

        assert wait_for(done, timeout=120, step=2.0), env["log"].read_text()[-3000:]
        time.sleep(1.0)
        counts = Counter(sent_numbers(env["outbox"]))
        assert {n: c for n, c in counts.items() if c > 1} == {}
        assert len(counts) == OPENINGS
        assert WaitlistOffer.objects.count() == OPENINGS
        assert (
            Counter(WaitlistOffer.objects.values_list("entry", flat=True)).most_common(1)[0][1] == 1
        )
    finally:
        worker.stop()
        assert wait_for(lambda: _other_sessions() == 0, timeout=15)


def test_the_next_round_goes_out_when_offers_lapse_with_a_real_worker(
    clinic_setup, next_monday, settings, sms_outbox, celery_worker, always_sending
):
    settings.WAITLIST_ROUND_SIZE = 1
    booked = visit(clinic_setup, next_monday, 15)
    first, second = join(clinic_setup, next_monday, 301), join(clinic_setup, next_monday, 302)
    appointment_cancel(appointment=booked, by_patient=False)
    assert wait_for(lambda: first.offers.exists(), timeout=30)
    lapsed = first.offers.get()
    WaitlistOffer.objects.filter(pk=lapsed.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    from clinic import tasks

    tasks.waitlist_sweep.delay()
    assert wait_for(lambda: second.offers.filter(opening=lapsed.opening).exists(), timeout=30)
    lapsed.refresh_from_db()
    assert lapsed.status == WaitlistOffer.Status.EXPIRED
    # The first stays on the list (the sweep may offer them another free time), never this one.
    assert first.offers.filter(opening=lapsed.opening).count() == 1
    assert wait_for(
        lambda: (
            {s["to"] for s in sms_outbox if "opened up" in s["body"]}
            == {str(first.patient.phone), str(second.patient.phone)}
        )
    )


# --- A series racing an online booking ---------------------------------------------------------


def test_a_series_racing_an_online_booking_is_booked_whole_or_not_at_all(
    real_services, clinic_setup, next_monday
):
    from clinic.services.series import SeriesError, SeriesPlan, series_book, series_preview

    for attempt in range(4):
        plan = SeriesPlan(
            patient=PatientFactory(),
            appointment_type=clinic_setup["type"],
            location=clinic_setup["location"],
            therapist=clinic_setup["therapist"],
            frequency="weekly",
            weekdays=(attempt,),
            time=datetime.time(9),
            first_date=next_monday,
            count=6,
        )
        starts = [row.start for row in series_preview(plan=plan)]
        contested = starts[3]
        results = at_once(
            lambda plan=plan, starts=starts: series_book(plan=plan, starts=starts),
            lambda start=contested: appointment_book(
                appointment_type=clinic_setup["type"],
                location=clinic_setup["location"],
                therapist=clinic_setup["therapist"],
                start=start,
                patient=PatientFactory(),
            ),
        )
        series, online = results
        assert Appointment.objects.filter(start=contested, status="booked").count() == 1
        booked = Appointment.objects.filter(start__in=starts, patient=plan.patient).count()
        if isinstance(series, SeriesError):
            assert isinstance(online, Appointment) and booked == 0, results
        else:
            assert isinstance(online, BookingError) and booked == 6, results
