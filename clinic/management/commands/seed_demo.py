from django.core.management.base import BaseCommand

from careplans.demo import demo_seed_careplans
from clinic import demo
from intake.demo import demo_seed_intakes


class Command(BaseCommand):
    help = "Load demo data: clinics, staff, hours, visits, intakes, library, plans. Idempotent."

    def handle(self, *args, **options):
        demo.demo_seed_practice()
        demo.demo_seed_schedule()
        demo_seed_intakes()
        demo_seed_careplans()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for who, email in demo.demo_logins():
            self.stdout.write(f"  {who:<13} {email:<32} password: {demo.DEMO_PASSWORD}")
