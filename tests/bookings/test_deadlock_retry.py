"""A booking PostgreSQL aborts to break a deadlock between two overlapping writes (each waiting
inside the exclusion constraint for the other) tries again, and so gets a clear answer or its
booking; other database errors are not retried."""

import pytest
from django.db import OperationalError

from bookings import services
from bookings.models import Booking
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db


class _Deadlock(Exception):
    sqlstate = "40P01"  # what PostgreSQL says when it breaks a deadlock


def _raise_first(monkeypatch, cause):
    """The first save of a booking fails as PostgreSQL fails it; later ones go through."""
    real_save, failed = Booking.save, []

    def save(self, *args, **kwargs):
        if not failed:
            failed.append(self)
            error = OperationalError("deadlock detected")
            error.__cause__ = cause
            raise error
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Booking, "save", save)
    return failed


def test_a_booking_that_postgresql_picks_to_break_a_deadlock_tries_again(clinic, patient, monkeypatch):
    # Two overlapping inserts can deadlock inside PostgreSQL's exclusion constraint; the one it
    # aborts must get a clear answer (or its booking), never a server error.
    failed = _raise_first(monkeypatch, _Deadlock())

    booking = services.booking_create(
        service=clinic["service"], location=clinic["location"], patient=patient, start=TEN_AM_SYDNEY_DEC_3, now=NOW
    )

    assert failed and Booking.objects.get() == booking


def test_other_database_errors_are_not_retried(clinic, patient, monkeypatch):
    _raise_first(monkeypatch, Exception("the server closed the connection"))

    with pytest.raises(OperationalError):
        services.booking_create(
            service=clinic["service"], location=clinic["location"], patient=patient, start=TEN_AM_SYDNEY_DEC_3, now=NOW
        )
    assert not Booking.objects.exists()
