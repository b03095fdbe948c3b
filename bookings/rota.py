"""The part of the schedule only staff change: who offers a service where, their working hours
and time off, closures and public holidays. Each worker keeps what it read in its own memory,
under the rota generation, which any change to those rows bumps (watched in
`BookingsConfig.ready`). Bookings are not part of it: they change with every confirm and are
always read fresh (`availability.load_schedule`).

So a times page that a new booking made stale, and the check inside a confirm, read one table
instead of five. A staff change reaches another worker within `page_cache.LOCAL_SECONDS` (the
generation is asked again that often); while the shared cache is down nothing is kept.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import holidays

from bookings import wall_clock
from bookings.models import ClinicClosure, Practitioner, PublicHolidayOpening, TimeOff, WorkingHours
from bookings.slot_grid import Busy, Hours
from soletherapy import page_cache
from soletherapy.worker_pages import WorkerFragments

rota_generation = page_cache.Generation("rota")
# A few weeks and months of times for each service, practitioner choice and the booking checks.
kept = WorkerFragments(size=512)
KEEP_SECONDS = 600


@dataclass(frozen=True)
class Rota:
    practitioner_ids: tuple[int, ...]
    hours: tuple[Hours, ...]
    time_off: tuple[Busy, ...]
    closed_dates: frozenset[date]


def rota(
    *,
    service,
    location,
    start_date: date,
    end_date: date,
    range_start: datetime,
    range_end: datetime,
    practitioner=None,
) -> Rota:
    """Who may take `service` at `location` (just `practitioner`, if given), with their hours and
    time off between `range_start` and `range_end` and the clinic's closed local dates."""
    key = repr(
        (service.pk, location.pk, getattr(practitioner, "pk", None), start_date, end_date, range_start, range_end)
    )

    def read():
        return _read(service, location, start_date, end_date, range_start, range_end, practitioner)

    return kept.get_or_render(rota_generation.current(), key, read, seconds=KEEP_SECONDS)


def _read(service, location, start_date, end_date, range_start, range_end, practitioner) -> Rota:
    eligible = Practitioner.objects.offering(service, location)
    if practitioner is not None:
        eligible = eligible.filter(pk=practitioner.pk)
    ids = tuple(eligible.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return Rota((), (), (), frozenset())
    hours = WorkingHours.objects.filter(location=location, practitioner_id__in=ids).rows_between(start_date, end_date)
    time_off = TimeOff.objects.filter(practitioner_id__in=ids, start__lt=range_end, end__gt=range_start).values_list(
        "practitioner_id", "start", "end"
    )
    return Rota(
        practitioner_ids=ids,
        hours=tuple(Hours(*row) for row in hours),
        time_off=tuple(Busy(*row) for row in time_off),
        closed_dates=_closed_dates(location, start_date, end_date),
    )


def _closed_dates(location, start_date: date, end_date: date) -> frozenset[date]:
    closed = {
        day
        for year in range(start_date.year, end_date.year + 1)
        for day in _public_holidays(location.state, year)
        if start_date <= day <= end_date
    }
    openings = PublicHolidayOpening.objects.filter(location=location, date__range=(start_date, end_date))
    closed -= set(openings.values_list("date", flat=True))
    closures = ClinicClosure.objects.filter(
        location=location, start_date__lte=end_date, end_date__gte=start_date
    ).values_list("start_date", "end_date")
    for first, last in closures:
        closed.update(wall_clock.dates(max(first, start_date), min(last, end_date)))
    return frozenset(closed)


@lru_cache(maxsize=128)
def _public_holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("AU", subdiv=state, years=year))
