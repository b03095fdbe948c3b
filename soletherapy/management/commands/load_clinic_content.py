from django.core.management.base import BaseCommand

from bookings.content import services_load
from conditions.content import content_load


class Command(BaseCommand):
    help = (
        "Load the clinic's pages, services and clinic record. Safe to run again: existing records are kept as they are."
    )

    def handle(self, *args, **options):
        counts = content_load() | services_load()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Clinic content loaded (new: {summary})."))
