"""Lists staff download as CSV (bookings, patients), safe to open in a spreadsheet: a cell that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe, so it shows as the text it is."""

import csv
import io

from bookings.wording import time_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


BOOKING_HEADER = ["Reference", "Date", "Start", "End", "Patient", "Phone", "Email", "Service", "Practitioner",
                  "Status", "Booked", "Notes"]  # fmt: skip
PATIENT_HEADER = ["Given name", "Family name", "Email", "Mobile phone", "Date of birth", "Visited before", "Added"]


def booking_rows(bookings):
    for booking in bookings:
        zone = booking.location.zone
        start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
        yield [
            booking.reference,
            f"{start:%Y-%m-%d}",
            time_label(start),
            time_label(end),
            f"{booking.patient.given_name} {booking.patient.family_name}",
            booking.patient.phone.as_national if booking.patient.phone else "",
            booking.patient.email,
            booking.service.name,
            booking.practitioner.name,
            booking.get_status_display(),
            booking.get_channel_display(),
            booking.notes,
        ]


def patient_rows(patients):
    for patient in patients:
        yield [
            patient.given_name,
            patient.family_name,
            patient.email,
            patient.phone.as_national if patient.phone else "",
            patient.date_of_birth.isoformat() if patient.date_of_birth else "",
            "Yes" if patient.is_returning else "No",
            f"{patient.created_at:%Y-%m-%d}",
        ]
