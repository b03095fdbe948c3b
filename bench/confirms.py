"""Confirms under load: patients pressing "Confirm booking" at the same moment, on the server as
in production (gunicorn, 2 workers), on SQLite and on PostgreSQL.

`measure()` seeds a throwaway database (20 practitioners; `python -m bench.confirms` run as a
script), serves it with gunicorn, and takes PATIENTS patients through the details step over HTTP
to their review page (each with its own session). Some of them have chosen the very time another
has chosen. Then CONCURRENT patients at a time press Confirm until every one has: the confirms
per second are the presses answered (a booking, or "just taken") divided by the time from the
first press to the last answer; the bookings made per second are shown beside them.
Afterwards the database must hold exactly one booking per contested time, and every patient who
lost a race must have been told so (HTTP 409), never a server error.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from bench.emails import hidden_fields
from bench.fresh_database import fresh_database, run_script
from bench.server import VAR_DIR, running_server

RESULT_PREFIX = "CONFIRMS-RESULT "
PATIENTS = 400
RACING = 80  # of them chose a time another patient chose too
CONCURRENT = 8
WORKERS = 2
GOAL_PER_SECOND = 100
SCRIPT_ENV = {"CACHE_URL": "locmemcache://", "DEBUG": "true", "ALLOWED_HOSTS": "testserver"}
SERVER_ENV = {
    "GUNICORN_WORKERS": str(WORKERS),
    "BOT_TRAP_MIN_SECONDS": "0",  # the bench fills in the form at once
    "RATE_LIMIT_BOOKINGS_PER_EMAIL": "100000/d",
}
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def measure(env: dict[str, str], base_dir) -> str:
    lines = [
        f"Confirms: {PATIENTS} patients at their review page ({RACING} of them on a time another also chose), "
        f"{CONCURRENT} pressing Confirm at once, gunicorn with {WORKERS} workers; goal at least {GOAL_PER_SECOND} "
        "confirms a second and exactly one booking per contested time"
    ]
    for name, database in (("SQLite", _sqlite_database), ("PostgreSQL", _postgres_database)):
        try:
            with database(env, base_dir) as db_env:
                lines.append(f"  {name}: " + _run(db_env, base_dir) if db_env else f"  {name}: skipped")
        except (subprocess.CalledProcessError, RuntimeError, OSError) as error:
            lines.append(f"  {name}: failed ({type(error).__name__}: {str(error)[-300:]})")
    return "\n".join(lines)


def _sqlite_database(env, base_dir):
    return fresh_database("confirms", env=env, base_dir=base_dir)


class _postgres_database:
    """A migrated PostgreSQL database of its own, dropped afterwards (None when there is none)."""

    def __init__(self, env, base_dir):
        self.env, self.base_dir, self.name = env, base_dir, f"bench_confirms_{uuid.uuid4().hex[:8]}"

    def __enter__(self):
        try:
            import psycopg

            self.admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
        except Exception:  # no driver or no server: say so in the report
            self.admin = None
            return None
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"
        db_env = self.env | {"DJANGO_SETTINGS_MODULE": "soletherapy.settings", "DATABASE_URL": url}
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"]
        subprocess.run(migrate, cwd=self.base_dir, env=db_env, capture_output=True, text=True, check=True)
        return db_env

    def __exit__(self, *exc):
        if self.admin is not None:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


def _run(db_env: dict[str, str], base_dir) -> str:
    seeded = run_script("bench.confirms", env=db_env | SCRIPT_ENV, base_dir=base_dir, prefix=RESULT_PREFIX)
    if not isinstance(seeded, dict):
        return str(seeded)
    server_env = db_env | SERVER_ENV
    with running_server(server_env, log_file=VAR_DIR / "bench-confirms-server.log", prepared=True) as port:
        patients = _at_review(port, seeded)
        answers, seconds = _press_confirm(port, patients)
    checked = run_script(
        "bench.confirms", env=db_env | SCRIPT_ENV | {"CONFIRMS_CHECK": "1"}, base_dir=base_dir, prefix=RESULT_PREFIX
    )
    return format_result(answers, seconds, checked)


def format_result(answers: list[tuple[int, float]], seconds: float, checked) -> str:
    answers = [answer if isinstance(answer, tuple) else (0, 0.0) for answer in answers]  # 0: no answer
    made = sum(status == 302 for status, _ in answers)
    refused = sum(status == 409 for status, _ in answers)
    other = len(answers) - made - refused
    per_second = len(answers) / seconds if seconds else 0.0  # confirms answered, won or lost
    booked_per_second = made / seconds if seconds else 0.0
    each = sorted(ms for _, ms in answers)
    p50, p99 = statistics.median(each), each[int(len(each) * 0.99)]
    if not isinstance(checked, dict):
        return f"{made} booked, {refused} told the time was taken; the check afterwards failed: {checked}"
    # Every time chosen is booked once: the contested ones by exactly one of their two patients.
    one_each = checked["times"] == PATIENTS - RACING == checked["bookings"] and checked["most_at_one_time"] == 1
    right = one_each and made == checked["bookings"] and refused == RACING and checked["overlaps"] == 0
    fast = per_second >= GOAL_PER_SECOND
    return (
        f"{per_second:,.0f} confirms/s, {booked_per_second:,.0f} bookings/s ({made} booked, {refused} told the time "
        f"was just taken, {other} other answers, "
        f"in {seconds:.2f} s); each confirm p50 {p50:.1f} ms, p99 {p99:.1f} ms; {checked['bookings']} bookings in "
        f"the database, at most {checked['most_at_one_time']} per time, "
        f"{checked['overlaps']} overlapping: {'PASS' if fast and right else 'FAIL'}"
    )


def _request(port, method, path, *, cookies: dict, body=None):
    """One request with the patient's cookies, which it updates; returns (status, Location, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for set_cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = set_cookie.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        connection.close()


