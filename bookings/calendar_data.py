"""What the reception calendar shows for some days at one clinic, loaded in a fixed number of
queries whatever the number of practitioners or bookings: working hours, time off, closures and
public holidays (less the ones the clinic opens on), and the bookings with their patients."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from bookings.models import BookingStatus, ClinicClosure, PublicHolidayOpening, TimeOff, WorkingHours
from bookings.models.schedule import LONGEST_BLOCK
from bookings.slot_grid import Hours


class Entry(NamedTuple):
    """A booking as the grid shows it: read as plain values, since a busy week holds thousands."""

    pk: int
    status: str
    status_label: str
    start: datetime
    end: datetime
    practitioner_id: int
    patient_name: str
    service_name: str


class Away(NamedTuple):
    start: datetime
    end: datetime
    reason: str


@dataclass
class CalendarData:
    zone: ZoneInfo
    hours: list[Hours]
    time_off: dict[int, list[Away]]
    closed: dict[date, str]
    bookings: list
    hours_by: dict[tuple[int, int], list[Hours]] = field(init=False)

    def __post_init__(self):
        # Each practitioner's hours by weekday, so the grid looks up a column's hours once.
        self.hours_by = {}
        for hours in self.hours:
            self.hours_by.setdefault((hours.practitioner_id, hours.weekday), []).append(hours)


@lru_cache(maxsize=64)
def _holiday_names(state: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("AU", subdiv=state, years=year))


def closed_days(location, first: date, last: date) -> dict[date, str]:
    """The days the clinic is closed, each with why: its closures and the state's public holidays
    it does not open on."""
    found = {
        day: name
        for day, name in holidays.country_holidays(
            "AU", subdiv=location.state, years=range(first.year, last.year + 1)
        ).items()
        if first <= day <= last
    }
    for day in PublicHolidayOpening.objects.filter(location=location, date__range=(first, last)).values_list(
        "date", flat=True
    ):
        found.pop(day, None)
    closures = ClinicClosure.objects.filter(location=location, start_date__lte=last, end_date__gte=first)
    for closure in closures:
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            found[day] = closure.reason or "Clinic closed"
            day += timedelta(days=1)
    return found


def load_calendar(
    *, location, days: list[date], practitioner_ids: list[int], bookings, detail: bool = False
) -> CalendarData:
    """`bookings` is the queryset of bookings the person looking may see (the admin narrows it for
    a podiatrist); cancelled ones are left out. The grid needs `Entry` values; `detail` loads the
    bookings themselves, with their patients, for the day sheet."""
    zone = location.zone
    first, last = min(days), max(days)
    range_start = datetime.combine(first, time(), tzinfo=zone)
    range_end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)
    hours = WorkingHours.objects.filter(location=location, practitioner_id__in=practitioner_ids).rows_between(
        first, last
    )
    away: dict[int, list[Away]] = {}
    for practitioner_id, start, end, reason in TimeOff.objects.filter(
        practitioner_id__in=practitioner_ids, start__lt=range_end, end__gt=range_start
    ).values_list("practitioner_id", "start", "end", "reason"):
        away.setdefault(practitioner_id, []).append(Away(start, end, reason))
    shown = (
        bookings.filter(
            location=location,
            practitioner_id__in=practitioner_ids,
            start__gte=range_start - LONGEST_BLOCK,  # a bound the start index can use
            start__lt=range_end,
            end__gt=range_start,
        )
        .exclude(status=BookingStatus.CANCELLED)
        .order_by("start")
    )
    if detail:
        found = list(shown.select_related("patient", "service"))
    else:
        labels = dict(BookingStatus.choices)
        found = [
            Entry(pk, status, labels.get(status, status), start, end, practitioner_id, f"{given} {family}", service)
            for pk, status, start, end, practitioner_id, given, family, service in shown.values_list(
                "pk", "status", "start", "end", "practitioner_id", "patient__given_name", "patient__family_name",
                "service__name",
            )
        ]  # fmt: skip
    return CalendarData(
        zone=zone,
        hours=[Hours(*row) for row in hours],
        time_off=away,
        closed=closed_days(location, first, last),
        bookings=found,
    )
