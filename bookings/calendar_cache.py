"""The reception calendar, rendered once and kept in each worker's memory until anything it shows
changes: a booking, a patient's name, a service, a practitioner, hours, time off, a closure (the
models are watched in `BookingsConfig.ready`). It also marks "now", so nothing is kept for more
than a minute. It holds patients' names, so it is never put in the shared cache.

Two layers: the grid, shared by the staff who see the same thing (the same days, practitioners,
row length, bookings they may see and booking links); and each staff member's whole page
(compressed once), for the reloads a front desk makes all day. A page is kept only when nothing
on it is one-off (no message waiting) and its form token is the one the browser already holds.
"""

import hashlib

from django.conf import settings

from soletherapy import page_cache
from soletherapy.compressed_pages import compressed, stored_response
from soletherapy.worker_pages import WorkerFragments

calendar_generation = page_cache.Generation("calendar")
grids = WorkerFragments(32)  # a week for 20 practitioners is about 1 MB of HTML
pages = WorkerFragments(16)
SECONDS = 60


def cached_grid(key: tuple, render) -> str:
    """The grid's HTML for `key` (everything it depends on but the watched models), rendered by
    `render()` when not kept."""
    return grids.get_or_render(calendar_generation.current(), repr(key), render, seconds=SECONDS)


def _may_keep(request) -> bool:
    return (
        settings.CSRF_COOKIE_NAME in request.COOKIES
        and "messages" not in request.COOKIES
        and "_messages" not in request.session
    )


def cached_page(request, key: tuple, render):
    """This staff member's calendar page for `key`, as `render()` returns it (a TemplateResponse)
    or as kept, compressed as the browser accepts."""
    generation = calendar_generation.current()
    if generation is None or not _may_keep(request):
        return render()
    token = hashlib.sha256(request.COOKIES[settings.CSRF_COOKIE_NAME].encode()).hexdigest()
    page_key = f"{generation}:{request.user.pk}:{token}:{key!r}"
    accept = request.headers.get("Accept-Encoding", "")
    if (stored := pages.get(page_key)) is not None:
        return stored_response(stored, accept)
    response = render().render()
    if response.status_code != 200 or response.cookies:
        return response
    headers = {"Content-Type": response["Content-Type"], "Vary": "Accept-Encoding"}
    stored = (200, headers, response.content, compressed(headers, response.content))
    pages.put(page_key, stored, seconds=SECONDS)
    return stored_response(stored, accept)
