class BookingError(Exception):
    """A booking could not be made or changed; the message is safe to show the patient."""


class SlotUnavailable(BookingError):
    """The time is no longer free (taken meanwhile, or outside the bookable times)."""


class ChangeNotAllowed(BookingError):
    """The booking cannot be changed online (too close to the start, already cancelled...)."""
