from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from clinic import demo

PRODUCTION_REFUSAL = (
    "seed_demo refuses to run with DJANGO_ENV=production: it creates accounts with a published "
    "password."
)


class Command(BaseCommand):
    help = "Load demo data: clinics, staff, hours, visits, intakes, library, plans. Idempotent."

    def handle(self, *args, **options):
        if settings.DJANGO_ENV == "production":
            raise CommandError(PRODUCTION_REFUSAL)
        # Each app names its own seeding function (``AppConfig.demo_seed``), run in the order of
        # INSTALLED_APPS, the apps' layers: the practice first, then what is built on it.
        for config in apps.get_app_configs():
            if seed := getattr(config, "demo_seed", None):
                import_string(seed)()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for who, email in demo.demo_logins():
            self.stdout.write(f"  {who:<13} {email:<32} password: {demo.DEMO_PASSWORD}")
        self.stdout.write(
            f"  Staff's second factor: add the key {demo.DEMO_TOTP_KEY} to an authenticator app "
            "(clinic admins are always asked; other staff when STAFF_MFA_REQUIRED is on)."
        )
