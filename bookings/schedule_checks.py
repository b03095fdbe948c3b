"""Checks staff need when they change the schedule by hand, each in a fixed number of queries.

- Which active bookings fall inside some new time off or clinic closure, so the admin can tell
  staff whom to contact (nothing is cancelled automatically).
- Why a start time chosen by staff is outside normal hours, if it is, using the same schedule
  the online booking pages use (`availability.load_schedule`).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from bookings import availability
from bookings.models import Booking, ClinicClosure, Location, Practitioner, Service, TimeOff


def bookings_during_time_off(time_off: Iterable[TimeOff]) -> list[Booking]:
    """Active bookings whose appointment overlaps any of these periods of time off, in one query."""
    periods = [Q(practitioner_id=t.practitioner_id, start__lt=t.end, end__gt=t.start) for t in time_off]
    return _active_bookings(periods)


def bookings_during_closures(closures: Iterable[ClinicClosure]) -> list[Booking]:
    """Active bookings at a closed location on any closed day (in the location's time zone),
    in one query."""
    periods = []
    for closure in closures:
        zone = closure.location.zone
        opens_again = closure.end_date + timedelta(days=1)
        first = datetime.combine(closure.start_date, time(), tzinfo=zone)
        after = datetime.combine(opens_again, time(), tzinfo=zone)
        periods.append(Q(location_id=closure.location_id, start__lt=after, end__gt=first))
    return _active_bookings(periods)


def _active_bookings(periods: list[Q]) -> list[Booking]:
    if not periods:
        return []
    return list(
        Booking.objects.active()
        .filter(reduce(or_, periods))
        .select_related("patient", "location")
        .order_by("start", "pk")
    )


def outside_normal_hours(
    *, service: Service, location: Location, practitioner: Practitioner, start: datetime
) -> str | None:
    """Why this appointment is outside the normal schedule (clinic closed, practitioner not
    working or away), or None when it is inside. Seven queries whatever the schedule."""
    zone = location.zone
    local_start = timezone.localtime(start, zone)
    local_end = timezone.localtime(start + service.duration, zone)
    day = local_start.date()
    when = f"{local_start:%A %d %b %Y}"
    if not location.active:
        return f"{location} is not taking bookings (it is marked inactive)."
    if not Practitioner.objects.offering(service, location).filter(pk=practitioner.pk).exists():
        return f"{practitioner} is not set up to offer {service} at {location}."
    schedule = availability.load_schedule(
        service=service, location=location, start_date=day, end_date=day, practitioner=practitioner
    )
    if day in schedule.closed_dates:
        return f"{location} is closed on {when} (a closure or public holiday)."
    ranges = sorted(
        (hours.start, hours.end) for hours in schedule.hours if hours.weekday == day.weekday() and hours.applies_on(day)
    )
    fits = local_end.date() == day and any(
        opens <= local_start.time() and local_end.time() <= closes for opens, closes in ranges
    )
    if not fits:
        worked = ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in ranges) or "not at all"
        return (
            f"{local_start:%H:%M}–{local_end:%H:%M} is outside {practitioner}'s working hours at {location} "
            f"on {when} ({worked})."
        )
    if any(b.booking_id is None and b.start < start + service.duration and start < b.end for b in schedule.busy):
        return f"{practitioner} has time off then."
    return None
