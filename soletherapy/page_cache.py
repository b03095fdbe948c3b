"""Rendered pages, shared between visitors, dropped at once when what they show changes.

Django's own cache middleware has no way to drop every page when content changes, so pages
are stored under a generation number that a change bumps (`generations`).

The apps use it through one narrow interface and never import each other for it: each says
which of its models a generation's pages show (`Generation.watch`, in its AppConfig.ready),
and which addresses' pages may be shared for a while (`share_path`). This module imports no
app.

A page is compressed once, when it is stored (`compressed_pages`), and each visitor is sent
the encoding their browser accepts.

The cache is an accelerator, never a dependency: when it cannot be reached, pages are rendered
afresh (slower, never stale), and changes still save (`generations`).
"""

import hashlib
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from soletherapy.compressed_pages import compressed, stored_response

# Generation and forget_outage are the apps' (and the tests') interface here, as before.
from soletherapy.generations import Generation, forget_outage, outage, shared_cache  # noqa: F401
from soletherapy.worker_pages import WorkerPages

# Pages each worker keeps in its own memory, most recently used last (about 15 KB each).
LOCAL_PAGES = 256

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
            stored = shared_cache().get(key)
        except Exception as error:
            outage(error)
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
        shared_cache().set(key, stored, seconds)
    except Exception as error:
        outage(error)
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
