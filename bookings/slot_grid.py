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
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings import wall_clock


class Slot(NamedTuple):
    """A free start. A tuple: tens of thousands are made, compared and sorted for a quarter."""

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


def compute_free_slots(schedule: Schedule, *, now: datetime, first_available: bool = False) -> list[Slot]:
    """Every free slot in the schedule, sorted by (start, practitioner_id). No database access.
    With `first_available`, each start once, with the practitioner "first available" would book
    (the lowest id): what `first_free_per_start` would leave, without making the rest.

    Interval arithmetic rather than a test of every candidate start: each day's grid of starts
    is converted to UTC once (shared by every practitioner), and for each working-hours range the
    starts that fit are one index range of it, from which each busy interval (a booking with its
    buffer, or time off) takes out the index range of the starts it blocks."""
    slots, duration, location_id = [], schedule.duration, schedule.location_id
    for _, starts, spans in _free_spans(schedule, now):
        spans = list(spans)
        if first_available:
            chosen = _lowest_per_start(spans, len(starts))
        else:
            chosen = sorted({(index, p) for p, begin, end in spans for index in range(begin, end)})
        slots.extend(
            Slot(starts[index], starts[index] + duration, practitioner_id, location_id)
            for index, practitioner_id in chosen
        )
    return slots


def free_days(schedule: Schedule, *, now: datetime) -> set[date]:
    """The local dates on which `compute_free_slots` would give at least one slot: each day is
    settled by the first practitioner found free on it."""
    return {day for day, _, spans in _free_spans(schedule, now) if next(spans, None) is not None}


def _free_spans(schedule: Schedule, now: datetime):
    """For each local date of the schedule someone works: (date, its grid of starts, a lazy
    iterator of (practitioner_id, first index, last index + 1) of the free starts)."""
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    if not schedule.bookable:
        return
    zone = schedule.zone
    earliest = now + schedule.min_notice
    first_day = max(schedule.start_date, earliest.astimezone(zone).date())
    last_day = min(schedule.end_date, now.astimezone(zone).date() + timedelta(days=schedule.max_days_ahead))
    step, duration = schedule.slot_minutes, schedule.duration
    blocked = duration + schedule.buffer
    busy = _merged_busy(schedule.busy)
    hours_by_weekday = defaultdict(list)
    for hours in schedule.hours:
        hours_by_weekday[hours.weekday].append(hours)

    def spans_on(day, minutes, starts):
        earliest_index = bisect.bisect_left(starts, earliest)
        bounds = {}  # the index range a working-hours range allows: most practitioners share one
        for hours in hours_by_weekday[day.weekday()]:
            if not hours.applies_on(day):
                continue
            if (hours.start, hours.end) not in bounds:
                latest = wall_clock.range_end(datetime.combine(day, hours.end), zone) - duration
                bounds[hours.start, hours.end] = (
                    max(bisect.bisect_left(minutes, wall_clock.minutes_since_midnight(hours.start)), earliest_index),
                    min(
                        bisect.bisect_left(minutes, wall_clock.minutes_since_midnight(hours.end)),
                        bisect.bisect_right(starts, latest),
                    ),
                )
            first, last = bounds[hours.start, hours.end]
            if first < last:
                for span in _unblocked(starts, first, last, busy.get(hours.practitioner_id), blocked):
                    yield (hours.practitioner_id, *span)

    for day in wall_clock.dates(first_day, last_day):
        if day in schedule.closed_dates or not hours_by_weekday[day.weekday()]:
            continue
        minutes, starts = _day_grid(day, zone, step)
        yield day, starts, spans_on(day, minutes, starts)


def _lowest_per_start(spans: list[tuple[int, int, int]], count: int) -> list[tuple[int, int]]:
    """(index, practitioner_id) for each start index any span covers, with the lowest id that
    covers it. The spans are taken lowest id first, each giving only the indexes no lower id
    took: interval by interval, so a start is handled once however many are free then."""
    chosen, untaken = [], [(0, count)]
    for practitioner_id, begin, end in sorted(spans):
        still = []
        for low, high in untaken:
            first, last = max(low, begin), min(high, end)
            if first >= last:
                still.append((low, high))
                continue
            chosen.extend((index, practitioner_id) for index in range(first, last))
            still += [piece for piece in ((low, first), (last, high)) if piece[0] < piece[1]]
        untaken = still
        if not untaken:
            break
    return sorted(chosen)


@lru_cache(maxsize=4096)
def _day_grid(day: date, zone: ZoneInfo, step: int) -> tuple[list[int], list[datetime]]:
    """The day's grid of wall-clock starts (minutes since midnight, every `step`) and their UTC
    instants, both ascending; a wall time the clocks skip is left out. Kept: a year of days for
    a few grids is small, and the same days are asked for all day long. Not to be changed."""
    midnight = datetime.combine(day, time(), tzinfo=zone)
    if midnight.utcoffset() == datetime.combine(day, time(23, 59), tzinfo=zone).utcoffset():
        # No change of the clocks that day: each start is midnight's instant plus its minutes.
        base = midnight.astimezone(UTC)
        minutes = list(range(0, 24 * 60, step))
        return minutes, [base + timedelta(minutes=minute) for minute in minutes]
    minutes, starts = [], []
    for minute in range(0, 24 * 60, step):
        start = wall_clock.wall_to_utc(datetime.combine(day, time(minute // 60, minute % 60)), zone)
        if start is not None:
            minutes.append(minute)
            starts.append(start)
    return minutes, starts


def _unblocked(starts: list[datetime], first: int, last: int, busy, blocked: timedelta) -> list[tuple[int, int]]:
    """The spans [begin, end) of indexes in [first, last) of `starts` whose [start, start +
    blocked) meets no busy interval (merged, sorted). A busy [b, e) blocks the starts in
    (b - blocked, e)."""
    if not busy:
        return [(first, last)]
    busy_starts, busy_ends = busy
    free, cursor = [], first
    # The first busy interval that ends after the earliest start can block anything.
    for position in range(bisect.bisect_right(busy_ends, starts[first]), len(busy_starts)):
        blocked_from = bisect.bisect_right(starts, busy_starts[position] - blocked, cursor, last)
        if blocked_from >= last:
            break
        if cursor < blocked_from:
            free.append((cursor, blocked_from))
        cursor = max(cursor, bisect.bisect_left(starts, busy_ends[position], cursor, last))
        if cursor >= last:
            break
    if cursor < last:
        free.append((cursor, last))
    return free


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
