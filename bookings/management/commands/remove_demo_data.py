from django.core.management.base import BaseCommand

from bookings.demo import demo_data_remove


class Command(BaseCommand):
    help = "Remove every demo practitioner, their hours and any bookings made with them."

    def handle(self, *args, **options):
        counts = demo_data_remove()
        self.stdout.write(self.style.SUCCESS("Removed " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."))
