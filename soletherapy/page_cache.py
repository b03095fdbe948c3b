"""Rendered pages, shared between visitors, dropped at once when what they show changes.

Django's own cache middleware has no way to drop every page when content changes, so pages
are stored under a generation number that a change bumps: at once, and again when the change
commits, so that a page a request rendered from the old data in between is not served either.

The apps use it through one narrow interface and never import each other for it: each says
which of its models a generation's pages show (`Generation.watch`, in its AppConfig.ready),
and which addresses' pages may be shared for a while (`share_path`). This module imports no
app.

A page is compressed once, when it is stored (`compressed_pages`), and each visitor is sent
the encoding their browser accepts.

The cache is an accelerator, never a dependency: when it cannot be reached, pages are rendered
afresh (slower, never stale), changes still save, and the failure is logged once a minute, not
once a request. A change made while it was down bumps its generation as soon as it is back.
"""

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from soletherapy.compressed_pages import compressed, stored_response
from soletherapy.worker_pages import WorkerPages

# How long a worker trusts the generation it last read from the shared cache. A change made in
# this worker is seen at once; one made in another worker or on another server within this many
# seconds (so, on every server, within a second of saving).
LOCAL_SECONDS = 0.5
# Pages each worker keeps in its own memory, most recently used last (about 15 KB each).
LOCAL_PAGES = 256


logger = logging.getLogger(__name__)
# A cache that is down is logged at most this often (seconds) by each worker, and not asked
# again for a few seconds, so each request does not wait for it to fail anew.
OUTAGE_LOG_SECONDS = 60
OUTAGE_PAUSE_SECONDS = 5
_outage_state = {"logged": -OUTAGE_LOG_SECONDS, "retry_after": 0.0}


class CacheDown(Exception):
    """The cache failed a moment ago: it is not asked again yet."""


def _cache():
    if time.monotonic() < _outage_state["retry_after"]:
        raise CacheDown
    return caches[settings.PAGE_CACHE_ALIAS]


def _outage(error: Exception) -> None:
    now = time.monotonic()
    if isinstance(error, CacheDown):
        return
    _outage_state["retry_after"] = now + OUTAGE_PAUSE_SECONDS
    if now - _outage_state["logged"] >= OUTAGE_LOG_SECONDS:
        _outage_state["logged"] = now
        logger.warning("The page cache cannot be reached (%s): pages are rendered without it", type(error).__name__)


def forget_outage() -> None:
    """Ask the cache again at once (tests, and a worker told the cache is back)."""
    _outage_state.update(logged=-OUTAGE_LOG_SECONDS, retry_after=0.0)


def _fresh_generation() -> int:
    # Time-based rather than counting from 1, so that after the cache is flushed an old
    # generation number (and the pages stored under it) can never come back.
    return time.time_ns()


class Generation:
    def __init__(self, name: str):
        self.key = f"{name}:generation"
        self._local: tuple[int, float] | None = None
        self._bump_missed = False

    def current(self) -> int | None:
        """The generation pages are stored under now; None while the cache cannot be reached
        (nothing is then read from or stored in it)."""
        checked = time.monotonic()
        if self._local is not None and checked - self._local[1] < LOCAL_SECONDS:
            return self._local[0]
        try:
            if self._bump_missed:
                self._bump()
            cache = _cache()
            generation = cache.get(self.key)
            if generation is None:
                cache.add(self.key, _fresh_generation(), timeout=None)
                generation = cache.get(self.key)
        except Exception as error:  # any cache failure: the site goes on without the cache
            self._local = None
            _outage(error)
            return None
        self._local = (generation, checked)
        return generation

    def _bump(self) -> None:
        cache = _cache()
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, _fresh_generation(), timeout=None)
        self._bump_missed = False

    def bump_now(self) -> None:
        self._local = None
        try:
            self._bump()
        except Exception as error:
            # Pages shown before the change must not come back when the cache does.
            self._bump_missed = True
            _outage(error)

    def bump(self) -> None:
        self.bump_now()
        connection = transaction.get_connection()
        # Once more when the transaction commits, however many of its changes bump (a booking
        # saves its patient and itself). A savepoint rolled back takes its commit callback with
        # it, so a change after it asks again.
        if connection.in_atomic_block and not any(
            callback == self.bump_now for _, callback, _ in connection.run_on_commit
        ):
            transaction.on_commit(self.bump_now, robust=True)

    def forget_local(self) -> None:
        self._local = None

    def watch(self, *models) -> None:
        """Bump whenever a row of one of these models is saved or deleted, or, for a
        many-to-many `through` model, whenever its links change. This covers the admin, the
        services, revision restores, commands and shell sessions alike: all save through the ORM."""
        for model in models:
            uid = (self.key, model._meta.label)
            if model._meta.auto_created:
                m2m_changed.connect(self._on_links_changed, sender=model, weak=False, dispatch_uid=uid)
            else:
                post_save.connect(self._on_row_changed, sender=model, weak=False, dispatch_uid=uid)
                post_delete.connect(self._on_row_changed, sender=model, weak=False, dispatch_uid=uid)

    def _on_row_changed(self, sender, **kwargs) -> None:
        self.bump()

    def _on_links_changed(self, sender, action, **kwargs) -> None:
        if action.startswith("post_"):
            self.bump()


