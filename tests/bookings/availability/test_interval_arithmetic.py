"""The free times computed by interval arithmetic (`compute_free_slots`) are exactly those the
first, candidate-by-candidate computation finds (`reference_grid`), on random schedules: any
hours (to the second), bookings and time off overlapping each other and the hours' edges, slot
lengths, buffers, minimum notice, closed days, and the days the clocks change in Sydney."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.slot_grid import Busy, Hours, Schedule, compute_free_slots, first_free_per_start, free_days
from tests.bookings.availability.reference_grid import reference_free_slots

SYDNEY = ZoneInfo("Australia/Sydney")
# A fortnight around each change of the clocks in 2026, and an ordinary week.
FIRST_DAYS = [date(2026, 4, 1), date(2026, 9, 30), date(2026, 12, 7)]
DAYS = 8

times = st.builds(time, st.integers(0, 23), st.integers(0, 59), st.sampled_from([0, 0, 0, 30]))


@st.composite
def schedules(draw):
    first = draw(st.sampled_from(FIRST_DAYS))
    practitioners = draw(st.integers(1, 3))
    hours = []
    for practitioner_id in range(1, practitioners + 1):
        for _ in range(draw(st.integers(0, 4))):
            start, end = sorted(draw(st.lists(times, min_size=2, max_size=2, unique=True)))
            effective_from = draw(st.none() | st.just(first + timedelta(days=draw(st.integers(0, DAYS)))))
            hours.append(Hours(practitioner_id, draw(st.integers(0, 6)), start, end, effective_from, None))
    origin = datetime.combine(first, time(), tzinfo=SYDNEY).astimezone(UTC)
    busy = []
    for _ in range(draw(st.integers(0, 25))):
        start = origin + timedelta(minutes=draw(st.integers(-600, (DAYS + 1) * 1440)))
        length = timedelta(minutes=draw(st.integers(1, 600)))
        busy.append(
            Busy(draw(st.integers(1, practitioners)), start, start + length, draw(st.none() | st.integers(1, 99)))
        )
    closed = frozenset(first + timedelta(days=d) for d in draw(st.sets(st.integers(0, DAYS), max_size=3)))
    schedule = Schedule(
        location_id=7,
        zone=SYDNEY,
        start_date=first,
        end_date=first + timedelta(days=DAYS),
        duration=timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        buffer=timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15]))),
        slot_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 60])),
        min_notice=timedelta(minutes=draw(st.sampled_from([0, 60, 120, 1440]))),
        max_days_ahead=draw(st.integers(1, 120)),
        hours=hours,
        busy=busy,
        closed_dates=closed,
    )
    now = origin + timedelta(minutes=draw(st.integers(-2880, (DAYS - 1) * 1440)))
    return schedule, now


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_interval_arithmetic_finds_exactly_the_free_times_of_the_plain_computation(case):
    schedule, now = case
    expected = reference_free_slots(schedule, now=now)
    assert compute_free_slots(schedule, now=now) == expected
    assert compute_free_slots(schedule, now=now, first_available=True) == first_free_per_start(expected)
    # The month of the picker: the days with a time, settled by the first practitioner free.
    assert free_days(schedule, now=now) == {slot.local_start(schedule.zone).date() for slot in expected}


def test_a_schedule_with_free_times_is_among_the_random_ones():
    # (So the comparison above is not only between two empty lists.)
    schedule = Schedule(
        location_id=1, zone=SYDNEY, start_date=date(2026, 10, 4), end_date=date(2026, 10, 4),
        duration=timedelta(hours=1), buffer=timedelta(0), slot_minutes=15, min_notice=timedelta(0),
        max_days_ahead=60, hours=[Hours(1, 6, time(0), time(6), None, None)],
        busy=[Busy(1, datetime(2026, 10, 3, 17, 30, tzinfo=UTC), datetime(2026, 10, 3, 18, 0, tzinfo=UTC))],
    )  # fmt: skip
    now = datetime(2026, 10, 1, tzinfo=UTC)
    slots = compute_free_slots(schedule, now=now)
    assert slots == reference_free_slots(schedule, now=now)
    local = [f"{slot.local_start(SYDNEY):%H:%M}" for slot in slots]
    assert "02:00" not in local and "02:30" not in local  # the clocks skip 2 am that Sunday
    assert "03:30" in local and "03:45" not in local and "04:45" not in local and "05:00" in local  # 4:30-5 am booked
