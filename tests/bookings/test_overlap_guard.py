"""The database's own refusal of overlapping bookings: written from the code's active statuses,
and `manage.py check` fails loudly when it is missing or out of date."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import IntegrityError, connection, transaction

from bookings import overlap_guard
from bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from bookings.models.schedule import LONGEST_BLOCK
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db


def _run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def guard():
    """Lets a test break the guard; puts it back afterwards whatever happens."""
    editor = SimpleNamespace(connection=connection, execute=lambda sql: _run([sql]))
    yield editor
    overlap_guard.install(None, editor)


def _book(clinic, patient, start, status):
    return Booking.objects.create(
        patient=patient,
        service=clinic["service"],
        practitioner=clinic["practitioners"][0],
        location=clinic["location"],
        start=start,
        end=start + timedelta(minutes=60),
        blocked_until=start + timedelta(minutes=70),
        status=status,
    )


@pytest.mark.parametrize("status", BookingStatus.values)
def test_the_database_refuses_an_overlap_exactly_for_the_active_statuses(clinic, patient, status):
    _book(clinic, patient, TEN_AM_SYDNEY_DEC_3, BookingStatus.CONFIRMED)
    overlapping = TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30)

    if status in ACTIVE_STATUSES:
        with pytest.raises(IntegrityError), transaction.atomic():
            _book(clinic, patient, overlapping, status)
    else:
        _book(clinic, patient, overlapping, status)
    assert Booking.objects.filter(status=status, start=overlapping).exists() == (status not in ACTIVE_STATUSES)


def test_the_guard_in_the_database_holds_time_for_the_codes_active_statuses():
    assert overlap_guard.guarded_statuses(connection) == {str(status) for status in ACTIVE_STATUSES}
    assert overlap_guard.problem(connection) is None
    call_command("check", verbosity=0)


def test_manage_py_check_fails_when_the_guard_is_missing(guard):
    overlap_guard.remove(None, guard)

    with pytest.raises(SystemCheckError, match=r"bookings\.E001.*no booking_no_overlap guard"):
        call_command("check", verbosity=0)


def test_manage_py_check_fails_when_the_guard_holds_other_statuses(guard):
    vendor = connection.vendor
    overlap_guard.remove(None, guard)
    only_confirmed = [BookingStatus.CONFIRMED]
    if vendor == "postgresql":
        _run(overlap_guard.postgres_statements(only_confirmed))
    else:
        _run(overlap_guard.sqlite_statements(only_confirmed))

    with pytest.raises(SystemCheckError, match=r"holds time for bookings in \['confirmed'\]"):
        call_command("check", verbosity=0)


def test_the_guard_finds_an_overlap_with_the_longest_booking_allowed_and_refuses_a_longer_one(clinic, patient):
    """The guard reads only bookings that start less than LONGEST_BLOCK before a new one; that
    is sound because no booking may hold longer."""
    longest = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3, BookingStatus.CONFIRMED)
    longest.blocked_until = longest.start + LONGEST_BLOCK
    longest.save()
    just_inside = longest.blocked_until - timedelta(minutes=15)
    with pytest.raises(IntegrityError), transaction.atomic():
        _book(clinic, patient, just_inside, BookingStatus.CONFIRMED)
    _book(clinic, patient, longest.blocked_until, BookingStatus.CONFIRMED)  # touching is allowed

    longest.blocked_until += timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        longest.save()
    later = TEN_AM_SYDNEY_DEC_3 + timedelta(days=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            patient=patient, service=clinic["service"], practitioner=clinic["practitioners"][1],
            location=clinic["location"], start=later, end=later + timedelta(hours=1),
            blocked_until=later + LONGEST_BLOCK + timedelta(minutes=1),
        )  # fmt: skip
    assert Booking.objects.count() == 2
