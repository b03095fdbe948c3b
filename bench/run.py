"""`make bench` (`python -m bench.run`): measure the production-like site and print the figures.

Each page's requests/s is shown as a fraction of the requests/s of a static file served by
whitenoise from the same server, so the goals hold on any machine: every public page on the way
to booking (home, condition, choice of service and of practitioner) at least 1.0x of it, a week
of free booking times 0.9x with its p99 within 5x its p50; 3 rounds each (bench/targets.py), and
the workers' memory before and after. Then the condition page's weight, complete bookings end to
end with the task worker and its email throughput, the availability computation, the reception
calendar, concurrent confirms, and the cost as the diary grows (see bench/__init__.py). The
report is printed and appended to var/bench-last.txt; the throughput table is also written to
var/bench-last.csv (the run before kept as var/bench-previous.csv: `make bench-compare`).

Settings from the environment: BENCH_SECONDS (per target and round, default 10),
BENCH_REPETITIONS (default 3) and BENCH_SLOTS_PATH.
"""

import json
import os
import runpy
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench import availability, calendar, confirms, emails, growth, lighthouse, load, targets, weight
from bench.report import format_table
from bench.server import (
    BASE_DIR,
    FALLBACK_CACHE_URL,
    REDIS_URL,
    VAR_DIR,
    get,
    production_env,
    redis_is_up,
    running_server,
)
from bench.server import running as server_state

WARMUP_SECONDS = 2
CONDITION_PATH = "/conditions/hamstring-insertion-pain/"
SLOTS_PATH = os.environ.get("BENCH_SLOTS_PATH", "/book/biomechanical-assessment/times/")
MANIFEST = VAR_DIR / "static" / "staticfiles.json"
STATIC_URL = "/static/"
REPORT_FILE = VAR_DIR / "bench-last.txt"
CSV_FILE = VAR_DIR / "bench-last.csv"
PRACTITIONER_PATH = SLOTS_PATH.removesuffix("times/")


def static_css_path() -> str | None:
    """The hashed URL of css/site.css, from the manifest collectstatic wrote."""
    try:
        return STATIC_URL + json.loads(MANIFEST.read_text())["paths"]["css/site.css"]
    except (OSError, KeyError, ValueError):
        return None


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(say) -> None:
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    redis_up = redis_is_up()
    env = production_env(REDIS_URL if redis_up else FALLBACK_CACHE_URL)
    wrk = load.find_wrk()
    workers = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"]
    cache = REDIS_URL if redis_up else f"{FALLBACK_CACHE_URL} (Redis is down: each worker has its own cache)"
    say(f"SOLE THERAPY bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs (shared with the load)")
    say(f"Server: gunicorn, {workers} workers, DEBUG=false, cache {cache}")
    say(f"Load: {load.describe(wrk, seconds, WARMUP_SECONDS)}, per target, Accept-Encoding: br, gzip")
    say_if_busy(say)
    with running_server(env) as port:
        table = side_by_side(say, port, wrk=wrk, seconds=seconds)
        targets.write_csv(table, CSV_FILE)
        say()
        if get(port, CONDITION_PATH)[0] == 200:
            say(weight.format_weight(CONDITION_PATH, weight.measure_page(port, CONDITION_PATH)))
        else:
            say(f"Page weight: {CONDITION_PATH} not available yet")
        say()
        say_lighthouse(say, port)
        say()
        progress("booking end to end and timing the worker ...")
        say(emails.measure(port, env, SLOTS_PATH))
    say()
    progress("timing availability ...")
    say(availability.measure(env, BASE_DIR))
    say()
    progress("timing the reception calendar (50,000 bookings) ...")
    say(calendar.measure(env, BASE_DIR, static_path=static_css_path(), wrk=wrk, seconds=seconds))
    say()
    progress("pressing Confirm under load (SQLite, then PostgreSQL) ...")
    say(confirms.measure(env, BASE_DIR))
    say()
    progress("timing the growing diary (0, 10,000 and 100,000 bookings; SQLite, then PostgreSQL) ...")
    say(growth.measure(env, BASE_DIR))


def side_by_side(say, port: int, *, wrk, seconds: int) -> list[dict]:
    """Every public page a visitor without a session sees on the way to booking, beside the
    static file, `targets.REPETITIONS` rounds; the workers' memory before and after."""
    measured = [
        targets.Target("static file (whitenoise)", static_css_path(), None),
        targets.Target("home page", "/", 1.0),
        targets.Target("condition page", CONDITION_PATH, 1.0),
        targets.Target("choice of service", "/book/", 1.0),
        # With one practitioner offering the service this step is a redirect to the times.
        targets.Target("choice of practitioner", PRACTITIONER_PATH, 1.0, answers=(200, 302)),
        targets.Target("week of free times", SLOTS_PATH, 0.9, p99_times_p50=5),
    ]
    before, began = targets.worker_memory(server_state["pid"]), time.monotonic()
    targets.measure(port, measured, wrk=wrk, seconds=seconds, warmup=WARMUP_SECONDS, progress=progress)
    after = targets.worker_memory(server_state["pid"])
    table = targets.rows(measured)
    say()
    say(f"Throughput, {targets.REPETITIONS} rounds of each page in turn (median, and min-max of the rounds):")
    say(format_table(targets.HEADERS, targets.printable(table)))
    say()
    say(targets.memory_text(before, after, (time.monotonic() - began) / 60))
    return table


def say_lighthouse(say, port: int) -> None:
    """Lighthouse (mobile) scores; the goal is 100 in all four categories."""
    if reason := lighthouse.unavailable_reason():
        say(f"Lighthouse: skipped ({reason})")
        return
    progress("running Lighthouse ...")
    lighthouse.ensure_installed()
    say("Lighthouse (mobile emulation, simulated throttling): goal 100 in every category")
    for path in ("/", CONDITION_PATH, "/team/", "/fees/", "/contact/", "/new-patients/", "/book/"):
        try:
            scores, lost, tries = lighthouse.scores_tried_twice(f"http://127.0.0.1:{port}{path}")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError) as error:
            say(f"  {path}: Lighthouse failed twice ({type(error).__name__})")
            continue
        result = "PASS" if all(score == 100 for score in scores.values()) else "FAIL"
        again = " (on a second run)" if tries == 2 else ""
        say(f"  {path}: " + ", ".join(f"{name} {score}" for name, score in scores.items()) + f"  {result}{again}")
        if result == "FAIL":
            for title in lost:
                say(f"      lost points: {title}")


def say_if_busy(say) -> None:
    """The load generator shares the machine with the server: anything else running skews the ratios."""
    load_average, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load_average > cpus:
        say(f"WARNING: machine busy (load average {load_average:.1f} on {cpus} CPUs): figures are noisy.")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server is stopped on SIGTERM too
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    try:
        report(say)
    except KeyboardInterrupt:
        progress("interrupted; the server was stopped")
        return 130
    VAR_DIR.mkdir(exist_ok=True)
    with REPORT_FILE.open("a") as file:
        file.write("\n".join(lines) + "\n\n")
    progress(f"appended to {REPORT_FILE.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
