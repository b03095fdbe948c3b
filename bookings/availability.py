"""Free appointment times: the questions the booking pages and services ask (which starts are
free, who is free at this start, what is near a taken time), each answered by loading the
schedule in a fixed number of queries (`load_schedule`) and computing on the slot grid
(`slot_grid`, pure Python). Every datetime handed out is aware UTC.
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bookings import wall_clock
from bookings.models import Booking, BookingRules
from bookings.models.schedule import LONGEST_BLOCK
from bookings.rota import rota
from bookings.slot_grid import Busy, Schedule, Slot, compute_free_slots, first_free_per_start

# How far either side of a taken time `nearest_free_slots` looks for alternatives.
NEAREST_SEARCH_DAYS = 3

# Times further from now than this are never bookable; checking them could overflow dates.
FAR_AWAY = timedelta(days=3660)


def load_schedule(*, service, location, start_date: date, end_date: date, practitioner=None) -> Schedule:
    """Everything `compute_free_slots` needs for these local dates, whatever the number of
    practitioners, bookings or days: the bookings in one query, the rest (`rota`) in five when
    this worker has not kept it since staff last changed it."""
    zone = location.zone
    rules = BookingRules.current()
    # The last slot of end_date may keep its clean-up buffer running past midnight.
    range_start = wall_clock.readings(datetime.combine(start_date, time()), zone)[0]
    range_end = wall_clock.readings(datetime.combine(end_date + timedelta(days=1), time()), zone)[1] + service.buffer
    kept = rota(
        service=service,
        location=location,
        start_date=start_date,
        end_date=end_date,
        range_start=range_start,
        range_end=range_end,
        practitioner=practitioner,
    )
    bookings = ()
    if kept.practitioner_ids:
        bookings = (
            Booking.objects.active()
            .filter(
                practitioner_id__in=kept.practitioner_ids,
                # A lower bound the (practitioner, start) index can use: no booking blocks longer.
                start__gte=range_start - LONGEST_BLOCK,
                start__lt=range_end,
                blocked_until__gt=range_start,
            )
            .values_list("practitioner_id", "start", "blocked_until", "pk")
        )
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
        hours=list(kept.hours),
        busy=[Busy(*row) for row in bookings] + list(kept.time_off),
        closed_dates=kept.closed_dates,
    )


def schedule_for(
    *, service, location, start_date: date, end_date: date, practitioner=None, ignore_booking_id=None, for_staff=False
) -> Schedule:
    """The schedule `free_slots` computes on: a booking being moved can be left out so its own
    time is offered too; `for_staff`, staff book services patients must phone for, on the same
    free times."""
    schedule = load_schedule(
        service=service, location=location, start_date=start_date, end_date=end_date, practitioner=practitioner
    )
    if ignore_booking_id is not None:
        schedule = schedule.without_booking(ignore_booking_id)
    if for_staff:
        schedule = replace(schedule, bookable=service.active and location.active)
    return schedule


def free_slots(*, now=None, first_available=False, **asked) -> list[Slot]:
    """Free start times (`asked` as `schedule_for` takes it). `first_available`: each start
    once, with the practitioner "first available" books."""
    return compute_free_slots(schedule_for(**asked), now=now or timezone.now(), first_available=first_available)


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


def is_slot_free(*, practitioner, **question) -> bool:
    """Whether `practitioner` (None: anyone offering the service) can start then; `question` as
    `free_practitioner_ids` takes it."""
    return bool(free_practitioner_ids(practitioner=practitioner, **question))


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
