class BookingError(Exception):
    """A booking could not be made or changed; the message is safe to show the patient.

    `field` names the form field the refusal is about (None: the booking as a whole), so a form
    can show the service's own message by the field that caused it."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field


class SlotUnavailable(BookingError):
    """The time is no longer free (taken meanwhile, or outside the bookable times)."""

    field = "start"


class OutsideNormalHours(BookingError):
    """Staff chose a time outside the normal schedule (past, closed, not working) without saying
    it is meant."""

    field = "start"


class ChangeNotAllowed(BookingError):
    """The booking cannot be changed (too close to the start online, already cancelled...)."""

    field = "status"


class AlreadyBooked(BookingError):
    """The booking form's key already made a booking, and this request cannot prove it is the
    session that made it: the booking is not shown, only that it exists."""
