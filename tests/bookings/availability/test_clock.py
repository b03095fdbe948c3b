"""Free times across daylight saving, time zones and calendar boundaries; re-checking one time,
and offering alternatives."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.availability import free_slots, is_slot_free, nearest_free_slots
from bookings.models import ClinicClosure, PublicHolidayOpening, TimeOff
from tests.bookings.availability.slots import (
    MONDAY,
    SUNDAY,
    SYDNEY,
    at,
    book,
    every_quarter_hour,
    local_times,
    make_clinic,
    open_days,
    slots_on,
    week_before,
)
from tests.bookings.factories import (
    make_hours,
    make_practitioner,
)

# Daylight saving, time zones and calendar boundaries


def test_clocks_going_forward_in_sydney_offer_no_missing_time_and_keep_real_durations(clinic):
    make_hours(clinic.practitioner, clinic.location, "01:00-04:00", weekdays=[SUNDAY])

    slots = slots_on(clinic, date(2026, 10, 4))

    assert local_times(slots) == ["01:00", "01:15", "01:30", "01:45", "03:00"]
    assert [slot.start for slot in slots] == [
        datetime(2026, 10, 3, 15, minute, tzinfo=UTC) for minute in (0, 15, 30, 45)
    ] + [datetime(2026, 10, 3, 16, 0, tzinfo=UTC)]
    half_past_one = slots[2]
    assert half_past_one.end - half_past_one.start == timedelta(minutes=60)
    assert half_past_one.end.astimezone(SYDNEY).strftime("%H:%M %Z") == "03:30 AEDT"


def test_clocks_going_back_in_sydney_offer_each_wall_time_once_at_its_first_occurrence(clinic):
    easter_sunday = date(2026, 4, 5)
    PublicHolidayOpening.objects.create(location=clinic.location, date=easter_sunday)
    make_hours(clinic.practitioner, clinic.location, "01:00-04:00", weekdays=[SUNDAY])

    slots = slots_on(clinic, easter_sunday)

    assert local_times(slots) == every_quarter_hour("01:00", "03:00")
    assert [slot.start for slot in slots] == [
        datetime(2026, 4, 4, 14, 0, tzinfo=UTC) + timedelta(minutes=15 * i) for i in range(8)
    ] + [datetime(2026, 4, 4, 17, 0, tzinfo=UTC)]
    half_past_two = slots[6]
    assert half_past_two.local_start(SYDNEY).strftime("%H:%M %Z") == "02:30 AEDT"
    assert half_past_two.end - half_past_two.start == timedelta(minutes=60)
    assert half_past_two.end.astimezone(SYDNEY).strftime("%H:%M %Z") == "02:30 AEST"


def test_hours_ending_in_the_skipped_hour_end_when_the_clocks_jump(clinic):
    make_hours(clinic.practitioner, clinic.location, "01:00-02:30", weekdays=[SUNDAY])

    slots = slots_on(clinic, date(2026, 10, 4))

    assert [(slot.start, slot.end) for slot in slots] == [
        (datetime(2026, 10, 3, 15, 0, tzinfo=UTC), datetime(2026, 10, 3, 16, 0, tzinfo=UTC))
    ]


def test_hours_ending_in_the_repeated_hour_end_at_its_first_occurrence(clinic):
    easter_sunday = date(2026, 4, 5)
    PublicHolidayOpening.objects.create(location=clinic.location, date=easter_sunday)
    make_hours(clinic.practitioner, clinic.location, "01:00-02:30", weekdays=[SUNDAY])

    slots = slots_on(clinic, easter_sunday)

    assert local_times(slots) == ["01:00", "01:15", "01:30"]
    assert slots[-1].end.astimezone(SYDNEY).strftime("%H:%M %Z") == "02:30 AEDT"


@pytest.mark.parametrize("day", [date(2026, 10, 4), date(2026, 4, 5)])
def test_brisbane_has_no_daylight_saving(db, day):
    clinic = make_clinic(time_zone="Australia/Brisbane", state="QLD")
    PublicHolidayOpening.objects.create(location=clinic.location, date=day)
    make_hours(clinic.practitioner, clinic.location, "01:00-04:00", weekdays=[SUNDAY])
    brisbane = ZoneInfo("Australia/Brisbane")

    slots = slots_on(clinic, day)

    assert local_times(slots, brisbane) == every_quarter_hour("01:00", "03:00")
    first_utc = datetime.combine(day - timedelta(days=1), time(15), tzinfo=UTC)
    assert [slot.start for slot in slots] == [first_utc + timedelta(minutes=15 * i) for i in range(9)]


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        (date(2026, 7, 6), datetime(2026, 7, 5, 23, 30, tzinfo=UTC)),  # ACST, UTC+9:30
        (date(2026, 12, 7), datetime(2026, 12, 6, 22, 30, tzinfo=UTC)),  # ACDT, UTC+10:30
    ],
)
def test_adelaide_half_hour_offset(db, day, expected_utc):
    clinic = make_clinic(time_zone="Australia/Adelaide", state="SA")
    make_hours(clinic.practitioner, clinic.location, "09:00-10:15")

    slots = slots_on(clinic, day)

    assert local_times(slots, ZoneInfo("Australia/Adelaide")) == ["09:00", "09:15"]
    assert [slot.start for slot in slots] == [expected_utc, expected_utc + timedelta(minutes=15)]


def test_hours_until_just_before_midnight_and_clean_up_past_it(db):
    clinic = make_clinic(duration=30, buffer=30)
    make_hours(clinic.practitioner, clinic.location, "22:00-23:59")

    assert local_times(slots_on(clinic, MONDAY)) == every_quarter_hour("22:00", "23:15")

    book(clinic, at("2026-11-03 00:00"))  # tomorrow's first booking, outside the day asked for
    assert local_times(slots_on(clinic, MONDAY)) == every_quarter_hour("22:00", "23:00")


def test_a_range_of_dates_crosses_month_ends(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")

    days = open_days(clinic, date(2026, 10, 30), date(2026, 11, 2))
    slots = free_slots(
        service=clinic.service,
        location=clinic.location,
        start_date=date(2026, 10, 31),
        end_date=date(2026, 11, 1),
        now=week_before(date(2026, 10, 31)),
    )

    assert days == {date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)}
    assert [slot.start for slot in slots] == [
        datetime(2026, 10, 30, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 31, 22, 0, tzinfo=UTC),
    ]


def test_a_range_of_dates_crosses_the_new_year_and_its_holiday(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00", "22:00-23:59")
    first, last = date(2026, 12, 31), date(2027, 1, 2)

    slots = free_slots(
        service=clinic.service, location=clinic.location, start_date=first, end_date=last, now=week_before(first)
    )

    assert {slot.local_start(SYDNEY).date() for slot in slots} == {first, last}  # New Year's Day is closed
    assert slots[-6].local_start(SYDNEY).strftime("%d %b %Y %H:%M") == "31 Dec 2026 22:45"
    assert slots[-5].start == datetime(2027, 1, 1, 22, 0, tzinfo=UTC)


def test_days_with_free_times_leave_out_booked_closed_and_away_days(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    book(clinic, at("2026-11-04 09:00"))
    ClinicClosure.objects.create(location=clinic.location, start_date=date(2026, 11, 6), end_date=date(2026, 11, 6))
    TimeOff.objects.create(practitioner=clinic.practitioner, start=at("2026-11-07 08:00"), end=at("2026-11-07 12:00"))

    days = open_days(clinic, date(2026, 11, 2), date(2026, 11, 8))

    assert days == {date(2026, 11, d) for d in (2, 3, 5, 8)}


# Re-checking one time and offering alternatives


def test_is_slot_free(clinic):
    other = make_practitioner(services=[clinic.service], locations=[clinic.location])
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    make_hours(other, clinic.location, "09:00-17:00")
    booking = book(clinic, at("2026-11-02 10:00"))
    now = week_before(MONDAY)

    def free(start, practitioner=clinic.practitioner, **options):
        return is_slot_free(
            service=clinic.service, location=clinic.location, practitioner=practitioner, start=start, now=now, **options
        )

    assert free(at("2026-11-02 09:00"))
    assert free(datetime(2026, 11, 1, 22, 0, tzinfo=UTC))  # the same time given in UTC
    assert not free(at("2026-11-02 11:05"))  # off the grid
    assert not free(at("2026-11-02 10:00"))
    assert not free(at("2026-11-02 10:30"))
    assert not free(at("2026-11-02 16:15"))  # would run past the end of the day
    assert free(at("2026-11-02 10:30"), ignore_booking_id=booking.pk)  # moving that booking
    assert free(at("2026-11-02 10:00"), practitioner=other)
    assert not is_slot_free(
        service=clinic.service,
        location=clinic.location,
        practitioner=clinic.practitioner,
        start=at("2026-11-02 09:00"),
        now=at("2026-11-02 08:00"),
    )


def test_nearest_free_slots_are_the_closest_times_to_the_taken_one(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    taken = at("2026-11-02 11:00")
    book(clinic, taken)

    nearest = nearest_free_slots(
        service=clinic.service, location=clinic.location, around=taken, count=4, now=week_before(MONDAY)
    )

    assert local_times(nearest) == ["09:45", "10:00", "12:00", "12:15"]


def test_nearest_free_slots_offer_each_time_once_across_practitioners(clinic):
    other = make_practitioner(services=[clinic.service], locations=[clinic.location])
    make_hours(clinic.practitioner, clinic.location, "09:00-17:00")
    make_hours(other, clinic.location, "09:00-17:00")
    taken = at("2026-11-02 11:00")
    book(clinic, taken)

    nearest = nearest_free_slots(
        service=clinic.service, location=clinic.location, around=taken, count=3, now=week_before(MONDAY)
    )
    many = nearest_free_slots(
        service=clinic.service, location=clinic.location, around=taken, count=40, now=week_before(MONDAY)
    )

    assert local_times(nearest) == ["10:45", "11:00", "11:15"]
    assert {slot.practitioner_id for slot in nearest} == {other.pk}
    assert len({slot.start for slot in many}) == len(many) == 40


def test_nearest_free_slots_look_at_the_days_either_side(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-10:00")
    taken = at("2026-11-04 09:00")
    book(clinic, taken)

    nearest = nearest_free_slots(
        service=clinic.service, location=clinic.location, around=taken, count=2, now=week_before(MONDAY)
    )

    assert [slot.local_start(SYDNEY) for slot in nearest] == [at("2026-11-03 09:00"), at("2026-11-05 09:00")]
