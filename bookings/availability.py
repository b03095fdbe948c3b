"""Free appointment times: the slot-grid starts each practitioner can take at a location.

`load_schedule` reads everything needed in a fixed number of queries; `compute_free_slots` is
pure Python. Working hours, closures, public holidays and the slot grid are wall-clock rules in
the location's time zone; every datetime handed out is aware UTC.

Daylight saving. The grid is of local wall-clock times and each is offered at most once:
- a wall time skipped when clocks go forward (Sydney, first Sunday in October, 02:00-02:59)
  does not exist that day and is never offered;
- a wall time that happens twice when clocks go back (Sydney, first Sunday in April,
  02:00-02:59) is offered once, at its first occurrence (still daylight time), so patients
  never see the same time twice; the repeated hour's second pass starts no appointment;
- an appointment lasts its real elapsed duration across a change, and a working-hours range
  ends when the wall clock first reaches its end time (if the clocks skip that time, the moment
  they jump), so nothing runs past it.
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils import timezone

from bookings import wall_clock
from bookings.models import (
    Booking,
    BookingRules,
    ClinicClosure,
    Practitioner,
    PublicHolidayOpening,
    TimeOff,
    WorkingHours,
)

# How far either side of a taken time `nearest_free_slots` looks for alternatives.
NEAREST_SEARCH_DAYS = 3

# Times further from now than this are never bookable; checking them could overflow dates.
FAR_AWAY = timedelta(days=3660)


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime
    practitioner_id: int
    location_id: int

    def local_start(self, zone: tzinfo) -> datetime:
        return self.start.astimezone(zone)


class Hours(NamedTuple):
    practitioner_id: int
    weekday: int
    start: time
    end: time
    effective_from: date | None
    effective_to: date | None

    def applies_on(self, day: date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


class Busy(NamedTuple):
    """Time a practitioner cannot be booked: a booking (with its buffer) or time off."""

    practitioner_id: int
    start: datetime
    end: datetime
    booking_id: int | None = None


@dataclass
class Schedule:
    location_id: int
    zone: ZoneInfo
    start_date: date
    end_date: date
    duration: timedelta
    buffer: timedelta
    slot_minutes: int
    min_notice: timedelta
    max_days_ahead: int
    bookable: bool = True
    hours: list[Hours] = field(default_factory=list)
    busy: list[Busy] = field(default_factory=list)
    closed_dates: frozenset[date] = frozenset()

    def without_booking(self, booking_id: int) -> "Schedule":
        """The schedule as if that booking were not there (to move it)."""
        return replace(self, busy=[b for b in self.busy if b.booking_id != booking_id])


def load_schedule(*, service, location, start_date: date, end_date: date, practitioner=None) -> Schedule:
    """Everything `compute_free_slots` needs for these local dates, in six queries whatever
    the number of practitioners, bookings or days."""
    zone = location.zone
    rules = BookingRules.current()
    eligible = Practitioner.objects.active().filter(services=service, locations=location)
    if practitioner is not None:
        eligible = eligible.filter(pk=practitioner.pk)
    eligible_ids = eligible.values("pk")
    # The last slot of end_date may keep its clean-up buffer running past midnight.
    range_start = wall_clock.readings(datetime.combine(start_date, time()), zone)[0]
    range_end = wall_clock.readings(datetime.combine(end_date + timedelta(days=1), time()), zone)[1] + service.buffer

    hours = WorkingHours.objects.filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=end_date),
        Q(effective_to__isnull=True) | Q(effective_to__gte=start_date),
        location=location,
        practitioner_id__in=eligible_ids,
    ).values_list("practitioner_id", "weekday", "start", "end", "effective_from", "effective_to")
    bookings = (
        Booking.objects.active()
        .filter(practitioner_id__in=eligible_ids, start__lt=range_end, blocked_until__gt=range_start)
        .values_list("practitioner_id", "start", "blocked_until", "pk")
    )
    time_off = TimeOff.objects.filter(
        practitioner_id__in=eligible_ids, start__lt=range_end, end__gt=range_start
    ).values_list("practitioner_id", "start", "end")
    closures = ClinicClosure.objects.filter(
        location=location, start_date__lte=end_date, end_date__gte=start_date
    ).values_list("start_date", "end_date")
    openings = PublicHolidayOpening.objects.filter(location=location, date__range=(start_date, end_date))

    closed = {
        day
        for year in range(start_date.year, end_date.year + 1)
        for day in _public_holidays(location.state, year)
        if start_date <= day <= end_date
    }
    closed -= set(openings.values_list("date", flat=True))
    for first, last in closures:
        closed.update(wall_clock.dates(max(first, start_date), min(last, end_date)))

    return Schedule(
        location_id=location.pk,
        zone=zone,
        start_date=start_date,
        end_date=end_date,
        duration=service.duration,
        buffer=service.buffer,
        slot_minutes=rules.slot_minutes,
        min_notice=timedelta(minutes=rules.min_notice_minutes),
        max_days_ahead=rules.max_days_ahead,
        bookable=service.active and service.bookable_online and location.active,
        hours=[Hours(*row) for row in hours],
        busy=[Busy(*row) for row in bookings] + [Busy(*row) for row in time_off],
        closed_dates=frozenset(closed),
    )


def compute_free_slots(schedule: Schedule, *, now: datetime) -> list[Slot]:
    """Every free slot in the schedule, sorted by (start, practitioner_id). No database access."""
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    if not schedule.bookable:
        return []
    zone = schedule.zone
    earliest = now + schedule.min_notice
    first_day = max(schedule.start_date, earliest.astimezone(zone).date())
    last_day = min(schedule.end_date, now.astimezone(zone).date() + timedelta(days=schedule.max_days_ahead))
    step = schedule.slot_minutes
    blocked = schedule.duration + schedule.buffer
    busy = _merged_busy(schedule.busy)
    hours_by_weekday = defaultdict(list)
    for hours in schedule.hours:
        hours_by_weekday[hours.weekday].append(hours)

    slots = set()
    for day in wall_clock.dates(first_day, last_day):
        if day in schedule.closed_dates:
            continue
        for hours in hours_by_weekday[day.weekday()]:
            if not hours.applies_on(day):
                continue
            range_end = wall_clock.range_end(datetime.combine(day, hours.end), zone)
            busy_starts, busy_ends = busy.get(hours.practitioner_id, ((), ()))
            first_minute = -(-wall_clock.minutes_since_midnight(hours.start) // step) * step
            for minute in range(first_minute, wall_clock.minutes_since_midnight(hours.end), step):
                start = wall_clock.wall_to_utc(datetime.combine(day, time(minute // 60, minute % 60)), zone)
                if start is None or start < earliest:
                    continue
                end = start + schedule.duration
                if end > range_end:
                    break  # starts only get later along a day's wall-clock grid
                # Busy intervals are merged, so the first one ending after `start` is the only
                # one that can overlap [start, start + duration + buffer).
                index = bisect.bisect_right(busy_ends, start)
                if index < len(busy_starts) and busy_starts[index] < start + blocked:
                    continue
                slots.add(Slot(start, end, hours.practitioner_id, schedule.location_id))
    return sorted(slots)


def free_slots(
    *, service, location, start_date: date, end_date: date, practitioner=None, now=None, ignore_booking_id=None
) -> list[Slot]:
    """Free start times; a booking being moved can be left out so its own time is offered too."""
    schedule = load_schedule(
        service=service, location=location, start_date=start_date, end_date=end_date, practitioner=practitioner
    )
    if ignore_booking_id is not None:
        schedule = schedule.without_booking(ignore_booking_id)
    return compute_free_slots(schedule, now=now or timezone.now())


def days_with_free_slots(
    *, service, location, start_date: date, end_date: date, practitioner=None, now=None, ignore_booking_id=None
) -> set[date]:
    """The local dates that have at least one free slot."""
    slots = free_slots(
        service=service,
        location=location,
        start_date=start_date,
        end_date=end_date,
        practitioner=practitioner,
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    return {slot.local_start(location.zone).date() for slot in slots}


def free_practitioner_ids(
    *, service, location, start: datetime, practitioner=None, now=None, ignore_booking_id=None
) -> list[int]:
    """Who is free to start this service exactly then (everyone offering it, or just
    `practitioner`), lowest id first; a booking being moved can be left out so its own time
    does not block it. Empty for anything `free_slots` would not offer."""
    if timezone.is_naive(start):
        raise ValueError("start must be timezone-aware")
    now = now or timezone.now()
    if abs(start - now) > FAR_AWAY:
        return []
    day = start.astimezone(location.zone).date()
    slots = free_slots(
        service=service,
        location=location,
        start_date=day,
        end_date=day,
        practitioner=practitioner,
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    return [slot.practitioner_id for slot in slots if slot.start == start]


def is_slot_free(*, service, location, practitioner, start: datetime, now=None, ignore_booking_id=None) -> bool:
    return bool(
        free_practitioner_ids(
            service=service,
            location=location,
            start=start,
            practitioner=practitioner,
            now=now,
            ignore_booking_id=ignore_booking_id,
        )
    )


def first_free_per_start(slots: list[Slot]) -> list[Slot]:
    """Each start time once, with the practitioner "first available" would book (the lowest id)."""
    by_start = {}
    for slot in slots:
        by_start.setdefault(slot.start, slot)
    return list(by_start.values())


def nearest_free_slots(
    *, service, location, around: datetime, practitioner=None, count: int = 6, now=None, ignore_booking_id=None
) -> list[Slot]:
    """The `count` free start times closest to `around` (a time just taken), in time order.

    Each time appears once: with no practitioner chosen, the lowest practitioner id free then.
    """
    if timezone.is_naive(around):
        raise ValueError("around must be timezone-aware")
    if abs(around - (now or timezone.now())) > FAR_AWAY:
        return []
    day = around.astimezone(location.zone).date()
    slots = free_slots(
        service=service,
        location=location,
        start_date=day - timedelta(days=NEAREST_SEARCH_DAYS),
        end_date=day + timedelta(days=NEAREST_SEARCH_DAYS),
        practitioner=practitioner,
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    nearest = sorted(first_free_per_start(slots), key=lambda slot: (abs(slot.start - around), slot.start))[:count]
    return sorted(nearest)


def _merged_busy(busy: list[Busy]) -> dict[int, tuple[list[datetime], list[datetime]]]:
    """Per practitioner, sorted non-overlapping busy intervals as parallel start/end lists."""
    by_practitioner = defaultdict(list)
    for item in busy:
        by_practitioner[item.practitioner_id].append((item.start, item.end))
    merged = {}
    for practitioner_id, intervals in by_practitioner.items():
        starts, ends = [], []
        for start, end in sorted(intervals):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        merged[practitioner_id] = (starts, ends)
    return merged


@lru_cache(maxsize=128)
def _public_holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("AU", subdiv=state, years=year))
