"""Which appointment times patients are offered: hours, bookings, closures, holidays and the window."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import BookingRules, BookingStatus, ClinicClosure, PublicHolidayOpening, TimeOff
from bookings.models.schedule import MAX_BUFFER_MINUTES, MAX_DURATION_MINUTES
from tests.bookings.availability.slots import (
    MONDAY,
    at,
    book,
    every_quarter_hour,
    local_times,
    make_clinic,
    open_days,
    slots_on,
)
from tests.bookings.factories import (
    make_hours,
    make_location,
    make_practitioner,
)

# The grid and working hours


def test_slots_follow_the_grid_within_each_of_two_ranges_a_day(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-12:00", "13:00-17:00")

    slots = slots_on(clinic, MONDAY)

    assert local_times(slots) == every_quarter_hour("09:00", "11:00") + every_quarter_hour("13:00", "16:00")
    assert slots[0].start == datetime(2026, 11, 1, 22, 0, tzinfo=UTC)
    assert all(slot.end - slot.start == timedelta(minutes=60) for slot in slots)
    assert {(slot.practitioner_id, slot.location_id) for slot in slots} == {
        (clinic.practitioner.pk, clinic.location.pk)
    }


def test_grid_is_set_by_the_clock_and_the_booking_rules_not_the_range_start(clinic):
    clinic.service.duration_minutes = 45
    make_hours(clinic.practitioner, clinic.location, "09:10-11:00")

    assert local_times(slots_on(clinic, MONDAY)) == ["09:15", "09:30", "09:45", "10:00", "10:15"]

    BookingRules.objects.create(slot_minutes=30)
    assert local_times(slots_on(clinic, MONDAY)) == ["09:30", "10:00"]


def test_slots_of_several_practitioners_are_sorted_by_time_then_practitioner(clinic):
    other = make_practitioner(services=[clinic.service], locations=[clinic.location])
    make_hours(other, clinic.location, "09:00-10:30")
    make_hours(clinic.practitioner, clinic.location, "09:30-10:30")

    slots = slots_on(clinic, MONDAY)

    first, second = sorted([clinic.practitioner.pk, other.pk])
    assert [(time, slot.practitioner_id) for time, slot in zip(local_times(slots), slots, strict=True)] == [
        ("09:00", other.pk),
        ("09:15", other.pk),
        ("09:30", first),
        ("09:30", second),
    ]
    assert local_times(slots_on(clinic, MONDAY, practitioner=clinic.practitioner)) == ["09:30"]


# Bookings, buffers and time off


def test_buffer_keeps_clean_up_time_free_around_bookings(db):
    clinic = make_clinic(buffer=15)
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    book(clinic, at("2026-11-02 12:00"))  # holds the practitioner until 13:15

    times = local_times(slots_on(clinic, MONDAY))

    assert "13:00" not in times  # inside the booking's clean-up time
    assert "13:15" in times
    assert "11:00" not in times  # its own clean-up would run into the 12:00 booking
    assert "10:45" in times
    assert "16:00" in times  # clean-up may run past the end of the working day


def test_a_booking_blocks_only_its_practitioners_overlapping_slots(clinic):
    other = make_practitioner(services=[clinic.service], locations=[clinic.location])
    make_hours(clinic.practitioner, clinic.location, "09:00-12:00")
    make_hours(other, clinic.location, "09:00-12:00")
    book(clinic, at("2026-11-02 10:00"))

    assert local_times(slots_on(clinic, MONDAY, practitioner=clinic.practitioner)) == ["09:00", "11:00"]
    assert "10:00" in local_times(slots_on(clinic, MONDAY, practitioner=other))


@pytest.mark.parametrize(
    ("status", "blocks"),
    [
        (BookingStatus.CONFIRMED, True),
        (BookingStatus.REQUESTED, True),
        (BookingStatus.CANCELLED, False),
        (BookingStatus.COMPLETED, False),
        (BookingStatus.NO_SHOW, False),
    ],
)
def test_only_active_bookings_block(clinic, status, blocks):
    make_hours(clinic.practitioner, clinic.location, "09:00-11:00")
    book(clinic, at("2026-11-02 09:00"), status=status)

    assert ("09:00" not in local_times(slots_on(clinic, MONDAY))) is blocks


def test_a_booking_at_another_location_blocks_the_same_practitioner(clinic):
    elsewhere = make_location(suburb="Parramatta")
    clinic.practitioner.locations.add(elsewhere)
    make_hours(clinic.practitioner, clinic.location, "09:00-12:00")
    book(clinic, at("2026-11-02 10:00"), location=elsewhere)

    assert local_times(slots_on(clinic, MONDAY)) == ["09:00", "11:00"]


def test_time_off_blocks_the_slots_it_overlaps(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    TimeOff.objects.create(practitioner=clinic.practitioner, start=at("2026-11-02 12:00"), end=at("2026-11-02 14:30"))
    TimeOff.objects.create(practitioner=clinic.practitioner, start=at("2026-11-03 00:00"), end=at("2026-11-04 00:00"))

    times = local_times(slots_on(clinic, MONDAY))

    assert times == every_quarter_hour("09:00", "11:00") + every_quarter_hour("14:30", "16:00")
    assert open_days(clinic, MONDAY, MONDAY + timedelta(days=2)) == {MONDAY, MONDAY + timedelta(days=2)}


def test_time_off_covering_a_booking_blocks_all_of_its_time(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-14:00")
    book(clinic, at("2026-11-02 09:30"))
    TimeOff.objects.create(practitioner=clinic.practitioner, start=at("2026-11-02 09:00"), end=at("2026-11-02 12:00"))

    assert local_times(slots_on(clinic, MONDAY)) == every_quarter_hour("12:00", "13:00")


# Closures and public holidays


def test_clinic_closure_closes_every_day_of_its_inclusive_range(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    ClinicClosure.objects.create(location=clinic.location, start_date=date(2026, 11, 3), end_date=date(2026, 11, 4))

    assert open_days(clinic, date(2026, 11, 2), date(2026, 11, 5)) == {date(2026, 11, 2), date(2026, 11, 5)}


def test_a_public_holiday_closes_the_clinic_unless_it_opens_that_day(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    australia_day = date(2027, 1, 26)
    around = (australia_day - timedelta(days=1), australia_day + timedelta(days=1))

    assert open_days(clinic, *around) == {around[0], around[1]}

    PublicHolidayOpening.objects.create(location=clinic.location, date=australia_day)
    assert open_days(clinic, *around) == {around[0], australia_day, around[1]}


@pytest.mark.parametrize(
    ("time_zone", "state", "holiday"),
    [
        ("Australia/Brisbane", "QLD", date(2026, 8, 12)),  # Royal Queensland Show
        ("Australia/Adelaide", "SA", date(2026, 3, 9)),  # Adelaide Cup Day
    ],
)
def test_a_state_holiday_closes_only_that_states_clinics(clinic, time_zone, state, holiday):
    interstate = make_location(time_zone=time_zone, state=state)
    clinic.practitioner.locations.add(interstate)
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    make_hours(clinic.practitioner, interstate, "09:00-10:00")

    assert open_days(clinic, holiday, holiday) == {holiday}
    assert open_days(clinic, holiday, holiday, location=interstate) == set()


def test_working_hours_apply_only_between_their_inclusive_effective_dates(clinic):
    mondays = [0]
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00", weekdays=mondays, effective_to=date(2026, 11, 9))
    make_hours(clinic.practitioner, clinic.location, "14:00-15:00", weekdays=mondays, effective_from=date(2026, 11, 16))
    one_day = date(2026, 11, 16)
    make_hours(
        clinic.practitioner,
        clinic.location,
        "16:00-17:00",
        weekdays=mondays,
        effective_from=one_day,
        effective_to=one_day,
    )

    assert local_times(slots_on(clinic, date(2026, 11, 9))) == ["09:00"]
    assert local_times(slots_on(clinic, date(2026, 11, 16))) == ["14:00", "16:00"]
    assert local_times(slots_on(clinic, date(2026, 11, 23))) == ["14:00"]


# Booking window


def test_slots_need_the_minimum_notice(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")

    assert local_times(slots_on(clinic, MONDAY, now=at("2026-11-02 09:00")))[0] == "11:00"
    assert local_times(slots_on(clinic, MONDAY, now=at("2026-11-02 09:01")))[0] == "11:15"


def test_slots_reach_max_days_ahead_counted_in_local_dates(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    now = at("2026-11-03 07:00")  # still 2 November in UTC
    limit = date(2026, 11, 3) + timedelta(days=90)

    assert limit == date(2027, 2, 1)
    assert open_days(clinic, date(2027, 1, 31), date(2027, 2, 3), now=now) == {date(2027, 1, 31), limit}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda c: setattr(c.practitioner, "active", False), id="inactive practitioner"),
        pytest.param(lambda c: c.practitioner.services.clear(), id="practitioner not offering the service"),
        pytest.param(lambda c: c.practitioner.locations.clear(), id="practitioner not at the location"),
        pytest.param(lambda c: setattr(c.service, "active", False), id="inactive service"),
        pytest.param(lambda c: setattr(c.service, "bookable_online", False), id="service booked by phone only"),
        pytest.param(lambda c: setattr(c.location, "active", False), id="inactive location"),
    ],
)
def test_nothing_is_offered_without_an_active_practitioner_service_and_location(clinic, change):
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    assert slots_on(clinic, MONDAY)

    change(clinic)
    for instance in (clinic.practitioner, clinic.service, clinic.location):
        instance.save()

    assert slots_on(clinic, MONDAY) == []


def test_the_longest_booking_a_service_allows_still_blocks_the_next_morning(db):
    # The free-times query reads bookings from at most LONGEST_BLOCK before the range (so the
    # start index bounds it): a 12-hour booking with 4 hours of clean-up from 6 pm still blocks.
    clinic = make_clinic(duration=MAX_DURATION_MINUTES, buffer=MAX_BUFFER_MINUTES)
    make_hours(clinic.practitioner, clinic.location, "00:00-23:59")
    book(clinic, at("2026-11-01 18:00"))  # Sunday evening, held until 10 am on Monday

    times = local_times(slots_on(clinic, MONDAY))

    assert times == [] or times[0] >= "10:00"
    with CaptureQueriesContext(connection) as queries:
        slots_on(clinic, MONDAY)
    (bookings,) = [q["sql"] for q in queries if 'FROM "bookings_booking"' in q["sql"]]
    assert '"bookings_booking"."start" >=' in bookings


@pytest.mark.parametrize(("field", "too_long"), [("duration_minutes", 12 * 60 + 1), ("buffer_minutes", 4 * 60 + 1)])
def test_a_service_longer_than_the_limits_is_refused(db, field, too_long):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from bookings.models import Service

    service = Service(name="Marathon", slug="marathon", **{field: too_long})
    with pytest.raises(ValidationError, match="less than or equal to"):
        service.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        service.save()
