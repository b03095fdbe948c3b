"""`make bench` (`python -m bench.run`): measure the production-like site and print the figures.

Each page's requests/s is shown as a fraction of the requests/s of a static file served by
whitenoise from the same server, so the goals hold on any machine: the home and condition
pages should reach 0.75x of it, a week of free booking times 0.30x. Then the condition page's
weight, complete bookings end to end with the task worker and its email throughput, and the
availability computation (see bench/__init__.py). The report is printed and
appended to var/bench-last.txt.

Settings from the environment: BENCH_SECONDS (per target, default 10) and BENCH_SLOTS_PATH.
"""

import json
import os
import runpy
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from bench import availability, calendar, emails, lighthouse, load, weight
from bench.report import PLACEHOLDER, error_text, format_table, ratio_text, verdict
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

WARMUP_SECONDS = 2
CONDITION_PATH = "/conditions/hamstring-insertion-pain/"
SLOTS_PATH = os.environ.get("BENCH_SLOTS_PATH", "/book/biomechanical-assessment/times/")
MANIFEST = VAR_DIR / "static" / "staticfiles.json"
STATIC_URL = "/static/"
REPORT_FILE = VAR_DIR / "bench-last.txt"
HEADERS = ["target", "path", "req/s", "p50 ms", "p99 ms", "vs static", "goal", "result"]


@dataclass
class Target:
    name: str
    path: str | None
    goal: float | None


def static_css_path() -> str | None:
    """The hashed URL of css/site.css, from the manifest collectstatic wrote."""
    try:
        return STATIC_URL + json.loads(MANIFEST.read_text())["paths"]["css/site.css"]
    except (OSError, KeyError, ValueError):
        return None


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_targets(port: int, targets: list[Target], *, wrk: str | None, seconds: int) -> list[list[str]]:
    """One table row per target; the first target is the baseline the others are compared with."""
    rows, baseline = [], 0.0
    for target in targets:
        goal = "baseline" if target.goal is None else f">= {target.goal:.2f}x"
        status = get(port, target.path)[0] if target.path else None
        if status != 200:
            reason = "no manifest entry" if status is None else f"HTTP {status}"
            rows.append(
                [target.name, target.path or PLACEHOLDER] + [PLACEHOLDER] * 4 + [goal, f"not available yet ({reason})"]
            )
            continue
        progress(f"measuring {target.name} ({target.path}) ...")
        try:
            result = load.measure(
                f"http://127.0.0.1:{port}{target.path}", wrk=wrk, seconds=seconds, warmup=WARMUP_SECONDS
            )
        except (subprocess.CalledProcessError, ValueError) as error:
            rows.append([target.name, target.path] + [PLACEHOLDER] * 4 + [goal, f"load generator failed: {error}"])
            continue
        if target.goal is None:
            baseline = result.per_second
        outcome = f"{verdict(result.per_second, baseline, target.goal)} {error_text(result)}".strip()
        rows.append(
            [
                target.name,
                target.path,
                f"{result.per_second:,.0f}",
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                ratio_text(result.per_second, baseline),
                goal,
                outcome,
            ]
        )
    return rows


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
        targets = [
            Target("static file (whitenoise)", static_css_path(), None),
            Target("home page", "/", 0.75),
            Target("condition page", CONDITION_PATH, 0.75),
            Target("week of free times", SLOTS_PATH, 0.30),
        ]
        say()
        say(format_table(HEADERS, measure_targets(port, targets, wrk=wrk, seconds=seconds)))
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
            scores, lost = lighthouse.scores(f"http://127.0.0.1:{port}{path}")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError) as error:
            say(f"  {path}: Lighthouse failed ({type(error).__name__})")
            continue
        result = "PASS" if all(score == 100 for score in scores.values()) else "FAIL"
        say(f"  {path}: " + ", ".join(f"{name} {score}" for name, score in scores.items()) + f"  {result}")
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
