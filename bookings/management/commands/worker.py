from django.core.management import call_command
from django.core.management.base import BaseCommand

from bookings.tasks import schedule_sweep


class Command(BaseCommand):
    help = (
        "Run the task worker: it sends booking emails and reminders, retries what a mail server "
        "refused, and sweeps up emails whose task was lost. Run one or more beside the web server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every task due now, then exit.")
        parser.add_argument("--interval", type=float, default=1, help="Seconds between looks for new tasks.")
        parser.add_argument("--reload", action="store_true", help="Restart when the code changes (development).")

    def handle(self, *args, batch, interval, reload, **options):
        schedule_sweep()
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=reload,
            startup_delay=not batch,
            verbosity=options["verbosity"],
        )
