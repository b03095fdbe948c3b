"""What the availability tests share: a clinic, local wall times, and readable free times."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bookings.availability import free_slots
from bookings.models import Booking
from tests.bookings.factories import (
    make_booking,
    make_location,
    make_practitioner,
    make_service,
)

SYDNEY = ZoneInfo("Australia/Sydney")
MONDAY = date(2026, 11, 2)  # an ordinary working Monday in Sydney summer time (UTC+11)
SUNDAY = 6


def at(text: str, zone: ZoneInfo = SYDNEY) -> datetime:
    """A local wall time; an ambiguous one means its first occurrence."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def week_before(day: date) -> datetime:
    return datetime.combine(day - timedelta(days=7), time(9), tzinfo=SYDNEY)


def local_times(slots, zone: ZoneInfo = SYDNEY) -> list[str]:
    return [slot.local_start(zone).strftime("%H:%M") for slot in slots]


def every_quarter_hour(first: str, last: str) -> list[str]:
    start, end = (datetime.combine(MONDAY, time.fromisoformat(value)) for value in (first, last))
    return [
        (start + timedelta(minutes=15 * i)).strftime("%H:%M") for i in range((end - start) // timedelta(minutes=15) + 1)
    ]


def slots_on(clinic, day: date, **options) -> list:
    options.setdefault("now", week_before(day))
    options.setdefault("service", clinic.service)
    options.setdefault("location", clinic.location)
    return free_slots(start_date=day, end_date=day, **options)


def open_days(clinic, first: date, last: date, *, location=None, **options) -> set[date]:
    """The local dates with at least one free slot."""
    options.setdefault("now", week_before(first))
    location = location or clinic.location
    slots = free_slots(service=clinic.service, location=location, start_date=first, end_date=last, **options)
    return {slot.local_start(location.zone).date() for slot in slots}


def make_clinic(*, time_zone="Australia/Sydney", state="NSW", duration=60, buffer=0):
    location = make_location(time_zone=time_zone, state=state)
    service = make_service(duration_minutes=duration, buffer_minutes=buffer)
    practitioner = make_practitioner(services=[service], locations=[location])
    return SimpleNamespace(location=location, service=service, practitioner=practitioner)


def book(clinic, start: datetime, *, practitioner=None, location=None, **fields) -> Booking:
    return make_booking(
        practitioner=practitioner or clinic.practitioner,
        location=location or clinic.location,
        service=fields.pop("service", clinic.service),
        start=start,
        **fields,
    )
