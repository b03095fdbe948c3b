"""A booking PostgreSQL aborts to break a deadlock between two overlapping writes (each waiting
inside the exclusion constraint for the other) tries again, and so gets a clear answer or its
booking; other database errors are not retried."""

from datetime import time

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


def test_a_patient_refused_by_the_database_more_often_than_it_tries_again_is_told_the_time_was_taken(
    clinic, patient, monkeypatch
):
    """Every practitioner free for "first available" is taken a moment before each try (here:
    the database refuses every insert): a clear answer after the last try, never a server error."""
    from django.db import IntegrityError

    from bookings.errors import SlotUnavailable
    from bookings.models import Practitioner, WorkingHours
    from bookings.services import create

    for index in range(create._ATTEMPTS):
        extra = Practitioner.objects.create(name=f"Extra {index}", slug=f"extra-{index}")
        extra.services.add(clinic["service"])
        extra.locations.add(clinic["location"])
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=extra, location=clinic["location"], weekday=day, start=time(8), end=time(18))
            for day in range(7)
        )
    refused = []

    def save(self, *args, **kwargs):
        refused.append(self.practitioner_id)
        raise IntegrityError("booking_no_overlap")

    monkeypatch.setattr(Booking, "save", save)
    with pytest.raises(SlotUnavailable):
        services.booking_create(
            service=clinic["service"], location=clinic["location"], patient=patient, start=TEN_AM_SYDNEY_DEC_3, now=NOW
        )
    assert len(refused) == create._ATTEMPTS == len(set(refused))  # each try with someone new
