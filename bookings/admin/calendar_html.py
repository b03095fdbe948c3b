"""The calendar grid's rows as HTML, written in Python: a week for 20 practitioners is over 5,000
cells, which the template language renders several times slower. Every value is escaped."""

from html import escape
from urllib.parse import quote

from django.urls import reverse

from bookings.calendar_grid import BOOKED, FREE

PK = "booking-pk"  # stands in for each booking's number in its page's address


def _booking(entry, change_url: str) -> str:
    return (
        f'<a class="booking status-{escape(entry.status)}" href="{change_url.replace(PK, str(entry.pk))}">'
        f"<strong>{escape(entry.patient_name)}</strong> <span>{escape(entry.service_name)}</span> "
        f'<span class="status">{escape(entry.status_label)}</span></a>'
    )


def _cell(cell, *, week: bool, add_url: str | None, change_url: str) -> str:
    if cell.kind == BOOKED:
        inside = "".join(_booking(booking, change_url) for booking in cell.bookings)
        inside += "".join(f'<span class="flag"><strong>Check:</strong> {escape(flag)}</span>' for flag in cell.flags)
        return f'<td rowspan="{cell.rowspan}" class="booked">{inside}</td>'
    if cell.kind == FREE:
        if add_url is None:
            return '<td class="free"><span class="visually-hidden">free</span></td>'
        when = cell.time + (f" on {cell.start:%A %-d %B}" if week else "")
        href = f"{add_url}?practitioner={cell.practitioner_id}&amp;start={quote(cell.start_value)}"
        return (
            f'<td class="free"><a href="{href}"><span class="visually-hidden">Book {escape(when)}</span>'
            '<span aria-hidden="true">free</span></a></td>'
        )
    return f'<td rowspan="{cell.rowspan}" class="{escape(cell.kind)}">{escape(cell.label)}</td>'


def grid_rows_html(grid, *, can_book: bool) -> str:
    add_url = reverse("admin:bookings_booking_phone_patient") if can_book else None
    change_url = reverse("admin:bookings_booking_change", args=[PK])
    week = len(grid.days) > 1
    now_rows = set(grid.now_row.values())
    lines = []
    for index, label, on_the_hour, cells in grid.rows():
        now = index in now_rows
        classes = " ".join(name for name, on in (("hour", on_the_hour), ("now", now)) if on)
        marker = ' <strong class="now-marker">now</strong>' if now else ""
        row = "".join(_cell(c, week=week, add_url=add_url, change_url=change_url) for c in cells if c is not None)
        lines.append(f'<tr class="{classes}"><th scope="row">{escape(label)}{marker}</th>{row}</tr>')
    return "\n".join(lines)
