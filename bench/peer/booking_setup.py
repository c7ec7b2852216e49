"""Set up django-appointment's database for the booking comparison; prints the ids as JSON.

Runs inside ``var/bench/peer-venv`` (``python -m bench.peer.booking_setup`` from the repository
root, with ``PEER_DATABASE_URL`` and ``DJANGO_SETTINGS_MODULE=bench.peer.site_settings``). The
practice matches Stride's side of ``bench/peer_booking.py``: one 45-minute free service on a
15-minute grid with 15 minutes between visits, and ``therapists`` staff members working Monday to
Friday 08:00-17:00, with no appointments yet.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def setup(therapists: int) -> dict:
    import django

    django.setup()
    from appointment.models import Config, Service, StaffMember, WorkingHours
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    # The package ships no migrations: Django's own apps first, then its tables.
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    Config.objects.create(
        slot_duration=15,
        lead_time=datetime.time(8),
        finish_time=datetime.time(17),
        appointment_buffer_time=0,
        slot_gap_time=15,
        default_to_service_duration=True,
    )
    service = Service.objects.create(
        name="Follow-up visit", duration=datetime.timedelta(minutes=45), price=0
    )
    User = get_user_model()
    staff = []
    for n in range(therapists):
        user = User.objects.create(
            username=f"therapist{n:02d}",
            email=f"therapist{n:02d}@peer.example",
            first_name="Therapist",
            last_name=f"Peer{n:02d}",
            is_staff=True,
            password=make_password(None),
        )
        member = StaffMember.objects.create(user=user)
        member.services_offered.add(service)
        # The package numbers days from Sunday = 0: Monday to Friday are 1 to 5.
        WorkingHours.objects.bulk_create(
            WorkingHours(
                staff_member=member,
                day_of_week=day,
                start_time=datetime.time(8),
                end_time=datetime.time(17),
            )
            for day in range(1, 6)
        )
        staff.append(member.pk)
    return {"service": service.pk, "staff": staff}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--therapists", type=int, required=True)
    args = parser.parse_args()
    print(json.dumps(setup(args.therapists)))


if __name__ == "__main__":
    main()
