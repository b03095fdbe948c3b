from django.core.management.base import BaseCommand

from bookings.demo import demo_schedule_load


class Command(BaseCommand):
    help = "Add a demo practitioner with weekly hours (marked as demo data) if there is none yet."

    def handle(self, *args, **options):
        if demo_schedule_load():
            self.stdout.write(self.style.SUCCESS("Demo practitioner and weekly hours added."))
        else:
            self.stdout.write("Demo schedule already present (or no clinic location yet); nothing changed.")
