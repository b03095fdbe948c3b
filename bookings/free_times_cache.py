"""The week of free times, rendered once and shared by every visitor for up to a minute.

The page depends only on the schedule (hours, time off, closures, bookings, rules...) and the
clock. A change to any of those bumps the schedule generation when it commits (the models are
watched in `BookingsConfig.ready`), so a booking made a moment ago is never offered again from
the cache; the clock is bucketed by the minute. A time picked from the page is always checked
again against the database before booking.
"""

from soletherapy import page_cache

schedule_generation = page_cache.Generation("schedule")
shared_free_times = page_cache.shared_view(
    schedule_generation, namespace="free-times", seconds=60, params=("concern", "day", "month", "practitioner")
)
