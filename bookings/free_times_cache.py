"""The week of free times, rendered once and shared by every visitor for up to a minute.

The page depends only on the schedule (hours, time off, closures, bookings, rules...) and the
clock. A change to any of those bumps the schedule generation when it commits, so a booking
made a moment ago is never offered again from the cache; the clock is bucketed by the minute.
A time picked from the page is always checked again against the database before booking.
"""

from functools import wraps

from django.utils import timezone

from soletherapy import page_cache

SECONDS = 60
NAMESPACE = "free-times"
schedule_generation = page_cache.Generation("schedule")


def shared_free_times(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "messages" in request.COOKIES:  # a one-off notice for this visitor is on the page
            return view(request, *args, **kwargs)
        generation = schedule_generation.current()
        path = f"{timezone.now():%Y%m%d%H%M}:{request.get_full_path()}"
        if (cached := page_cache.get_page(generation, path, NAMESPACE)) is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            page_cache.set_page(generation, path, response, NAMESPACE, SECONDS)
        return response

    return wrapper
