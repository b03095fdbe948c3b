"""The slot grid: which starts each practitioner can take, worked out from a loaded schedule in
pure Python (no database access; `availability.load_schedule` loads the schedule).

Working hours, closures, public holidays and the slot grid are wall-clock rules in the
location's time zone; every datetime handed out is aware UTC.

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
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings import wall_clock


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


def first_free_per_start(slots: list[Slot]) -> list[Slot]:
    """Each start time once, with the practitioner "first available" would book (the lowest id)."""
    by_start = {}
    for slot in slots:
        by_start.setdefault(slot.start, slot)
    return list(by_start.values())


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