def _at_review(port, seeded) -> list[tuple[dict, str, str]]:
    """Each patient through the details step: (their cookies, their review page, its form token)."""

    def one(index, slot):
        cookies, details = {}, f"/book/{seeded['service']}/details/?" + urlencode(slot)
        status, _, body = _request(port, "GET", details, cookies=cookies)
        assert status == 200, status
        answers = hidden_fields(body.decode()) | {
            "given_name": "Bench", "family_name": "Patient", "email": f"patient{index}@confirms.bench.test",
            "phone": "0412 345 678", "is_returning": "no", "concern": "", "concern_text": "", "notes": "",
            "consent": "on", "website": "",
        }  # fmt: skip
        status, location, _ = _request(port, "POST", details, cookies=cookies, body=urlencode(answers))
        assert status == 302 and "/review/" in location, (status, location)
        return cookies, location, answers["csrfmiddlewaretoken"]

    slots = seeded["slots"]
    chosen = slots + slots[:RACING]  # the last RACING patients chose a time already chosen
    ready = _in_threads([lambda i=i, s=s: one(i, s) for i, s in enumerate(chosen)])
    if failed := [result for result in ready if isinstance(result, Exception)]:
        raise RuntimeError(f"{len(failed)} patients could not reach their review page: {failed[0]!r}")
    return ready


def _press_confirm(port, patients) -> tuple[list[tuple[int, float]], float]:
    # Each racer presses Confirm right after the patient who chose the same time.
    distinct = len(patients) - RACING
    order = sorted(range(len(patients)), key=lambda i: (i - distinct, 1) if i >= distinct else (i, 0))

    def one(cookies, review, token):
        began = time.perf_counter()
        status = _request(port, "POST", review, cookies=cookies, body=urlencode({"csrfmiddlewaretoken": token}))[0]
        return status, (time.perf_counter() - began) * 1000

    began = time.perf_counter()
    answers = _in_threads([lambda p=patients[i]: one(*p) for i in order])
    return answers, time.perf_counter() - began


def _in_threads(jobs) -> list:
    """Run the jobs CONCURRENT at a time, in order; their results in the same order."""
    results, lock, position = [None] * len(jobs), threading.Lock(), [0]

    def worker():
        while True:
            with lock:
                index = position[0]
                position[0] += 1
            if index >= len(jobs):
                return
            try:
                results[index] = jobs[index]()
            except Exception as error:  # reported by the caller, with the others' results
                results[index] = error

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _seed() -> dict:
    from datetime import datetime, timedelta

    from bench.calendar import DAY_START
    from bench.calendar import _seed as seed_clinic
    from bookings.wording import start_value

    location, service, practitioners, today = seed_clinic()
    slots, day = [], today + timedelta(days=2)
    while len(slots) < PATIENTS - RACING:
        if day.weekday() < 6:  # the bench clinic works Monday to Saturday
            for practitioner in practitioners:
                for k in range(8):  # 08:00, 09:15, ...: on the 15-minute grid, an appointment and clean-up apart
                    start = datetime.combine(day, DAY_START, tzinfo=location.zone) + timedelta(minutes=75 * k)
                    slots.append({"start": start_value(start), "practitioner": practitioner.pk})
        day += timedelta(days=1)
    return {"service": service.slug, "slots": slots[: PATIENTS - RACING]}


def _check() -> dict:
    from django.db.models import Count

    from bookings.models import Booking

    active = Booking.objects.active()
    per_time = active.values("practitioner", "start").annotate(n=Count("id"))
    overlaps = sum(
        active.filter(practitioner_id=b.practitioner_id, start__lt=b.blocked_until, blocked_until__gt=b.start)
        .exclude(pk=b.pk)
        .count()
        for b in active
    )
    most = max((row["n"] for row in per_time), default=0)
    return {"bookings": active.count(), "times": per_time.count(), "most_at_one_time": most, "overlaps": overlaps}


def main() -> None:
    import django

    django.setup()
    print(RESULT_PREFIX + json.dumps(_check() if os.environ.get("CONFIRMS_CHECK") else _seed()))


if __name__ == "__main__":
    main()
