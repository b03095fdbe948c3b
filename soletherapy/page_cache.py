"""Whole rendered pages for anonymous visitors, dropped at once whenever clinic content changes.

Django's own cache middleware has no way to drop every page when content changes, so pages
are stored under a generation number that a content change bumps.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches

GENERATION_KEY = "page-cache:generation"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def current_generation() -> int:
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def page_key(generation: int, path: str) -> str:
    # The static manifest's hash is part of the key: after a deploy with new hashed CSS, pages
    # cached by the old release (linking to files that may be gone) are never served.
    static_version = getattr(staticfiles_storage, "manifest_hash", "") or "dev"
    return f"page-cache:{static_version}:{generation}:{path}"


def get_page(generation: int, path: str):
    return _cache().get(page_key(generation, path))


def set_page(generation: int, path: str, response) -> None:
    _cache().set(page_key(generation, path), response, settings.PAGE_CACHE_SECONDS)


def invalidate_pages() -> None:
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
