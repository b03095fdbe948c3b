"""Cost as the diary fills: the free times, the times page, the admin booking list (every "When"
filter) and the calendar's week view, timed with 0, 10,000 and 100,000 bookings in the database
(all but 1,000 of them in the past, two thirds of those still "confirmed", as when nobody marks
them; the 90,000 added last are all before this week, so that "this week" lists the same
bookings at 10,000 and at 100,000: a longer history, not a busier week), on SQLite and on
PostgreSQL; and a whole booking, every step a patient takes, with the
confirm's queries counted.

`measure()` runs in the bench process: for each database it makes a throwaway one (a SQLite file
in a temporary directory; a PostgreSQL database on the local server, dropped after) and runs this
module there as a script, which seeds a clinic of 20 practitioners and prints its figures. Every
page is rendered afresh (the caches are emptied before each timing): the cost of a miss.

Each timing is taken beside a yardstick that reads no booking (the admin's list of services,
rendered afresh just before it), as the throughput table is read against a static file: this
machine's speed drifts by a third or more over the minutes the three sizes take, and the
larger diaries are always timed last. A row's growth is judged on the fastest of its runs
(anything else running on the machine only ever adds time), each against the fastest of the
yardstick's beside it: its largest ratio against that ratio for the smallest diary. The
medians are printed too.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from time import perf_counter

from bench import whole_booking
from bench.fresh_database import fresh_database, run_script

RESULT_PREFIX = "GROWTH-RESULT "
SIZES = (0, 10_000, 100_000)
UPCOMING = 1_000
RUNS = 9
LIST_RUNS = 5
GOAL_GROWTH = 1.2
GOAL_TIMES_MISS_MS = 30  # the week of free times for 20 practitioners, rendered afresh
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# As in production (DEBUG off, templates not instrumented for tests), with the test client's host.
SCRIPT_ENV = {"CACHE_URL": "locmemcache://", "DEBUG": "false", "ALLOWED_HOSTS": "testserver",
              "BOT_TRAP_MIN_SECONDS": "0", "RATE_LIMIT_BOOKINGS_PER_ADDRESS": "100000/h",
              "RATE_LIMIT_DETAILS_PER_ADDRESS": "100000/h", "RATE_LIMIT_BOOKINGS_PER_EMAIL": "100000/d"}  # fmt: skip
LIST_FILTERS = ("today", "this_week", "next_week", "upcoming", "past", "all")


def measure(env: dict[str, str], base_dir) -> str:
    lines = [
        f"Growth: 0 / 10,000 / 100,000 bookings ({UPCOMING:,} upcoming, the rest past), 20 practitioners; "
        f"median of {RUNS} (calendar and lists: of {LIST_RUNS}), each rendered afresh beside the yardstick (the "
        f"services' admin list, no booking read); goal: the fastest run's largest, against the yardstick's, within "
        f"{GOAL_GROWTH}x "
        "of the smallest diary (lists: of 10,000), and the same queries"
    ]
    for name, runner in (("SQLite", _sqlite), ("PostgreSQL", _postgres)):
        result = runner(env, base_dir)
        lines += format_result(name, result) if isinstance(result, dict) else [f"  {name}: {result}"]
    return "\n".join(lines)


def _sqlite(env, base_dir):
    try:
        with fresh_database("growth", env=env, base_dir=base_dir) as db_env:
            return run_script("bench.growth", env=db_env | SCRIPT_ENV, base_dir=base_dir, prefix=RESULT_PREFIX)
    except subprocess.CalledProcessError as error:
        return f"failed (migrate): {(error.stderr or '').strip()[-500:]}"


def _postgres(env, base_dir):
    try:
        import psycopg
    except ImportError:
        return "skipped (psycopg is not installed)"
    name = f"bench_growth_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        return f"skipped (no PostgreSQL at {POSTGRES_ADMIN_URL}: {type(error).__name__})"
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        db_env = env | {"DJANGO_SETTINGS_MODULE": "soletherapy.settings", "DATABASE_URL": url}
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"]
        done = subprocess.run(migrate, cwd=base_dir, env=db_env, capture_output=True, text=True)
        if done.returncode:
            return f"failed (migrate): {done.stderr.strip()[-500:]}"
        return run_script("bench.growth", env=db_env | SCRIPT_ENV, base_dir=base_dir, prefix=RESULT_PREFIX)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def format_result(name: str, result: dict) -> list[str]:
    lines = [f"  {name}:"]
    rows = [("free_slots, 31 days, any practitioner", "free_slots"), ("times page", "times")]
    rows += [("calendar week view", "calendar"), *((f"booking list: {f}", f"list_{f}") for f in LIST_FILTERS)]
    for label, key in rows:
        timings, queries, yards = result[key]["ms"], result[key]["queries"], result[key]["yardstick"]
        fastest = result[key]["fastest"]
        # A list shows no rows when the diary is empty and a page of them from 10,000 on: its
        # cost with history is judged from 10,000 to 100,000.
        listed = key.startswith("list_")
        growth = growth_of(fastest, yards, first=1 if listed else 0)
        flat = growth <= GOAL_GROWTH and len(set(queries)) == 1
        lines.append(
            f"    {label}: fastest "
            + " / ".join(f"{ms:.1f}" for ms in fastest)
            + " ms (median "
            + " / ".join(f"{ms:.1f}" for ms in timings)
            + "; yardstick "
            + " / ".join(f"{ms:.1f}" for ms in yards)
            + "), "
            + " / ".join(str(q) for q in queries)
            + f" queries: {growth:.2f}x"
            + (" from 10,000" if listed else "")
            + f"  {'PASS' if flat else 'FAIL'}"
        )
    lines.append(times_miss_line(result["times"]["ms"]))
    lines.append(whole_booking.format_result(result["booking"]))
    return lines


def times_miss_line(medians: list[float]) -> str:
    """The times page's goal for a cache miss, judged on its slowest median over the sizes."""
    slowest = max(medians)
    verdict = "PASS" if slowest < GOAL_TIMES_MISS_MS else "FAIL"
    return (
        f"    times page, a cache miss for 20 practitioners and a week: median at most {slowest:.1f} ms over the "
        f"three sizes; goal under {GOAL_TIMES_MISS_MS} ms: {verdict}"
    )


