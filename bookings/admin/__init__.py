"""The bookings admin, registered by its modules: the clinic and its schedule (`schedule.py`),
patients (`patients.py`) and bookings (`booking.py`)."""

from bookings.admin import booking, patients, schedule  # noqa: F401
