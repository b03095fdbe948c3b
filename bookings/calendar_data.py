"""What the reception calendar shows for some days at one clinic, loaded in a fixed number of
queries whatever the number of practitioners or bookings: working hours, time off, closures and
public holidays (less the ones the clinic opens on), and the bookings with their patients."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from bookings.models import BookingStatus, ClinicClosure, PublicHolidayOpening, TimeOff, WorkingHours
from bookings.slot_grid import Hours


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


def load_calendar(*, location, days: list[date], practitioner_ids: list[int], bookings) -> CalendarData:
    """`bookings` is the queryset of bookings the person looking may see (the admin narrows it for
    a podiatrist); cancelled ones are left out of the grid."""
    zone = location.zone
    first, last = min(days), max(days)
    range_start = datetime.combine(first, time(), tzinfo=zone)
    range_end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)
    hours = WorkingHours.objects.filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=last),
        Q(effective_to__isnull=True) | Q(effective_to__gte=first),
        location=location,
        practitioner_id__in=practitioner_ids,
    ).values_list("practitioner_id", "weekday", "start", "end", "effective_from", "effective_to")
    away: dict[int, list[Away]] = {}
    for practitioner_id, start, end, reason in TimeOff.objects.filter(
        practitioner_id__in=practitioner_ids, start__lt=range_end, end__gt=range_start
    ).values_list("practitioner_id", "start", "end", "reason"):
        away.setdefault(practitioner_id, []).append(Away(start, end, reason))
    shown = (
        bookings.filter(
            location=location, practitioner_id__in=practitioner_ids, start__lt=range_end, end__gt=range_start
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("patient", "service")
        .order_by("start")
    )
    return CalendarData(
        zone=zone,
        hours=[Hours(*row) for row in hours],
        time_off=away,
        closed=closed_days(location, first, last),
        bookings=list(shown),
    )
