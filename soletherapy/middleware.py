import re
import time

from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from soletherapy import page_cache
from soletherapy.request_log import route_of

# Pages with forms, personal data or staff tools are never shared between visitors.
# Team photos are files that never change at their address (browsers keep them for a year): kept
# out, so each worker's memory of pages holds pages.
UNCACHED_PREFIXES = (f"/{settings.ADMIN_URL}", "/book/", "/booking/", "/waitlist/", "/health/", "/team/photos/")
# ... but for the booking's first two steps, the choice of service and of practitioner: public
# pages like any other, with no form token, cookie or anything personal on them.
CACHED_ANYWAY = re.compile(r"/book/(?:[-a-zA-Z0-9_]+/)?")
# The public pages read no query parameter, but for the sitemap's page number and the condition
# a patient came from: an address with any other is sent to the clean one, so it is one cached
# page, not one per query string.
KEPT_PARAMETERS = {"/sitemap.xml": ("p",)}
STATIC_PREFIX = f"/{settings.STATIC_URL.strip('/')}/"


def kept_parameters(path: str) -> tuple[str, ...]:
    return ("concern",) if CACHED_ANYWAY.fullmatch(path) else KEPT_PARAMETERS.get(path, ())


class AnonymousPageCacheMiddleware:
    """Serve public pages to anonymous visitors from the page cache.

    A request qualifies only when it carries no session or messages cookie (so nobody signed in
    and nothing personal is on the page) and its path is a public page. A response is stored
    only when it is a plain 200 (or a redirect) that sets no cookie and does not ask to stay
    private.

    Second in the chain, after the request log: a hit is sent as it was stored, with the
    headers every other middleware added when it was rendered (security, permissions, content
    security policy), so it passes through none of them again. A request the security
    middleware would send to HTTPS, a static file (whitenoise's) and an address with junk
    parameters (CleanAddressMiddleware's redirect) go on down the chain.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(STATIC_PREFIX) or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return self.get_response(request)
        if (shared := shared_path(request)) is not None:
            return self._serve_shared(request, shared)
        if not request_qualifies(request):
            return self.get_response(request)
        params = kept_parameters(request.path)
        if page_cache.clean_address(request, params) is not None:
            return self.get_response(request)
        generation = page_cache.content_generation.current()
        path = page_cache.cache_address(request, params)
        accept = request.META.get("HTTP_ACCEPT_ENCODING", "")
        cached = page_cache.get_page(generation, path, accept_encoding=accept)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._response_qualifies(response):
            return page_cache.set_page(generation, path, response, accept_encoding=accept, view=route_of(request))
        return response

    def _serve_shared(self, request, shared):
        """A page shared by every visitor for a while (page_cache.share_path), as it was sent."""
        if page_cache.clean_address(request, shared.params) is not None:
            return self.get_response(request)
        generation, path = shared.generation.current(), page_cache.cache_address(request, shared.params)
        accept = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if (cached := page_cache.get_page(generation, path, shared.namespace, accept)) is not None:
            return cached
        response = self.get_response(request)
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        view = route_of(request)
        return page_cache.set_page(generation, path, response, shared.namespace, shared.seconds, accept, view=view)

    @staticmethod
    def _response_qualifies(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            # A page, or where a public address now leads (the choice of practitioner goes
            # straight on to the times when one practitioner offers the service).
            response.status_code in (200, 301, 302)
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-cache" not in cache_control
            and "no-store" not in cache_control
        )


class CleanAddressMiddleware:
    """A page the cache may keep, asked for with query parameters it does not read, is sent to
    its clean address (page_cache.clean_address), so a flood of junk parameters makes no fresh
    copies. Near the end of the chain, so the redirect passes out through every other middleware
    and carries their headers like any other response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shared = shared_path(request)
        if shared is not None:
            params = shared.params
        elif request_qualifies(request):
            params = kept_parameters(request.path)
        else:
            return self.get_response(request)
        if (clean := page_cache.clean_address(request, params)) is not None:
            return HttpResponsePermanentRedirect(clean)
        return self.get_response(request)


def shared_path(request):
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return None  # a one-off notice on the page: this visitor's own copy
    return page_cache.shared_path_for(request.path)


def request_qualifies(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and (CACHED_ANYWAY.fullmatch(request.path) or not request.path.startswith(UNCACHED_PREFIXES))
    )


class StaffAreaMiddleware:
    """A staff member's session ends after a working day without a request, not two weeks; and
    no admin page is indexed (robots.txt does not name the admin, so as not to show where it is).

    The session's end moves on at most every few minutes, not on every request: each move is a
    write to the sessions table, which a busy front desk would otherwise make on every click."""

    REFRESH_SECONDS = 300
    SEEN_KEY = "staff_seen_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.is_staff:
            now = int(time.time())
            if not 0 <= now - request.session.get(self.SEEN_KEY, 0) < self.REFRESH_SECONDS:
                request.session[self.SEEN_KEY] = now
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        response = self.get_response(request)
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class CrossOriginResourcePolicyMiddleware:
    """No other site may embed this site's pages, files or images (Django sets the other
    cross-origin headers; this one it does not). Before whitenoise, so static files carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response
