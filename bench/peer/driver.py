"""Availability in django-appointment, measured the way its booking page asks for it.

Runs inside ``var/bench/peer-venv`` (``python -m bench.peer.driver`` from the repository root,
with ``PEER_DATABASE_URL`` set) and prints one JSON document on stdout.

The booking page's "free times" request (``get_available_slots_ajax`` in the package's
``views.py``) computes one staff member's slots for one date with
``appointment.services.get_available_slots_for_staff(date, staff_member, day_of_week,
service=...)``; "all therapists over 28 days" is therefore one call per staff member per day.
The schedule is ``bench/plan.py``'s, mapped onto the package's models: a ``Config`` with a
15-minute slot grid and a 15-minute gap between visits (our buffer), a 45-minute ``Service``,
``StaffMember`` rows with ``WorkingHours`` Monday to Friday 08:00–17:00, and each visit as an
``AppointmentRequest`` with its ``Appointment``.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def _log(message: str) -> None:
    print(f"[bench:peer] {message}", file=sys.stderr, flush=True)


def build(*, therapists: int, window_appointments: int) -> None:
    """Replace everything in the scratch database with the plan's schedule (bulk inserts)."""
    from appointment.models import (
        Appointment,
        AppointmentRequest,
        Config,
        Service,
        StaffMember,
        WorkingHours,
    )
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from bench import plan

    call_command("flush", interactive=False, verbosity=0)
    User = get_user_model()
    Config.objects.create(
        slot_duration=plan.STEP_MIN,
        lead_time=datetime.time(8),
        finish_time=datetime.time(17),
        appointment_buffer_time=0,
        slot_gap_time=plan.BUFFER_MIN,
        default_to_service_duration=True,
    )
    service = Service.objects.create(
        name="Follow-up visit", duration=datetime.timedelta(minutes=plan.DURATION_MIN), price=0
    )
    staff_users = User.objects.bulk_create(
        User(
            username=f"therapist{n:02d}",
            email=f"therapist{n:02d}@bench.example",
            first_name="Therapist",
            last_name=f"Bench{n:02d}",
            is_staff=True,
            password=make_password(None),  # unusable: nobody signs in
        )
        for n in range(therapists)
    )
    staff = StaffMember.objects.bulk_create(StaffMember(user=user) for user in staff_users)
    StaffMember.services_offered.through.objects.bulk_create(
        StaffMember.services_offered.through(staffmember_id=member.pk, service_id=service.pk)
        for member in staff
    )
    # The package numbers days from Sunday = 0; Python from Monday = 0.
    WorkingHours.objects.bulk_create(
        WorkingHours(
            staff_member=member,
            day_of_week=(weekday + 1) % 7,
            start_time=datetime.time(plan.DAY_START_MIN // 60),
            end_time=datetime.time(plan.DAY_END_MIN // 60),
        )
        for member in staff
        for weekday in plan.WORK_WEEKDAYS
    )
    clients = User.objects.bulk_create(
        User(
            username=f"patient{n:03d}",
            email=f"patient{n:03d}@bench.example",
            first_name="Patient",
            last_name=f"Bench{n:03d}",
            password=make_password(None),
        )
        for n in range(plan.PATIENTS)
    )
    upcoming, past = plan.schedule(therapists=therapists, window_appointments=window_appointments)
    visits = upcoming + past
    # bulk_create skips AppointmentRequest.save(), which refuses dates in the past.
    requests = AppointmentRequest.objects.bulk_create(
        (
            AppointmentRequest(
                date=visit.day,
                start_time=visit.start_time,
                end_time=visit.end_time,
                service=service,
                staff_member=staff[visit.therapist],
                id_request=f"bench-request-{n}",
            )
            for n, visit in enumerate(visits)
        ),
        batch_size=500,
    )
    Appointment.objects.bulk_create(
        (
            Appointment(
                client=clients[visit.patient],
                appointment_request=request,
                amount_to_pay=0,
                id_request=f"bench-appointment-{n}",
            )
            for n, (visit, request) in enumerate(zip(visits, requests, strict=True))
        ),
        batch_size=500,
    )


def call_for(days: int):
    """All staff members' free slots over ``days`` days from the window start, per staff-day."""
    from appointment.models import Service, StaffMember
    from appointment.services import get_available_slots_for_staff
    from appointment.utils.db_helpers import get_weekday_num_from_date

    from bench import plan

    staff = list(StaffMember.objects.order_by("pk"))
    service = Service.objects.get()
    dates = [plan.WINDOW_START + datetime.timedelta(days=n) for n in range(days)]

    def call() -> int:
        found = 0
        for member in staff:
            for date in dates:
                day_of_week = get_weekday_num_from_date(date)
                found += len(
                    get_available_slots_for_staff(date, member, day_of_week, service=service)
                )
        return found

    return call


def view_call_for(days: int):
    """The same work through the booking page's view, one request per staff member per day.

    ``get_available_slots_ajax`` is called directly with ``RequestFactory`` requests (no
    middleware, no URL routing); it validates the form (staff member, service), checks the day
    off and the working day, then calls ``get_available_slots_for_staff``.
    """
    from appointment.models import Service, StaffMember
    from appointment.views import get_available_slots_ajax
    from django.test import RequestFactory

    from bench import plan

    factory = RequestFactory()
    staff = list(StaffMember.objects.order_by("pk"))
    service = Service.objects.get()
    dates = [plan.WINDOW_START + datetime.timedelta(days=n) for n in range(days)]

    def call() -> int:
        found = 0
        for member in staff:
            for date in dates:
                request = factory.get(
                    "/appointment/available_slots/",
                    {
                        "selected_date": date.isoformat(),
                        "staff_member": member.pk,
                        "service_id": service.pk,
                    },
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest",
                )
                response = get_available_slots_ajax(request)
                found += len(json.loads(response.content).get("available_slots", []))
        return found

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scaling-runs", type=int, default=1)
    parser.add_argument("--view-runs", type=int, default=1)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import plan, timing

    # The package ships no migrations: migrate Django's own apps first, then create its tables
    # (on PostgreSQL they reference auth_user, which must exist by then).
    call_command("migrate", verbosity=0)
    call_command("migrate", run_syncdb=True, verbosity=0)
    results = timing.run_cases(
        build=build, call_for=call_for, runs=args.runs, scaling_runs=args.scaling_runs, log=_log
    )
    build(therapists=plan.THERAPISTS, window_appointments=plan.WINDOW_APPOINTMENTS)
    results["view"] = timing.measure(view_call_for(plan.WINDOW_DAYS), runs=args.view_runs)
    _log(
        f"through the view: {results['view']['median_s'] * 1000:.1f} ms, "
        f"{results['view']['queries']} queries"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        database_version = cursor.fetchone()[0]
    results.update(
        package="django-appointment",
        package_version=importlib.metadata.version("django-appointment"),
        python=platform.python_version(),
        django=django.get_version(),
        database=connection.vendor,
        database_version=database_version,
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
