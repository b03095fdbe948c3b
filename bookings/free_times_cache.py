"""The week of free times, rendered once and shared by every visitor for up to a minute.

The page depends only on the schedule (hours, time off, closures, bookings, rules...) and the
clock. A change to any of those bumps the schedule generation when it commits (the models are
watched in `BookingsConfig.ready`), so a booking made a moment ago is never offered again from
the cache; each page is kept a minute at most, as times fall inside the minimum notice. The
page cache middleware serves it (before any other middleware, so a hit costs what a content page
does), with the headers it was sent with: browsers and proxies are still told not to keep it. A
time picked from the page is always checked again against the database before booking.
"""

from soletherapy import page_cache

schedule_generation = page_cache.Generation("schedule")
page_cache.share_path(
    r"/book/[-a-zA-Z0-9_]+/times/",
    schedule_generation,
    namespace="free-times",
    seconds=60,
    params=("concern", "day", "month", "practitioner"),
)
