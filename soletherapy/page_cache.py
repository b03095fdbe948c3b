"""Rendered pages, shared between visitors, dropped at once when what they show changes.

Django's own cache middleware has no way to drop every page when content changes, so pages
are stored under a generation number that a change bumps: at once, and again when the change
commits, so that a page a request rendered from the old data in between is not served either.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

# How long a worker trusts the generation it last read from the shared cache. A change made in
# this worker is seen at once; one made in another worker within this many seconds.
LOCAL_SECONDS = 1.0
# Pages each worker keeps in its own memory, most recently used last (about 15 KB each).
LOCAL_PAGES = 256


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _fresh_generation() -> int:
    # Time-based rather than counting from 1, so that after the cache is flushed an old
    # generation number (and the pages stored under it) can never come back.
    return time.time_ns()


class Generation:
    def __init__(self, name: str):
        self.key = f"{name}:generation"
        self._local: tuple[int, float] | None = None

    def current(self) -> int:
        checked = time.monotonic()
        if self._local is not None and checked - self._local[1] < LOCAL_SECONDS:
            return self._local[0]
        cache = _cache()
        generation = cache.get(self.key)
        if generation is None:
            cache.add(self.key, _fresh_generation(), timeout=None)
            generation = cache.get(self.key)
        self._local = (generation, checked)
        return generation

    def bump_now(self) -> None:
        cache = _cache()
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, _fresh_generation(), timeout=None)
        self._local = None

    def bump(self) -> None:
        self.bump_now()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self.bump_now, robust=True)

    def forget_local(self) -> None:
        self._local = None


content_generation = Generation("page-cache")


def static_version() -> str:
    # After a deploy with new hashed CSS, pages cached by the old release (linking to files that
    # may be gone) are never served.
    return getattr(staticfiles_storage, "manifest_hash", "") or "dev"


def page_key(generation: int, path: str, namespace: str = "page-cache") -> str:
    return f"{namespace}:{static_version()}:{generation}:{path}"


def current_generation() -> int:
    return content_generation.current()


class _LocalPages:
    """A small per-worker copy of the shared page cache, so a hit needs no network round trip.
    Keys carry the generation, so a content change makes every old entry unreachable."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            stored = self.pages.get(key)
            if stored is not None:
                self.pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple) -> None:
        with self.lock:
            self.pages[key] = stored
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


local_pages = _LocalPages(LOCAL_PAGES)


def get_page(generation: int, path: str, namespace: str = "page-cache") -> HttpResponse | None:
    key = page_key(generation, path, namespace)
    stored = local_pages.get(key)
    if stored is None:
        stored = _cache().get(key)
        if stored is None:
            return None
        local_pages.put(key, stored)
    status, headers, content = stored
    return HttpResponse(content, status=status, headers=headers)


def set_page(generation: int, path: str, response, namespace: str = "page-cache", seconds: int | None = None) -> None:
    # Plain values rather than the response object: smaller, and quicker to load on every hit.
    stored = (response.status_code, list(response.items()), response.content)
    key = page_key(generation, path, namespace)
    _cache().set(key, stored, seconds or settings.PAGE_CACHE_SECONDS)
    local_pages.put(key, stored)


def invalidate_pages() -> None:
    content_generation.bump()
