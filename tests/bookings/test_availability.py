"""Which appointment times patients are offered: hours, bookings, closures, holidays, time zones."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bookings.availability import free_slots, is_slot_free, load_schedule, nearest_free_slots
from bookings.models import Booking, BookingRules, BookingStatus, ClinicClosure, PublicHolidayOpening, TimeOff
from bookings.slot_grid import compute_free_slots
from tests.bookings.factories import (
    make_booking,
    make_hours,
    make_location,
    make_patient,
    make_practitioner,
    make_service,
)

SYDNEY = ZoneInfo("Australia/Sydney")
MONDAY = date(2026, 11, 2)  # an ordinary working Monday in Sydney summer time (UTC+11)
SUNDAY = 6


def at(text: str, zone: ZoneInfo = SYDNEY) -> datetime:
    """A local wall time; an ambiguous one means its first occurrence."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def week_before(day: date) -> datetime:
    return datetime.combine(day - timedelta(days=7), time(9), tzinfo=SYDNEY)


def local_times(slots, zone: ZoneInfo = SYDNEY) -> list[str]:
    return [slot.local_start(zone).strftime("%H:%M") for slot in slots]


def every_quarter_hour(first: str, last: str) -> list[str]:
    start, end = (datetime.combine(MONDAY, time.fromisoformat(value)) for value in (first, last))
    return [
        (start + timedelta(minutes=15 * i)).strftime("%H:%M") for i in range((end - start) // timedelta(minutes=15) + 1)
    ]


def slots_on(clinic, day: date, **options) -> list:
    options.setdefault("now", week_before(day))
    options.setdefault("service", clinic.service)
    options.setdefault("location", clinic.location)
    return free_slots(start_date=day, end_date=day, **options)


def open_days(clinic, first: date, last: date, *, location=None, **options) -> set[date]:
    """The local dates with at least one free slot."""
    options.setdefault("now", week_before(first))
    location = location or clinic.location
    slots = free_slots(service=clinic.service, location=location, start_date=first, end_date=last, **options)
    return {slot.local_start(location.zone).date() for slot in slots}


def make_clinic(*, time_zone="Australia/Sydney", state="NSW", duration=60, buffer=0):
    location = make_location(time_zone=time_zone, state=state)
    service = make_service(duration_minutes=duration, buffer_minutes=buffer)
    practitioner = make_practitioner(services=[service], locations=[location])
    return SimpleNamespace(location=location, service=service, practitioner=practitioner)


@pytest.fixture
def clinic(db):
    return make_clinic()


def book(clinic, start: datetime, *, practitioner=None, location=None, **fields) -> Booking:
    return make_booking(
        practitioner=practitioner or clinic.practitioner,
        location=location or clinic.location,
        service=fields.pop("service", clinic.service),
        start=start,
        **fields,
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


def test_days_with_free_slots_leaves_out_booked_closed_and_away_days(clinic):
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


# Query count and correctness at scale


def test_loading_takes_the_same_few_queries_for_one_or_a_thousand_bookings(db, django_assert_num_queries):
    clinic = make_clinic(buffer=15)
    practitioners = [clinic.practitioner] + [
        make_practitioner(services=[clinic.service], locations=[clinic.location]) for _ in range(2)
    ]
    for practitioner in practitioners:
        make_hours(practitioner, clinic.location, "08:00-18:00")
    first, last = MONDAY, MONDAY + timedelta(days=89)
    now = at("2026-11-01 09:00")
    patient = make_patient()
    starts = [
        (practitioner, at(f"{first + timedelta(days=day)} {hour:02}:00"))
        for day in range(90)
        for hour in (8, 10, 12, 14)
        for practitioner in practitioners
    ][:1000]

    def load_and_compute():
        return free_slots(service=clinic.service, location=clinic.location, start_date=first, end_date=last, now=now)

    book(clinic, starts[0][1], patient=patient)
    with django_assert_num_queries(6):
        few_bookings = load_and_compute()
    Booking.objects.bulk_create(
        Booking(
            patient=patient,
            service=clinic.service,
            practitioner=practitioner,
            location=clinic.location,
            start=start,
            end=start + clinic.service.duration,
            blocked_until=start + clinic.service.duration + clinic.service.buffer,
        )
        for practitioner, start in starts[1:]
    )
    with django_assert_num_queries(6):
        slots = load_and_compute()
    schedule = load_schedule(service=clinic.service, location=clinic.location, start_date=first, end_date=last)
    with django_assert_num_queries(0):
        assert compute_free_slots(schedule, now=now) == slots

    assert len(slots) < len(few_bookings)
    busy = {}
    for practitioner, start in starts:
        busy.setdefault((practitioner.pk, start.date()), []).append(
            (start, start + clinic.service.duration + clinic.service.buffer)
        )
    span = clinic.service.duration + clinic.service.buffer
    for slot in slots:
        taken = busy.get((slot.practitioner_id, slot.local_start(SYDNEY).date()), [])
        assert not any(start < slot.start + span and slot.start < end for start, end in taken), slot
    assert slots == sorted(slots, key=lambda slot: (slot.start, slot.practitioner_id))
