"""Time `bookings.availability.free_slots` for 90 days, 20 practitioners and 5,000 bookings.

`measure()` runs in the bench process: it migrates a throwaway SQLite database in a temporary
directory and runs this module there as a script (`python -m bench.availability`), which seeds
the schedule, times `free_slots` for "any practitioner" 7 times and counts its queries, with 10
and then with 1,000 bookings. The cache is Django's dummy cache, so every run really computes.
"""

import importlib.util
import json
import random
import statistics
from datetime import datetime, time, timedelta
from time import perf_counter

from bench.fresh_database import run_bench_script

RESULT_PREFIX = "AVAILABILITY-RESULT "
DAYS = 90
RUNS = 7
BOOKINGS = 5000
GOAL_MS = 60
FEW_BOOKINGS = 10
PRACTITIONERS = 20
DAY_START, DAY_END = time(8), time(18)
DURATION, BUFFER = 60, 10


def measure(env: dict[str, str], base_dir) -> str:
    if importlib.util.find_spec("bookings.availability") is None:
        return "availability module not available yet (bookings/availability.py is missing)"
    result = run_bench_script(
        "bench.availability", env=env, base_dir=base_dir, prefix=RESULT_PREFIX, extra_env={"CACHE_URL": "dummycache://"}
    )
    return format_result(result) if isinstance(result, dict) else result


def format_result(result: dict) -> str:
    if result.get("missing"):
        return f"availability module not available yet ({result['missing']})"
    same = result["queries"] == result["few_queries"]
    return "\n".join(
        [
            f"Availability: free times for {DAYS} days, {PRACTITIONERS} practitioners, any practitioner "
            f"({DURATION} min + {BUFFER} min buffer, Mon-Sat 08:00-18:00)",
            f"  {BOOKINGS:,} bookings: median {result['median_ms']:.1f} ms of {RUNS} runs "
            f"(min {result['min_ms']:.1f}, max {result['max_ms']:.1f}), {result['queries']} queries, "
            f"{result['slots']:,} free slots (practitioner x start time)",
            f"  {FEW_BOOKINGS} bookings: {result['few_queries']} queries, {result['few_slots']:,} free slots",
            f"  Under {GOAL_MS} ms with {BOOKINGS:,} bookings: {'PASS' if result['median_ms'] < GOAL_MS else 'FAIL'}",
            f"  Query count independent of the number of bookings: {'PASS' if same else 'FAIL'}",
        ]
    )


def _count(slots) -> int:
    if isinstance(slots, dict):
        return sum(_count(value) for value in slots.values())
    return len(slots) if hasattr(slots, "__len__") else sum(1 for _ in slots)


def _seed_schedule():
    from bookings.models import Location, OpeningHours, Practitioner, Service, WorkingHours

    location = Location.objects.create(
        name="Bench clinic",
        slug="bench",
        street_address="1 Test St",
        suburb="Sydney",
        state="NSW",
        postcode="2000",
        phone="+61299999999",
        email="bench@example.com",
        time_zone="Australia/Sydney",
    )
    service = Service.objects.create(
        name="Assessment", slug="assessment", duration_minutes=DURATION, buffer_minutes=BUFFER
    )
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(name=f"Podiatrist {i}", slug=f"podiatrist-{i}") for i in range(PRACTITIONERS)
    )
    for practitioner in practitioners:
        practitioner.services.add(service)
        practitioner.locations.add(location)
    weekdays = range(6)
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=d, opens=DAY_START, closes=DAY_END) for d in weekdays
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, location=location, weekday=d, start=DAY_START, end=DAY_END)
        for p in practitioners
        for d in weekdays
    )
    return location, service, practitioners


def _booking_starts(location, practitioners, first_day, count):
    """`count` distinct (practitioner, start) pairs, back to back at most, so none overlap."""
    per_day = (DAY_END.hour - DAY_START.hour) * 60 // (DURATION + BUFFER)
    candidates = [
        (
            practitioner,
            datetime.combine(day, DAY_START, tzinfo=location.zone) + timedelta(minutes=k * (DURATION + BUFFER)),
        )
        for day in (first_day + timedelta(days=n) for n in range(1, DAYS))
        if day.weekday() < 6
        for practitioner in practitioners
        for k in range(per_day)
    ]
    return random.Random(2026).sample(candidates, count)


def _create_bookings(location, service, starts) -> None:
    from bookings.models import Booking, BookingStatus, Patient, new_reference

    patients = Patient.objects.bulk_create(
        Patient(given_name="Bench", family_name=f"Patient {i}", email=f"p{i}@example.com", phone="+61412345678")
        for i in range(len(starts))
    )
    references = set()
    while len(references) < len(starts):
        references.add(new_reference())
    Booking.objects.bulk_create(
        Booking(
            reference=reference,
            patient=patient,
            service=service,
            practitioner=practitioner,
            location=location,
            start=start,
            end=start + service.duration,
            blocked_until=start + service.duration + service.buffer,
            status=BookingStatus.CONFIRMED,
        )
        for reference, patient, (practitioner, start) in zip(references, patients, starts, strict=True)
    )


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    try:
        from bookings.availability import free_slots
    except ImportError as error:
        print(RESULT_PREFIX + json.dumps({"missing": str(error)}))
        return
    location, service, practitioners = _seed_schedule()
    now = timezone.now()
    start_date = timezone.localdate(now, location.zone)
    end_date = start_date + timedelta(days=DAYS - 1)

    def run():
        return free_slots(service=service, location=location, start_date=start_date, end_date=end_date, now=now)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            slots = _count(run())
        return len(queries), slots

    starts = _booking_starts(location, practitioners, start_date, BOOKINGS)
    _create_bookings(location, service, starts[:FEW_BOOKINGS])
    few_queries, few_slots = counted()
    _create_bookings(location, service, starts[FEW_BOOKINGS:])
    queries, slots = counted()
    timings = []
    for _ in range(RUNS):
        began = perf_counter()
        _count(run())
        timings.append((perf_counter() - began) * 1000)
    result = {
        "median_ms": statistics.median(timings),
        "min_ms": min(timings),
        "max_ms": max(timings),
        "queries": queries,
        "slots": slots,
        "few_queries": few_queries,
        "few_slots": few_slots,
    }
    print(RESULT_PREFIX + json.dumps(result))


if __name__ == "__main__":
    main()
