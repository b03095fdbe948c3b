from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.db.models import Prefetch

from bookings.models import ClinicClosure, Location, OpeningHours, Practitioner, PublicHolidayOpening, Service
from soletherapy.page_cache import content_generation
from soletherapy.worker_pages import PerGeneration


class NoClinic:
    """Stands in for the clinic before any location has been set up, so pages still render."""

    name = "SOLE THERAPY"
    phone = ""
    email = ""
    address_one_line = ""
    opening_hours_list = ()
    pk = None

    def __bool__(self):
        return False


# The clinic, as this worker last read it, under the content generation it was read in: any
# change to a location or its opening hours bumps the generation (BookingsConfig.ready).
_kept_location = PerGeneration(content_generation)


def main_location():
    return _kept_location.get(_read_main_location)


def forget_main_location() -> None:
    _kept_location.forget()


# The services patients can book online, everyone in the team, and who offers what where: read
# once by each worker and kept under the content generation, like the clinic (a change to a
# service, a practitioner or their links bumps it). Callers must not change what they get.
_kept_services = PerGeneration(content_generation)
_kept_practitioners = PerGeneration(content_generation)
_kept_offering = PerGeneration(content_generation)


def bookable_service(*, pk=None, slug=None) -> Service | None:
    """A service patients can book online, by id or address, or None."""
    services = _kept_services.get(lambda: list(Service.objects.bookable_online()))
    return next((service for service in services if service.pk == pk or (slug and service.slug == slug)), None)


def practitioner_by_id(pk) -> Practitioner | None:
    """Anyone in the team, active or not (a draft may name someone switched off since)."""
    return _kept_practitioners.get(lambda: Practitioner.objects.in_bulk()).get(pk)


def offering(service, location) -> list[Practitioner]:
    """Active practitioners who offer `service` at `location`, as the database orders them."""
    kept = _kept_offering.get(dict)
    key = (service.pk, location.pk)
    if key not in kept:
        kept[key] = list(Practitioner.objects.offering(service, location))
    return list(kept[key])


def forget_kept() -> None:
    """Tests: forget what this worker read (the clinic, services, the team)."""
    for kept in (_kept_location, _kept_services, _kept_practitioners, _kept_offering):
        kept.forget()


def _read_main_location():
    location = (
        Location.objects.active()
        .prefetch_related(
            Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.order_by("weekday", "opens"),
                to_attr="opening_hours_list",
            )
        )
        .first()
    )
    return location if location is not None else NoClinic()


@dataclass(frozen=True)
class ClosedDays:
    first: date
    last: date
    reason: str


def upcoming_closed_days(location, *, today: date, days: int = 90) -> list[ClosedDays]:
    """The closures and public holidays (the location's state's, unless staff open on one) in
    the next `days`, soonest first, as a patient planning a visit needs them."""
    if not location:
        return []
    until = today + timedelta(days=days)
    closed = [
        ClosedDays(closure.start_date, closure.end_date, closure.reason or "Closed")
        for closure in ClinicClosure.objects.filter(location=location, end_date__gte=today, start_date__lte=until)
    ]
    opened = set(PublicHolidayOpening.objects.filter(location=location).values_list("date", flat=True))
    for year in range(today.year, until.year + 1):
        for day, name in holidays.country_holidays("AU", subdiv=location.state, years=year).items():
            if today <= day <= until and day not in opened:
                closed.append(ClosedDays(day, day, f"{name}, public holiday"))
    return sorted(closed, key=lambda days: (days.first, days.last))
