"""Time the reception calendar's week view with 20 practitioners and 50,000 bookings.

`measure()` runs in the bench process: it migrates a throwaway SQLite database in a temporary
directory and runs this module there as a script (`python -m bench.calendar`), which seeds the
clinic, signs a staff member in (both steps), and asks the admin for this week's calendar 7 times
through Django's test client (the whole request: middleware, view and template), counting its
queries with 20 bookings and then with 50,000. Then gunicorn serves that database as in
production and the week view is loaded with the staff member's session, beside the static file
from the same server: its share of the static file's throughput.
"""

import importlib.util
import json
import random
import statistics
import subprocess
from datetime import datetime, time, timedelta
from time import perf_counter

from bench import load
from bench.fresh_database import fresh_database, run_script
from bench.report import error_text
from bench.server import VAR_DIR, get, running_server

RESULT_PREFIX = "CALENDAR-RESULT "
PRACTITIONERS = 20
BOOKINGS = 50_000
FEW_BOOKINGS = 20
RUNS = 7
DAY_START, DAY_END = time(8), time(18)
DURATION, BUFFER = 60, 10
GOAL_MS = 100
GOAL_RATIO = 0.2
URL = "/admin/bookings/booking/calendar/?view=week"
SCRIPT_ENV = {"CACHE_URL": "locmemcache://", "DEBUG": "true", "ALLOWED_HOSTS": "testserver"}


def measure(env: dict[str, str], base_dir, *, static_path: str | None, wrk: str | None, seconds: int) -> str:
    """`env` is the production server's (its SECRET_KEY signs the staff session for both)."""
    if importlib.util.find_spec("bookings.calendar_grid") is None:
        return "calendar not available yet (bookings/calendar_grid.py is missing)"
    try:
        with fresh_database("calendar", env=env, base_dir=base_dir) as db_env:
            result = run_script("bench.calendar", env=db_env | SCRIPT_ENV, base_dir=base_dir, prefix=RESULT_PREFIX)
            if not isinstance(result, dict):
                return result
            text = format_result(result)
            with running_server(db_env, log_file=VAR_DIR / "bench-calendar-server.log", prepared=True) as port:
                session = result.pop("session")
                text += "\n" + under_load(port, session, static_path=static_path, wrk=wrk, seconds=seconds)
            return text
    except (subprocess.CalledProcessError, RuntimeError) as error:
        return f"calendar bench failed: {error}"


def under_load(port: int, session: str, *, static_path: str | None, wrk: str | None, seconds: int) -> str:
    """The week view's requests per second with a staff session, as a share of the static file's."""
    headers = {"Cookie": session}
    if static_path is None or get(port, static_path)[0] != 200:
        return "  under load: not measured (no static file to compare with)"
    status = get(port, URL, headers=headers)[0]
    if status != 200:
        return f"  under load: not measured (the week view answered HTTP {status} to the staff session)"
    static = load.measure(f"http://127.0.0.1:{port}{static_path}", wrk=wrk, seconds=seconds, warmup=2)
    week = load.measure(f"http://127.0.0.1:{port}{URL}", wrk=wrk, seconds=seconds, warmup=2, headers=headers)
    ratio = week.per_second / static.per_second if static.per_second else 0.0
    return (
        f"  under load (gunicorn serving this database, one staff member reloading): {week.per_second:,.0f} req/s, "
        f"p50 {week.p50_ms:.1f} ms, p99 {week.p99_ms:.1f} ms {error_text(week)}".rstrip()
        + f"; the static file {static.per_second:,.0f} req/s: {ratio:.2f}x; "
        f"goal at least {GOAL_RATIO:.2f}x: {'PASS' if ratio >= GOAL_RATIO else 'FAIL'}"
    )


def format_result(result: dict) -> str:
    same = result["queries"] == result["few_queries"]
    fast = result["median_ms"] < GOAL_MS
    return "\n".join(
        [
            f"Calendar: this week's view, {PRACTITIONERS} practitioners, {BOOKINGS:,} bookings in the database "
            f"({result['shown']:,} in the week shown)",
            f"  whole request through the admin, rendered afresh: median {result['median_ms']:.1f} ms of {RUNS} "
            f"runs (min {result['min_ms']:.1f}, max {result['max_ms']:.1f}), {result['kb']:.0f} KB of HTML; "
            f"goal under {GOAL_MS} ms: {'PASS' if fast else 'FAIL'}",
            f"  the same page again (kept until anything on it changes): median {result['kept_ms']:.1f} ms",
            f"  {result['queries']} queries with {BOOKINGS:,} bookings, {result['few_queries']} with {FEW_BOOKINGS}: "
            f"query count independent of the number of bookings: {'PASS' if same else 'FAIL'}",
        ]
    )


