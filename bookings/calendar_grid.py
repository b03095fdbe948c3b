"""The reception calendar's grid, worked out in pure Python from a loaded calendar
(`calendar_data.load_calendar`): rows of wall-clock times in the clinic's zone, one column per
practitioner and day, and in each column cells that say what the time is (free, not working,
time off, closed) and blocks holding the bookings. A booking that does not fit its time (outside
working hours, during time off, on a closed day) is flagged, never hidden.

A table cell spans the rows it covers, so each row is either where a cell starts or inside one."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bookings.wording import time_label

FREE, OFF, TIME_OFF, CLOSED, BOOKED = "free", "off", "time-off", "closed", "booked"
FLAGS = {OFF: "Outside working hours", TIME_OFF: "During time off", CLOSED: "Clinic closed"}
DEFAULT_DAY = (time(8), time(18))


@dataclass
class Cell:
    kind: str
    row: int
    rowspan: int
    start: datetime
    practitioner_id: int
    label: str = ""
    bookings: list = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def start_value(self) -> str:
        return self.start.isoformat()

    @property
    def time(self) -> str:
        return time_label(self.start)


@dataclass
class Column:
    day: date
    practitioner: object
    cells: dict[int, Cell] = field(default_factory=dict)

    def cell_at(self, row: int) -> Cell | None:
        """The cell starting at this row, or None when the row is inside a taller cell."""
        return self.cells.get(row)


@dataclass
class Grid:
    days: list[date]
    practitioners: list
    times: list[time]
    columns: list[Column]
    now_row: dict[date, int]

    def rows(self):
        """Each row: its index, its time as staff read it, whether it starts an hour, and per
        column the cell starting there (None: covered by a cell from above)."""
        for index, moment in enumerate(self.times):
            yield index, time_label(moment), moment.minute == 0, [column.cell_at(index) for column in self.columns]


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def _row_times(first: time, last: time, step: int) -> list[time]:
    times, current = [], datetime.combine(date.min, first)
    end = datetime.combine(date.min, last)
    while current < end:
        times.append(current.time())
        current += timedelta(minutes=step)
    return times


def day_bounds(data, days: list[date]) -> tuple[time, time]:
    """From the earliest start to the latest end of anyone's hours on these days, widened to
    show any booking outside them; 8 am to 6 pm when nobody works."""
    weekdays = {day.weekday() for day in days}
    starts = [hours.start for hours in data.hours if hours.weekday in weekdays]
    ends = [hours.end for hours in data.hours if hours.weekday in weekdays]
    for booking in data.bookings:
        local_start, local_end = _local(booking.start, data.zone), _local(booking.end, data.zone)
        if local_start.date() in days:
            starts.append(local_start.time())
            ends.append(local_end.time() if local_end.date() == local_start.date() else time(23, 59))
    if not starts:
        return DEFAULT_DAY
    first = min(starts).replace(minute=min(starts).minute - min(starts).minute % 15, second=0, microsecond=0)
    last = max(ends)
    return first, last


def _column_states(data, practitioner_id: int, day: date, starts: list[datetime], step: int) -> list[tuple]:
    """Each row's (start, state, label) for one practitioner on one day, before bookings."""
    if day in data.closed:
        return [(start, CLOSED, data.closed[day]) for start in starts]
    length = timedelta(minutes=step)
    day_start, day_end = starts[0], starts[-1] + length
    away = [p for p in data.time_off.get(practitioner_id, []) if p.start < day_end and day_start < p.end]
    working = [
        (hours.start, hours.end)
        for hours in data.hours_by.get((practitioner_id, day.weekday()), [])
        if hours.applies_on(day)
    ]
    states = []
    for start in starts:
        end = start + length
        period = next((p for p in away if p.start < end and start < p.end), None)
        if period is not None:
            states.append((start, TIME_OFF, period.reason or "Time off"))
            continue
        wall_start, wall_end = start.time(), (end - timedelta(microseconds=1)).time()
        if any(first <= wall_start and wall_end < last for first, last in working):
            states.append((start, FREE, ""))
        else:
            states.append((start, OFF, "Not working"))
    return states


def _blocks(bookings, day: date, times: list[time], step: int, zone: ZoneInfo) -> list[tuple[int, int, list]]:
    """The practitioner's bookings that day as (first row, last row, bookings): bookings whose rows
    touch share one block, so no two cells ever claim a row."""
    blocks: list[tuple[int, int, list]] = []
    origin = datetime.combine(day, times[0])
    for booking in sorted(bookings, key=lambda b: b.start):
        start = _local(booking.start, zone).replace(tzinfo=None)
        end = _local(booking.end, zone).replace(tzinfo=None)
        first = max(0, int((start - origin).total_seconds() // (step * 60)))
        last = min(len(times) - 1, max(first, int(((end - origin).total_seconds() - 1) // (step * 60))))
        if blocks and first <= blocks[-1][1]:
            previous = blocks.pop()
            blocks.append((previous[0], max(previous[1], last), [*previous[2], booking]))
        else:
            blocks.append((first, last, [booking]))
    return blocks


def build_grid(data, *, days: list[date], practitioners: list, step: int, now: datetime) -> Grid:
    first, last = day_bounds(data, days)
    times = _row_times(first, last, step)
    zone = data.zone
    by_column: dict[tuple[date, int], list] = {}
    for booking in data.bookings:
        by_column.setdefault((_local(booking.start, zone).date(), booking.practitioner_id), []).append(booking)
    columns = []
    for day in days:
        starts = [datetime.combine(day, moment, tzinfo=zone) for moment in times]
        for practitioner in practitioners:
            column = Column(day=day, practitioner=practitioner)
            states = _column_states(data, practitioner.pk, day, starts, step)
            blocks = {first_row: (last_row, found) for first_row, last_row, found in _blocks(
                by_column.get((day, practitioner.pk), []), day, times, step, zone
            )}  # fmt: skip
            row = 0
            while row < len(times):
                start, kind, label = states[row]
                if row in blocks:
                    last_row, found = blocks[row]
                    flags = sorted({FLAGS[states[r][1]] for r in range(row, last_row + 1) if states[r][1] in FLAGS})
                    column.cells[row] = Cell(
                        BOOKED, row, last_row - row + 1, start, practitioner.pk, bookings=found, flags=flags
                    )
                    row = last_row + 1
                    continue
                span = 1
                if kind != FREE:  # each free time is its own cell, to book it; the rest merge
                    while (
                        row + span < len(times) and row + span not in blocks and states[row + span][1:] == (kind, label)
                    ):
                        span += 1
                column.cells[row] = Cell(kind, row, span, start, practitioner.pk, label=label)
                row += span
            columns.append(column)
    now_local = _local(now, zone)
    now_row = {}
    if now_local.date() in days:
        elapsed = datetime.combine(date.min, now_local.time()) - datetime.combine(date.min, times[0])
        index = int(elapsed.total_seconds() // (step * 60))
        if 0 <= index < len(times):
            now_row[now_local.date()] = index
    return Grid(days=days, practitioners=practitioners, times=times, columns=columns, now_row=now_row)
