"""Abuse limits on public writes, held in the shared cache so they hold across workers and
machines (django-ratelimit counts; this module decides what a limit looks like).

A limit answers 429 with a page a person can read and a Retry-After header. Limits are set so a
real patient never meets them, and each can be changed in the settings. When the cache cannot
be reached the limits are not applied rather than the site failing. Imports no app.
"""

import logging
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The client's address. Behind a reverse proxy it comes only from the header the proxy
    sets (CLIENT_ADDRESS_HEADER), and only from the entry that proxy added (the last
    TRUSTED_PROXIES ones are ours; anything before them the client could have forged)."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header and (value := request.META.get(header)):
        addresses = [address.strip() for address in value.split(",") if address.strip()]
        if len(addresses) >= settings.TRUSTED_PROXIES:
            return addresses[-settings.TRUSTED_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _by_address(group, request):
    return client_address(request)


def _normalised(function):
    """A key for django-ratelimit from a function of the request, compared without case."""

    def key(group, request):
        return (function(request) or "").strip().lower()

    return key


def rate_limited(group: str, **keys):
    """Limit a view's POSTs by `settings.RATE_LIMITS[group]`, a rate for each key: "address"
    (the client's address) and any other key given here as a function of the request (say the
    email address a form is for)."""
    key_functions = {"address": _by_address} | {name: _normalised(function) for name, function in keys.items()}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                for name, rate in settings.RATE_LIMITS[group].items():
                    if (seconds := _over(request, f"{group}:{name}", key_functions[name], rate)) is not None:
                        # Which limit, never whose address or email.
                        logger.warning("Rate limit reached: %s per %s", group, name)
                        return too_many(request, seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _over(request, group: str, key, rate: str) -> int | None:
    """Seconds until this limit opens again if it is reached, else None."""
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception as error:  # the cache is down: limits are not applied, the site goes on
        logger.warning("Rate limits not applied: the cache cannot be reached (%s)", type(error).__name__)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def too_many(request, seconds: int):
    minutes = max(1, round(seconds / 60))
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes < 90 else f"{round(minutes / 60)} hours"
    response = render(request, "429.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
