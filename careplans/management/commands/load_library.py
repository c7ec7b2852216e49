from django.core.management.base import BaseCommand, CommandError

from careplans.library import library_load
from careplans.library_file import LibraryError


class Command(BaseCommand):
    help = (
        "Load the exercise library and plan templates from careplans/library.yaml (or --file) "
        "into the database. Checks the whole file first; safe to run again. Run after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="another library file, e.g. to try out changes")

    def handle(self, *args, **options):
        try:
            result = library_load(options["file"])
        except LibraryError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(self.style.SUCCESS("Exercise library loaded:"))
        for line in result.summary():
            self.stdout.write(f"  {line}")
