"""The bookings app's models: the clinic and its hours, the schedule, and patients' bookings.

This package only hands its submodules' names on (migrations refer to `new_reference` and
`validate_time_zone` by this path).
"""

from bookings.models.audit import StaffView, StaffViewKind
from bookings.models.booking import (
    ACTIVE_STATUSES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Booking,
    BookingChannel,
    BookingStatus,
    Patient,
    new_reference,
)
from bookings.models.clinic import AustralianState, Hicaps, Location, OpeningHours, Weekday, validate_time_zone
from bookings.models.outbox import (
    BOOKING_NEWS_KINDS,
    REMINDER_KINDS,
    EmailKind,
    EmailState,
    OutboxEmail,
    Recipient,
)
from bookings.models.questionnaire import (
    Answer,
    HealthQuestion,
    QuestionKind,
    Questionnaire,
    QuestionStep,
)
from bookings.models.rules import BookingRules
from bookings.models.schedule import (
    ClinicClosure,
    ConfirmationMode,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)
from bookings.models.team import PhotoFormat, PractitionerPhoto
from bookings.models.waitlist import OfferState, WaitlistEntry, WaitlistOffer, WaitlistState

__all__ = [
    "StaffView",
    "StaffViewKind",
    "Answer",
    "HealthQuestion",
    "QuestionKind",
    "Questionnaire",
    "QuestionStep",
    "ACTIVE_STATUSES",
    "BOOKING_NEWS_KINDS",
    "EmailKind",
    "EmailState",
    "OutboxEmail",
    "REMINDER_KINDS",
    "Recipient",
    "AustralianState",
    "Hicaps",
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
    "OfferState",
    "PhotoFormat",
    "PractitionerPhoto",
    "WaitlistEntry",
    "WaitlistOffer",
    "WaitlistState",
    "new_reference",
    "validate_time_zone",
]
