"""Small helpers that create model rows for tests, with dull defaults that each test overrides."""

import itertools
from datetime import time

from bookings.models import Booking, BookingStatus, Location, Patient, Practitioner, Service, WorkingHours

EVERY_DAY = range(7)
_numbers = itertools.count(1)


def make_location(**fields) -> Location:
    number = next(_numbers)
    defaults = {
        "name": f"Test Clinic {number}",
        "slug": f"test-clinic-{number}",
        "street_address": "1 Test Street",
        "suburb": "Sydney",
        "state": "NSW",
        "postcode": "2000",
        "phone": "+61255501234",
        "email": "clinic@example.com",
        "time_zone": "Australia/Sydney",
    }
    return Location.objects.create(**defaults | fields)


def make_service(**fields) -> Service:
    number = next(_numbers)
    defaults = {"name": f"Test Service {number}", "slug": f"test-service-{number}", "duration_minutes": 60}
    return Service.objects.create(**defaults | fields)


def make_practitioner(*, services=(), locations=(), **fields) -> Practitioner:
    practitioner = Practitioner.objects.create(**{"name": f"Practitioner {next(_numbers)}"} | fields)
    practitioner.services.add(*services)
    practitioner.locations.add(*locations)
    return practitioner


def make_hours(practitioner, location, *ranges, weekdays=EVERY_DAY, effective_from=None, effective_to=None):
    """Working hours on each of `weekdays`, one row per range such as "09:00-12:30"."""
    rows = []
    for weekday in weekdays:
        for text in ranges:
            start, end = (time.fromisoformat(part) for part in text.split("-"))
            rows.append(
                WorkingHours(
                    practitioner=practitioner,
                    location=location,
                    weekday=weekday,
                    start=start,
                    end=end,
                    effective_from=effective_from,
                    effective_to=effective_to,
                )
            )
    return WorkingHours.objects.bulk_create(rows)


def make_patient(**fields) -> Patient:
    number = next(_numbers)
    defaults = {
        "given_name": "Test",
        "family_name": f"Patient {number}",
        "email": f"patient{number}@example.com",
        "phone": "+61491570006",
    }
    return Patient.objects.create(**defaults | fields)


def make_booking(*, practitioner, location, service, start, patient=None, status=BookingStatus.CONFIRMED) -> Booking:
    """A booking lasting the service's duration, holding its buffer after, like a real one."""
    end = start + service.duration
    return Booking.objects.create(
        patient=patient or make_patient(),
        service=service,
        practitioner=practitioner,
        location=location,
        start=start,
        end=end,
        blocked_until=end + service.buffer,
        status=status,
    )
