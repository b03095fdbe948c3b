"""Appointments and times in words, written once for the booking pages, the emails and the admin.

Patients read times as a clinic would say them ("10:00 am", "Thursday 3 December 2026", "Sydney
time"); staff read a compact 24-hour clinic time ("Thu 03 Dec 2026, 10:00"). Every time is shown
in the clinic's own time zone. A start time travels in addresses and forms as `start_value`.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import quote_plus

FIRST_AVAILABLE = "First available podiatrist"


def time_label(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def zone_label(location) -> str:
    return location.time_zone.rsplit("/", 1)[-1].replace("_", " ") + " time"


def start_value(start: datetime) -> str:
    """A start time as it travels in an address or a form (read back by `formfields.StartField`)."""
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def staff_time(moment: datetime, zone: tzinfo) -> str:
    """A moment in clinic time for staff: "Thu 03 Dec 2026, 10:00"."""
    return f"{moment.astimezone(zone):%a %d %b %Y, %H:%M}"


def staff_booking(booking) -> str:
    """A booking named for staff: "AMKFAV4Q: Review on Thu 03 Dec 2026, 10:00". Reads the
    booking's service and location, so load them with it."""
    return f"{booking.reference}: {booking.service} on {staff_time(booking.start, booking.location.zone)}"


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def appointment(*, service, location, start, practitioner=None) -> dict:
    """An appointment in the words the pages and emails show."""
    local = start.astimezone(location.zone)
    end = (start + service.duration).astimezone(location.zone)
    described = {
        "service": service,
        "day": f"{day_label(local.date())} {local.year}",
        "time": time_label(local),
        "zone": zone_label(location),
        "practitioner": practitioner.name if practitioner else FIRST_AVAILABLE,
        "location": location,
    }
    where = ", ".join(part for part in (location.name, location.address_one_line) if part)
    described["rows"] = [
        ("Appointment", service.name),
        ("Date", described["day"]),
        ("Time", f"{described['time']} ({described['zone']})"),
        ("Length", f"{duration_label(service.duration_minutes)}, until {time_label(end)}"),
        ("Practitioner", described["practitioner"]),
        ("Where", where),
        ("Fee", fee_label(service)),
    ]
    return described


def booking_appointment(booking, *, start=None, practitioner=None) -> dict:
    """`appointment` for a stored booking (or for the time it had before a move)."""
    return appointment(
        service=booking.service,
        location=booking.location,
        start=start or booking.start,
        practitioner=practitioner or booking.practitioner,
    )


@dataclass(frozen=True)
class TimeOption:
    """A free time as a patient sees it, and the form values that choose it."""

    start_at: datetime
    practitioner_id: int
    label: str
    day_label: str
    practitioner_name: str

    @property
    def start(self) -> str:
        return start_value(self.start_at)

    @property
    def choice(self) -> str:
        """One form value naming both the time and who with (read by `formfields.TimeChoiceField`)."""
        return f"{self.start}|{self.practitioner_id}"

    @property
    def full_label(self) -> str:
        return f"{self.day_label}, {self.label} with {self.practitioner_name}"


def time_options(slots, *, location, names: dict[int, str]) -> list[TimeOption]:
    """Free slots (from `availability`) as the patient reads them; `names` maps practitioner ids
    to names."""
    zone = location.zone
    options, day_labels = [], {}
    for slot in slots:
        local = slot.start.astimezone(zone)
        on = local.date()
        options.append(
            TimeOption(
                start_at=slot.start,
                practitioner_id=slot.practitioner_id,
                label=time_label(local),
                day_label=day_labels.get(on) or day_labels.setdefault(on, day_label(on)),
                practitioner_name=names.get(slot.practitioner_id, "a podiatrist"),
            )
        )
    return options


def fee_label(service) -> str:
    """A service's fee as patients read it: "$120", "From $85.50", or "Ask us" until it is set."""
    if service.price is None:
        return "Ask us"
    whole = service.price == service.price.to_integral_value()
    amount = f"${service.price:,.0f}" if whole else f"${service.price:,.2f}"
    return f"From {amount}" if service.price_from else amount


def map_link(location) -> str:
    """Opens the address in the phone's own maps app (a link to follow, never a map loaded)."""
    return "https://www.google.com/maps/search/?api=1&query=" + quote_plus(
        ", ".join(part for part in (location.name, location.address_one_line) if part)
    )


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def working_days(hours) -> str:
    """The days a practitioner works, from their weekly hours: "Monday, Wednesday and Friday"."""
    days = [WEEKDAY_NAMES[day] for day in sorted({row.weekday for row in hours})]
    return " and ".join([", ".join(days[:-1]), days[-1]]) if len(days) > 1 else "".join(days)


GENERAL_ADVICE = "Please bring the shoes you wear most, any orthotics, and any referral letters or scans."


def what_to_bring(service) -> str:
    return service.what_to_bring or GENERAL_ADVICE
