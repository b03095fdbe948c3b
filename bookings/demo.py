"""A demo practitioner with weekly hours, so a new user can book straight after `make run`.

Everything made here is marked as demo data and removed by `manage.py remove_demo_data`.
"""

from datetime import time

from django.db import transaction

from bookings.models import Booking, Location, OpeningHours, Practitioner, Service, Weekday, WorkingHours

DEMO_NAME = "Demo Podiatrist"
WEEKDAY_HOURS = [(time(8, 30), time(12, 30)), (time(13, 30), time(17, 30))]
SATURDAY_HOURS = [(time(8, 30), time(12, 30))]


@transaction.atomic
def demo_schedule_load() -> bool:
    """Create the demo practitioner if there is none; True when something was created."""
    location = Location.objects.active().first()
    if location is None or Practitioner.objects.filter(is_demo=True).exists():
        return False
    practitioner = Practitioner.objects.create(
        name=DEMO_NAME,
        profession="Podiatrist",
        bio="A stand-in practitioner so the booking pages can be tried out. Replace with the clinic's real team.",
        is_demo=True,
    )
    practitioner.services.set(Service.objects.all())
    practitioner.locations.add(location)
    weekly = dict.fromkeys(range(Weekday.MONDAY, Weekday.SATURDAY), WEEKDAY_HOURS) | {Weekday.SATURDAY: SATURDAY_HOURS}
    # Row by row rather than bulk_create, so the cached pages and free times hear of each.
    for day, ranges in weekly.items():
        for start, end in ranges:
            WorkingHours.objects.create(practitioner=practitioner, location=location, weekday=day, start=start, end=end)
    if not location.opening_hours.exists():
        for day, ranges in weekly.items():
            OpeningHours.objects.create(location=location, weekday=day, opens=ranges[0][0], closes=ranges[-1][1])
    return True


@transaction.atomic
def demo_data_remove() -> dict[str, int]:
    demo = Practitioner.objects.filter(is_demo=True)
    bookings, _ = Booking.objects.filter(practitioner__in=demo).delete()
    removed, _ = demo.delete()
    return {"bookings": bookings, "practitioners and their hours": removed}
