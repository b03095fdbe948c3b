"""The bookings admin, registered by its modules: the clinic and its schedule (`schedule.py`),
patients (`patients.py`), bookings (`booking.py`), their emails (`outbox.py`), the health
questionnaire (`questionnaire.py`), the waitlist (`waitlist.py`) and the audit trail (`audit.py`)."""

from bookings.admin import audit, booking, outbox, patients, questionnaire, schedule, waitlist  # noqa: F401
