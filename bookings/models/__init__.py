"""The bookings app's models: the clinic and its hours, the schedule, and patients' bookings.

`validate_time_zone` and `new_reference` live here because migrations refer to them by this path.
"""

import secrets
import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a time zone name such as Australia/Sydney.", params={"value": value})


REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY346789"  # no look-alikes such as 0/O, 1/I, 5/S, 2/Z, B/8
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


from bookings.models.booking import (  # noqa: E402
    ACTIVE_STATUSES,
    Booking,
    BookingChannel,
    BookingStatus,
    Patient,
)
from bookings.models.clinic import AustralianState, Location, OpeningHours, Weekday  # noqa: E402
from bookings.models.schedule import (  # noqa: E402
    BookingRules,
    ClinicClosure,
    ConfirmationMode,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)

__all__ = [
    "ACTIVE_STATUSES",
    "AustralianState",
    "Booking",
    "BookingChannel",
    "BookingRules",
    "BookingStatus",
    "ClinicClosure",
    "ConfirmationMode",
    "Location",
    "OpeningHours",
    "Patient",
    "Practitioner",
    "PublicHolidayOpening",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "Service",
    "TimeOff",
    "Weekday",
    "WorkingHours",
    "new_reference",
    "validate_time_zone",
]
