"""One log line for each request (method, route name, status, duration), and the request's id on
every line logged while it is answered, so an operator can follow one request through the logs.

The route is the URL pattern's name (`bookings:manage`), never the address: addresses can hold a
patient's private link, and query strings are never logged.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.urls import Resolver404, resolve

logger = logging.getLogger("soletherapy.requests")

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
# An id the reverse proxy made (nginx's $request_id, a load balancer's trace id) is kept, so its
# log and ours can be joined; anything else a client sends is replaced.
_FORWARDED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being answered (or "-") on every log record."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


def route_of(request) -> str:
    """The name of the URL pattern that answered (a page cache keeps it with the page)."""
    match = request.resolver_match
    if match is None:
        if request.path_info.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            return "static"
        try:
            # Answered before the URL was resolved (a cached page, a redirect to HTTPS).
            match = resolve(request.path_info)
        except Resolver404:
            return "-"
    return match.view_name or match.route or "-"


class RequestLogMiddleware:
    """First in the chain, so the time is the whole answer's and the status the one sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = forwarded if _FORWARDED_ID.fullmatch(forwarded) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # A page served from the page cache says which view rendered it when it was stored.
            method, route = request.method[:16], getattr(response, "view_name", None) or route_of(request)
            logger.info(
                "%s %s %s",
                method,
                route,
                response.status_code,
                extra={
                    "method": method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)