content_generation = Generation("page-cache")


def static_version() -> str:
    # After a deploy with new hashed CSS, pages cached by the old release (linking to files that
    # may be gone) are never served.
    return getattr(staticfiles_storage, "manifest_hash", "") or "dev"


def page_key(generation: int, path: str, namespace: str = "page-cache") -> str:
    # Hashed: a long address makes a key of fixed length (no cache-key warnings, no huge keys).
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"{namespace}:{static_version()}:{generation}:{digest}"


local_pages = WorkerPages(LOCAL_PAGES)


def get_page(
    generation: int | None, path: str, namespace: str = "page-cache", accept_encoding: str = ""
) -> HttpResponse | None:
    if generation is None:
        return None
    key = page_key(generation, path, namespace)
    stored = local_pages.get(key)
    if stored is not None and _expired(stored):
        local_pages.drop(key)
        stored = None
    if stored is None:
        try:
            stored = _cache().get(key)
        except Exception as error:
            _outage(error)
            return None
        if stored is None or _expired(stored):
            return None
        local_pages.put(key, stored)
    return _response(stored, accept_encoding)


def _response(stored: tuple, accept_encoding: str) -> HttpResponse:
    response = stored_response(stored, accept_encoding)
    if len(stored) > 5:
        response.view_name = stored[5]
    return response


def _expired(stored: tuple) -> bool:
    # The shared cache forgets a page on time by itself; a worker's own copy must check.
    return len(stored) > 4 and stored[4] <= time.time()


def set_page(
    generation: int | None,
    path: str,
    response,
    namespace: str = "page-cache",
    seconds: int | None = None,
    accept_encoding: str = "",
    view: str = "-",
) -> HttpResponse:
    """Store the page (with its compressed copies) and return the response to send now: the
    same page, compressed as this browser accepts it."""
    if generation is None:
        return response
    patch_vary_headers(response, ["Accept-Encoding"])
    headers = {name: value for name, value in response.items() if name != "Content-Length"}
    seconds = seconds or settings.PAGE_CACHE_SECONDS
    # Plain values rather than the response object: smaller, and quicker to load on every hit.
    content = response.content
    stored = (response.status_code, headers, content, compressed(headers, content), time.time() + seconds, view)
    key = page_key(generation, path, namespace)
    try:
        _cache().set(key, stored, seconds)
    except Exception as error:
        _outage(error)
        return response
    local_pages.put(key, stored)
    return _response(stored, accept_encoding)


def _kept(request, params: tuple[str, ...]) -> list[tuple[str, str]]:
    return sorted((name, request.GET[name]) for name in params if request.GET.get(name))


def clean_address(request, params: tuple[str, ...]) -> str | None:
    """Where to send a request whose address carries query parameters the page does not use
    (or one twice, or empty), or None when it carries none: junk parameters (a cache-busting
    flood, tracking tags) must not make a fresh copy of a page each."""
    used = set(params)
    if all(name in used and len(values) == 1 and values[0] for name, values in request.GET.lists()):
        return None
    kept = _kept(request, params)
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def cache_address(request, params: tuple[str, ...]) -> str:
    """One key for one page, whatever order its parameters come in; a page sent over HTTPS
    apart from one sent without (only the first may tell browsers to insist on HTTPS)."""
    kept = _kept(request, params)
    return ("https:" if request.is_secure() else "") + request.path + (f"?{urlencode(kept)}" if kept else "")


@dataclass(frozen=True)
class SharedPath:
    """Pages at addresses matching `pattern`, shared between every visitor (a session or not:
    nothing on them is personal) for up to `seconds` from their own rendering, under
    `generation`; they may read only the query parameters `params`. Served by the page cache
    middleware with the headers they were sent with (which may still tell browsers and proxies
    not to keep them)."""

    pattern: re.Pattern
    generation: Generation
    namespace: str
    seconds: int
    params: tuple[str, ...]


shared_paths: list[SharedPath] = []


def share_path(pattern: str, generation: Generation, *, namespace: str, seconds: int, params: tuple[str, ...]):
    """Say (from an app, at start-up) that the pages at `pattern` may be shared for a while.
    Each expires `seconds` after its own rendering, not all on the minute together, so the cost
    of rendering them again is spread out rather than paid by every visitor at once."""
    shared_paths.append(SharedPath(re.compile(pattern), generation, namespace, seconds, params))


def shared_path_for(path: str) -> SharedPath | None:
    return next((shared for shared in shared_paths if shared.pattern.fullmatch(path)), None)
