"""The bookings admin, registered by its modules: the clinic and its schedule (`schedule.py`),
patients (`patients.py`), bookings (`booking.py`) and their emails (`outbox.py`)."""

from bookings.admin import booking, outbox, patients, schedule  # noqa: F401
