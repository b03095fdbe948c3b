"""A whole booking in process, every request a patient sends (the week of times, the details
form, sending it, the review, the confirm), timed request by request through Django's test
client: middleware, views and templates, as a worker that has served before runs them.

Used by the growth bench at 100,000 bookings: each patient is a new visitor, and each times page
is a cache miss, since the booking before changed the schedule. The confirm's statements are
counted as production runs them (BEGIN and COMMIT, which PostgreSQL's driver sends without a
statement, are left out on both databases).
"""

import statistics
from http.cookies import SimpleCookie
from time import perf_counter

from bench.emails import first_slot_link, hidden_fields

STEPS = ("times", "details", "send", "review", "confirm")
BOOKINGS = 7
GOAL_MS = 60
GOAL_CONFIRM_QUERIES = 15
ANSWERS = {
    "given_name": "Jordan", "family_name": "Bench", "phone": "0412 345 678", "is_returning": "no",
    "concern": "", "concern_text": "", "notes": "", "consent": "on", "website": "",
}  # fmt: skip


def time_bookings(client, service_slug: str, count: int = BOOKINGS) -> dict:
    """`client` has served a request before (its handler and middleware are loaded)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = {step: [] for step in STEPS}
    statements = []

    def timed(step, call, *args):
        began = perf_counter()
        response = call(*args)
        timings[step].append((perf_counter() - began) * 1000)
        assert response.status_code in (200, 302), (step, response.status_code)
        return response

    for n in range(count):
        client.cookies = SimpleCookie()  # a new visitor
        times = timed("times", client.get, f"/book/{service_slug}/times/?practitioner=any").content.decode()
        link = first_slot_link(times)
        details = timed("details", client.get, link).content.decode()
        answers = hidden_fields(details) | ANSWERS | {"email": f"patient{n}@whole.bench.test"}
        review = timed("send", client.post, link, answers)["Location"]
        timed("review", client.get, review)
        with CaptureQueriesContext(connection) as queries:
            timed("confirm", client.post, review, {})
        statements.append(
            len([q for q in queries.captured_queries if q["sql"].split()[0].upper() not in ("BEGIN", "COMMIT")])
        )
    totals = [sum(timings[step][n] for step in STEPS) for n in range(count)]
    return {
        "ms": statistics.median(totals),
        "min_ms": min(totals),
        "max_ms": max(totals),
        "steps": {step: statistics.median(values) for step, values in timings.items()},
        "confirm_queries": max(statements),
        "count": count,
    }


def format_result(booking: dict) -> str:
    fast = booking["ms"] < GOAL_MS and booking["confirm_queries"] < GOAL_CONFIRM_QUERIES
    steps = ", ".join(f"{step} {ms:.1f}" for step, ms in booking["steps"].items())
    return (
        f"    whole booking at 100,000, in process ({booking['count']} patients, each times page a miss): median "
        f"{booking['ms']:.1f} ms (min {booking['min_ms']:.1f}, max {booking['max_ms']:.1f}; {steps} ms), confirm "
        f"{booking['confirm_queries']} queries; goal under {GOAL_MS} ms and {GOAL_CONFIRM_QUERIES} queries: "
        f"{'PASS' if fast else 'FAIL'}"
    )
