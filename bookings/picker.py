"""The times picker: a month showing which days have free times, and a week of free times
from the chosen day, with sensible defaults for anything outside the booking window."""

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from bookings import availability, slot_grid, wall_clock
from bookings.models import BookingRules
from bookings.slot_grid import Slot
from bookings.wording import TimeOption, day_label, time_options


@dataclass
class CalendarDay:
    day: date
    free: bool
    selected: bool
    label: str
    href: str = ""


@dataclass
class DayTimes:
    day: date
    label: str
    times: list[TimeOption]
    links: list[tuple[str, TimeOption]] = field(default_factory=list)


@dataclass
class Picker:
    """What the times page shows. `names_shown` is False when every time is with one person,
    who is then named once rather than on every time (screen readers still hear it on each)."""

    month: date
    weeks: list[list[CalendarDay | None]]
    previous_month: date | None
    next_month: date | None
    selected: date | None
    days: list[DayTimes] = field(default_factory=list)
    previous_week: date | None = None
    next_week: date | None = None
    messages: list[str] = field(default_factory=list)
    names_shown: bool = True

    @property
    def week_end_label(self) -> str:
        return self.days[-1].label if self.days else ""

    def link(self, *, page_state: dict, slot_url: str, slot_state: dict) -> "Picker":
        """Where each free day (this page, `page_state` kept) and each time (`slot_url`, with
        `slot_state`) leads: worked out here once, rather than by a template tag for each of the
        hundreds of times a week can show."""
        month = f"{self.month:%Y-%m}"
        for cell in (cell for week in self.weeks for cell in week if cell and cell.free):
            cell.href = "?" + urlencode(page_state | {"month": month, "day": f"{cell.day:%Y-%m-%d}"}) + "#times"
        for day in self.days:
            day.links = [
                (
                    f"{slot_url}?{urlencode(slot_state | {'start': time.start, 'practitioner': time.practitioner_id})}",
                    time,
                )
                for time in day.times
            ]
        return self


def booking_window(*, location, now) -> tuple[date, date]:
    """The first and last local dates patients may book online."""
    today = now.astimezone(location.zone).date()
    return today, today + timedelta(days=BookingRules.current().max_days_ahead)


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _next_month(month: date) -> date:
    return _month_end(month) + timedelta(days=1)


def _dated(slots, zone) -> list[tuple[date, Slot]]:
    """(local date, slot) for slots in time order. A start is converted to local time only when
    it may be on a new day: from the earliest instant the next local midnight can be."""
    dated, today, next_day_from = [], None, None
    for slot in slots:
        if next_day_from is None or slot.start >= next_day_from:
            today = slot.start.astimezone(zone).date()
            next_day_from = wall_clock.readings(datetime.combine(today + timedelta(days=1), time()), zone)[0]
        dated.append((today, slot))
    return dated


def build_picker(
    *, service, location, practitioner, names, month, day, now, messages=(), moving_booking_id=None, for_staff=False
) -> Picker:
    """The month shown (days with free times) and a week of free times from the selected day.

    `month` and `day` are what the patient asked for (None when absent or unreadable, with
    `messages` saying so); either outside the booking window is replaced by a sensible default
    with a message. When a booking is being moved, its own time does not block the times around it.
    `for_staff`: the admin's picker, which also offers services patients must phone for.
    """
    first, last = booking_window(location=location, now=now)
    messages = list(messages)
    if day is not None and not first <= day <= last:
        messages.append(
            f"{day_label(day)} {day.year} cannot be booked online. "
            f"You can book up to {(last - first).days} days ahead. Here are the first free times."
        )
        day = None
    if day is not None:
        month = day.replace(day=1)
    if month is not None and not first.replace(day=1) <= month <= last:
        messages.append("That month cannot be booked online. Here are the first free times.")
        month = None

    # One schedule serves the month and the week, which can run up to six days past it. The
    # month only needs to know which days have a time; the week has every time worked out.
    def month_schedule(days_from: date, days_to: date):
        schedule = availability.schedule_for(
            service=service,
            location=location,
            start_date=days_from,
            end_date=min(last, days_to + timedelta(days=6)),
            practitioner=practitioner,
            ignore_booking_id=moving_booking_id,
            for_staff=for_staff,
        )
        return schedule, slot_grid.free_days(replace(schedule, end_date=days_to), now=now)

    if month is None:
        # The first bookable month; the next one only when this one is full (a busy diary
        # means bookings to read for every day looked at).
        schedule, free_days = month_schedule(first, min(last, _month_end(first)))
        if not free_days and _month_end(first) < last:
            schedule, free_days = month_schedule(_next_month(first), min(last, _month_end(_next_month(first))))
    else:
        schedule, free_days = month_schedule(max(first, month), min(last, _month_end(month)))
    if month is None:
        month = min(free_days).replace(day=1) if free_days else first.replace(day=1)
    month_days = sorted(d for d in free_days if d.year == month.year and d.month == month.month)
    if day is None and month_days:
        day = month_days[0]

    picker = Picker(
        month=month,
        weeks=[
            [
                CalendarDay(d, d in free_days, d == day, f"{day_label(d)}, times available")
                if d.month == month.month
                else None
                for d in week
            ]
            for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
        ],
        previous_month=(month - timedelta(days=1)).replace(day=1) if month > first.replace(day=1) else None,
        next_month=_next_month(month) if _month_end(month) < last else None,
        selected=day,
        messages=messages,
    )
    if day is None:
        return picker

    week_end = min(last, day + timedelta(days=6))
    by_day = {day + timedelta(days=n): [] for n in range((week_end - day).days + 1)}
    # "First available": each time once, with whoever is free then (the lowest id, as the
    # booking service would choose).
    week = replace(schedule, start_date=day, end_date=week_end)
    week_slots = slot_grid.compute_free_slots(week, now=now, first_available=practitioner is None)
    for slot_day, slot in _dated(week_slots, location.zone):
        by_day[slot_day].append(slot)
    picker.days = [
        DayTimes(d, day_label(d), time_options(day_slots, location=location, names=names))
        for d, day_slots in by_day.items()
    ]
    picker.names_shown = practitioner is None and len(names) > 1
    # Earlier times exist if this month has free days before the week, or (not knowing the
    # months before) the week is not in the first bookable month.
    earlier = any(d < day for d in free_days) or month > first.replace(day=1)
    picker.previous_week = max(first, day - timedelta(days=7)) if earlier and day > first else None
    picker.next_week = week_end + timedelta(days=1) if week_end < last else None
    return picker
