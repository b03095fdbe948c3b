from django.core.management.base import BaseCommand
from django.utils import timezone

from bookings.retention import purge


class Command(BaseCommand):
    help = (
        "Remove what has passed its time: ended sessions and booking drafts, ended waitlist entries, "
        "finished task records, old sign-in records, and bookings and patients past the retention "
        "(BOOKING_RETENTION_YEARS). Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would go, and remove nothing.")

    def handle(self, *args, dry_run, **options):
        counts = purge(now=timezone.now(), dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for kind, count in counts.items():
            self.stdout.write(f"{verb} {count} {kind}")