def growth_of(timings: list[float], yardsticks: list[float], *, first: int = 0) -> float:
    """The largest of a row's timings from `first` on, each against the yardstick timed beside
    it, as a multiple of the same ratio at `first`."""
    ratios = [ms / yard if yard else 0.0 for ms, yard in zip(timings, yardsticks, strict=True)][first:]
    return max(ratios) / ratios[0] if ratios and ratios[0] else 0.0


def _timed(runs: int, action, yardstick) -> tuple[float, float, int, float]:
    """The median and the fastest of the runs, the queries, and the yardstick's fastest."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, yards, counted = [], [], 0
    action()  # once untimed: the database's own caches warm, as on a server in use
    for _ in range(runs):
        for timed, into in ((yardstick, yards), (action, timings)):
            for cache in caches.all():
                cache.clear()
            _forget_kept()
            with CaptureQueriesContext(connection) as queries:
                began = perf_counter()
                timed()
                into.append((perf_counter() - began) * 1000)
        counted = len(queries)
    return statistics.median(timings), min(timings), counted, min(yards)


def _forget_kept():
    from bookings import rota, selectors
    from bookings.calendar_cache import grids, pages
    from bookings.models import BookingRules
    from soletherapy.page_cache import local_pages

    for kept in (grids, pages, local_pages, rota.kept):
        kept.clear()
    selectors.forget_kept()
    BookingRules.forget_kept()


def _add_bookings(
    location, service, practitioners, patients, *, past: int, upcoming: int, taken: set, before_this_week=False
) -> None:
    """`past` bookings on the days before today (or before this week's Monday) and `upcoming` on
    the days after, on free 70-minute steps from 8 am; two thirds of the past ones left confirmed."""
    from django.utils import timezone

    from bookings.models import Booking, BookingStatus, new_reference

    today = timezone.localdate(timezone=location.zone)
    rng = random.Random(len(taken))
    made = []

    def fill(count, days):
        while count:
            day = today + timedelta(days=rng.choice(days))
            practitioner, step = rng.choice(practitioners), rng.randrange(8)
            if (day, practitioner.pk, step) in taken:
                continue
            taken.add((day, practitioner.pk, step))
            start = datetime.combine(day, datetime.min.time(), tzinfo=location.zone) + timedelta(
                hours=8, minutes=70 * step
            )
            status = BookingStatus.CONFIRMED if day > today or rng.random() < 2 / 3 else rng.choice(
                [BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW])  # fmt: skip
            made.append(Booking(
                reference=new_reference(), patient=rng.choice(patients), service=service, practitioner=practitioner,
                location=location, start=start, end=start + service.duration,
                blocked_until=start + service.duration + service.buffer, status=status,
            ))  # fmt: skip
            count -= 1

    fill(past, range(-1000, -today.weekday() if before_this_week else 0))
    fill(upcoming, range(1, 85))
    Booking.objects.bulk_create(made, batch_size=2000)
    _analyse()


def _analyse() -> None:
    """Statistics for the query planner, as a database in use has (PostgreSQL's autovacuum would
    otherwise run in the middle of the timings, after the bulk insert)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.calendar import _seed
    from bookings import availability
    from bookings.models import Patient

    location, service, practitioners, today = _seed()
    service.slug = "biomechanical-assessment"
    service.save()
    patients = Patient.objects.bulk_create(
        Patient(given_name="Bench", family_name=f"Patient {i}", phone="+61412345678") for i in range(2000)
    )
    staff, anonymous = Client(), Client()
    user = User.objects.create_superuser("bench", password="bench-password-long-enough")
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    staff.force_login(user)
    session = staff.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    actions = {
        "free_slots": (RUNS, lambda: availability.free_slots(
            service=service, location=location, start_date=today, end_date=today + timedelta(days=30))),
        "times": (RUNS, lambda: ok(anonymous.get("/book/biomechanical-assessment/times/?practitioner=any"))),
        "calendar": (LIST_RUNS, lambda: ok(staff.get("/admin/bookings/booking/calendar/?view=week"))),
        **{f"list_{f}": (LIST_RUNS, lambda f=f: ok(staff.get(f"/admin/bookings/booking/?when={f}")))
           for f in LIST_FILTERS},
    }  # fmt: skip

    def yardstick():  # reads no booking
        return ok(staff.get("/admin/bookings/service/"))

    for _, action in [*actions.values(), (1, yardstick)]:
        action()  # first use: imports, templates, the content-types cache
    result = {key: {"ms": [], "fastest": [], "queries": [], "yardstick": []} for key in actions}
    taken: set = set()
    for size in SIZES:
        if size == 10_000:
            _add_bookings(location, service, practitioners, patients, past=10_000 - UPCOMING, upcoming=UPCOMING,
                          taken=taken)  # fmt: skip
        elif size == 100_000:
            _add_bookings(
                location, service, practitioners, patients, past=90_000, upcoming=0, taken=taken, before_this_week=True
            )
        for key, (runs, action) in actions.items():
            ms, fastest, queries, yard = _timed(runs, action, yardstick)
            result[key]["ms"].append(ms)
            result[key]["fastest"].append(fastest)
            result[key]["queries"].append(queries)
            result[key]["yardstick"].append(yard)

    # Whole bookings as patients make them, at 100,000 (bench/whole_booking.py).
    result["booking"] = whole_booking.time_bookings(anonymous, "biomechanical-assessment")
    print(RESULT_PREFIX + json.dumps(result))


if __name__ == "__main__":
    main()