def _seed():
    from django.utils import timezone

    from bookings.models import BookingRules, Location, Practitioner, Service, WorkingHours

    location = Location.objects.create(
        name="Bench clinic", slug="bench", street_address="1 Test St", suburb="Sydney", state="NSW",
        postcode="2000", phone="+61299999999", email="bench@example.com", time_zone="Australia/Sydney",
    )  # fmt: skip
    BookingRules.objects.create()
    service = Service.objects.create(name="Assessment", slug="assessment", duration_minutes=DURATION,
                                     buffer_minutes=BUFFER)  # fmt: skip
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(name=f"Podiatrist {i:02d}", slug=f"podiatrist-{i}") for i in range(PRACTITIONERS)
    )
    for practitioner in practitioners:
        practitioner.services.add(service)
        practitioner.locations.add(location)
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, location=location, weekday=d, start=DAY_START, end=DAY_END)
        for p in practitioners
        for d in range(6)
    )
    today = timezone.localdate(timezone=location.zone)
    return location, service, practitioners, today


def _starts(location, practitioners, today, count):
    """`count` non-overlapping (practitioner, start) pairs, this week's among them, around today."""
    per_day = (DAY_END.hour - DAY_START.hour) * 60 // (DURATION + BUFFER)
    monday = today - timedelta(days=today.weekday())
    days_needed = count // (len(practitioners) * per_day) + 14
    first = monday - timedelta(days=days_needed // 2)
    candidates = [
        (p, datetime.combine(first + timedelta(days=n), DAY_START, tzinfo=location.zone) + timedelta(minutes=k * 70))
        for n in range(days_needed)
        for p in practitioners
        for k in range(per_day)
    ]
    in_week = [monday <= start.date() < monday + timedelta(days=7) for _, start in candidates]
    this_week = [c for c, inside in zip(candidates, in_week, strict=True) if inside]
    rest = [c for c, inside in zip(candidates, in_week, strict=True) if not inside]
    random.Random(2026).shuffle(rest)
    return this_week[:FEW_BOOKINGS], (this_week[FEW_BOOKINGS:] + rest)[: count - FEW_BOOKINGS]


def _create(location, service, starts) -> None:
    from bookings.models import Booking, Patient, new_reference

    patients = Patient.objects.bulk_create(
        Patient(given_name="Bench", family_name=f"Patient {i}", phone="+61412345678") for i in range(len(starts))
    )
    references = set()
    while len(references) < len(starts):
        references.add(new_reference())
    Booking.objects.bulk_create(
        (
            Booking(reference=ref, patient=patient, service=service, practitioner=p, location=location, start=start,
                    end=start + service.duration, blocked_until=start + service.duration + service.buffer)
            for ref, patient, (p, start) in zip(references, patients, starts, strict=True)
        ),
        batch_size=2000,
    )  # fmt: skip


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    setup_test_environment()
    location, service, practitioners, today = _seed()
    user = User.objects.create_superuser("bench", password="bench-password-long-enough")
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = "/admin/bookings/booking/calendar/?view=week"

    def counted():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(queries), response

    from bookings.calendar_cache import grids, pages

    def fresh():
        grids.clear()  # bulk_create sends no signal: forget the kept grid and page by hand
        pages.clear()

    few, many = _starts(location, practitioners, today, BOOKINGS)
    _create(location, service, few)
    client.get(url)
    fresh()
    few_queries, _ = counted()
    _create(location, service, many)
    fresh()
    queries, response = counted()
    timings, kept = [], []
    for _ in range(RUNS):
        fresh()
        began = perf_counter()
        client.get(url)
        timings.append((perf_counter() - began) * 1000)
        began = perf_counter()
        client.get(url)
        kept.append((perf_counter() - began) * 1000)
    shown = response.content.decode().count('class="booking status-')
    result = {
        "median_ms": statistics.median(timings),
        "kept_ms": statistics.median(kept),
        "min_ms": min(timings),
        "max_ms": max(timings),
        "queries": queries,
        "few_queries": few_queries,
        "shown": shown,
        "kb": len(response.content) / 1024,
        # For the load test, never printed in the report: the staff member's session and form token.
        "session": f"sessionid={client.cookies['sessionid'].value}; csrftoken={client.cookies['csrftoken'].value}",
    }
    print(RESULT_PREFIX + json.dumps(result))


if __name__ == "__main__":
    main()
