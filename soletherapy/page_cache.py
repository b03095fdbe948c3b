"""Rendered pages, shared between visitors, dropped at once when what they show changes.

Django's own cache middleware has no way to drop every page when content changes, so pages
are stored under a generation number that a change bumps: at once, and again when the change
commits, so that a page a request rendered from the old data in between is not served either.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import transaction


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


class Generation:
    def __init__(self, name: str):
        self.key = f"{name}:generation"

    def current(self) -> int:
        cache = _cache()
        generation = cache.get(self.key)
        if generation is None:
            cache.add(self.key, 1, timeout=None)
            generation = cache.get(self.key, 1)
        return generation

    def bump_now(self) -> None:
        cache = _cache()
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, 2, timeout=None)

    def bump(self) -> None:
        self.bump_now()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self.bump_now, robust=True)


content_generation = Generation("page-cache")


def static_version() -> str:
    # After a deploy with new hashed CSS, pages cached by the old release (linking to files that
    # may be gone) are never served.
    return getattr(staticfiles_storage, "manifest_hash", "") or "dev"


def page_key(generation: int, path: str) -> str:
    return f"page-cache:{static_version()}:{generation}:{path}"


def current_generation() -> int:
    return content_generation.current()


def get_page(generation: int, path: str):
    return _cache().get(page_key(generation, path))


def set_page(generation: int, path: str, response) -> None:
    _cache().set(page_key(generation, path), response, settings.PAGE_CACHE_SECONDS)


def invalidate_pages() -> None:
    content_generation.bump()


def get(key: str):
    return _cache().get(key)


def set(key: str, value, timeout: int) -> None:  # noqa: A001 - mirrors the cache API
    _cache().set(key, value, timeout)
