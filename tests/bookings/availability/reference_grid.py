"""The slot grid as it was first written, testing every candidate start one by one: slow (half a
second for 20 practitioners and 90 days) but plain to read, so the interval arithmetic of
`bookings.slot_grid.compute_free_slots` is checked against it on many random schedules."""

import bisect
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from bookings import wall_clock
from bookings.slot_grid import Schedule, Slot, _merged_busy


def reference_free_slots(schedule: Schedule, *, now: datetime) -> list[Slot]:
    """Every free slot, sorted by (start, practitioner_id), each candidate start tested in turn."""
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
