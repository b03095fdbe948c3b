"""The public booking pages' working parts: the draft held in the session between the details
and review steps, the times picker (a month of days and a week of times), and wording for times.

Everything here reads availability through `bookings.availability`, one call per question, so a
page's query count does not grow with the number of bookings or days shown.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from phonenumber_field.phonenumber import to_python as to_phone_number

from bookings import availability

_DRAFTS = "booking_drafts"
# A patient may have a few tabs open; more drafts than this are dropped, oldest first.
_MAX_DRAFTS = 5


# The draft: the details form's cleaned data, JSON-ready, until the patient confirms.


def draft_save(session, key: uuid.UUID, draft: dict) -> None:
    drafts = {k: v for k, v in session.get(_DRAFTS, {}).items() if k != str(key)}
    drafts[str(key)] = draft
    session[_DRAFTS] = dict(list(drafts.items())[-_MAX_DRAFTS:])


def parse_key(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def draft_get(session, key: uuid.UUID) -> dict | None:
    return session.get(_DRAFTS, {}).get(str(key))


def patient_details(draft: dict) -> dict:
    """The draft's answers about the patient, as `booking_create_with_patient` takes them."""
    return {
        "given_name": draft["given_name"],
        "family_name": draft["family_name"],
        "email": draft["email"],
        "phone": to_phone_number(draft["phone"]),
        "date_of_birth": date.fromisoformat(draft["date_of_birth"]) if draft["date_of_birth"] else None,
        "is_returning": draft["is_returning"],
    }


def draft_finish(session, key: uuid.UUID, booking) -> None:
    """Forget the patient's details and remember only which booking the key made, so a second
    press of Confirm (or the back button) leads to that booking, not to an error."""
    draft_save(session, key, {"booking_id": booking.pk})


# Wording and query-string forms of times.


def start_param(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_start(value) -> datetime | None:
    """An aware start time from a URL or form, or None for anything unreadable or absurd (a
    tampered year 9999 must get a clear message, not overflow the date arithmetic)."""
    try:
        start = datetime.fromisoformat(str(value).strip())
        if start.tzinfo is None or not 2000 <= start.year <= 2999:
            return None
        return start.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_month(value) -> date | None:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def time_label(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def zone_label(location) -> str:
    return location.time_zone.rsplit("/", 1)[-1].replace("_", " ") + " time"


def appointment(*, service, location, start, practitioner=None) -> dict:
    """An appointment in the words the pages show."""
    local = start.astimezone(location.zone)
    described = {
        "service": service,
        "day": f"{day_label(local.date())} {local.year}",
        "time": time_label(local),
        "zone": zone_label(location),
        "practitioner": practitioner.name if practitioner else "First available podiatrist",
        "location": location,
    }
    where = ", ".join(part for part in (location.name, location.address_one_line) if part)
    described["rows"] = [
        ("Appointment", service.name),
        ("Date", described["day"]),
        ("Time", f"{described['time']} ({described['zone']})"),
        ("Practitioner", described["practitioner"]),
        ("Where", where),
    ]
    return described


@dataclass(frozen=True)
class TimeOption:
    """A free time as a patient sees it."""

    slot: availability.Slot
    label: str
    day_label: str
    practitioner_name: str

    @property
    def start(self) -> str:
        return start_param(self.slot.start)

    @property
    def practitioner_id(self) -> int:
        return self.slot.practitioner_id

    @property
    def choice(self) -> str:
        """One form value naming both the time and who with (see `parse_choice`)."""
        return f"{self.start}|{self.slot.practitioner_id}"

    @property
    def full_label(self) -> str:
        return f"{self.day_label}, {self.label} with {self.practitioner_name}"


def options(slots, *, location, names: dict[int, str]) -> list[TimeOption]:
    zone = location.zone
    return [
        TimeOption(
            slot=slot,
            label=time_label(slot.local_start(zone)),
            day_label=day_label(slot.local_start(zone).date()),
            practitioner_name=names.get(slot.practitioner_id, "a podiatrist"),
        )
        for slot in slots
    ]


def parse_choice(value) -> tuple[datetime, int] | None:
    start, _, practitioner_id = str(value or "").partition("|")
    parsed = parse_start(start)
    if parsed is None or not practitioner_id.isdigit():
        return None
    return parsed, int(practitioner_id)


# Is a time free, and what is near it.


def slot_is_free(*, service, location, practitioner, start, now, ignore_booking_id=None) -> bool:
    """With no practitioner ("first available"), free when anyone offering the service is."""
    return bool(
        availability.free_practitioner_ids(
            service=service,
            location=location,
            start=start,
            practitioner=practitioner,
            now=now,
            ignore_booking_id=ignore_booking_id,
        )
    )


def nearest_options(*, service, location, around, now, names, ignore_booking_id=None) -> list[TimeOption]:
    slots = availability.nearest_free_slots(
        service=service, location=location, around=around, now=now, ignore_booking_id=ignore_booking_id
    )
    return options(slots, location=location, names=names)
