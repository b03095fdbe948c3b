"""Local wall-clock times and the instants they mean, correct across daylight-saving changes.

Working hours and closures are written in the clinic's wall-clock time; bookings are instants.
These helpers convert between the two without ever offering a time the clocks skip.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a naive local wall time: its first occurrence if the clocks went back
    over it, None if the clocks went forward over it (it does not exist)."""
    instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return instant


def range_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """When the wall clock first reaches `wall`: for a time the clocks skip, the moment they jump."""
    while (instant := wall_to_utc(wall, zone)) is None:
        wall += timedelta(minutes=1)
    return instant


def readings(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The earliest and latest UTC instants a naive wall time can mean (equal on normal days)."""
    first, second = (wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    return (first, second) if first <= second else (second, first)


def minutes_since_midnight(value: time) -> int:
    """Minutes since midnight, rounded up so a range starting at 09:00:30 starts no slot at 09:00."""
    return value.hour * 60 + value.minute + (1 if value.second or value.microsecond else 0)


def dates(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)
