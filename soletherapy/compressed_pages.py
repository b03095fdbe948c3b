"""Pages compressed once, when the page cache stores them (brotli and gzip), and each visitor
sent the encoding their browser accepts (the stored page says `Vary: Accept-Encoding`).

The page cache stores only pages shared between visitors, which hold no secret (no form token,
nothing personal: a page that sets a cookie is never stored): compressing them cannot leak one.
BREACH needs a secret and text an attacker chooses on the same compressed page. The one page
with a secret compressed here is a staff member's own calendar (`bookings.calendar_cache`,
with the sign-out form's token): it shows no text anyone can choose (its address is read as a
date, a view, a practitioner and a row length; anything else is ignored), and each kept copy's
token is masked afresh by Django. Other pages with forms are never compressed by the application.
"""

import functools
import gzip

from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect

try:
    import brotli
except ImportError:  # optional: gzip alone then
    brotli = None

REDIRECTS = {301: HttpResponsePermanentRedirect, 302: HttpResponseRedirect}
# Smaller pages are not worth compressing; only text is.
COMPRESS_MIN_BYTES = 256
COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/json", "application/manifest+json")


@functools.lru_cache(maxsize=64)  # browsers send a handful of different headers
def accepted_encodings(header: str) -> frozenset[str]:
    """The codings an Accept-Encoding header accepts ("gzip;q=0" refuses gzip)."""
    accepted = set()
    for part in header.lower().split(","):
        coding, _, parameters = part.strip().partition(";")
        quality = parameters.strip().removeprefix("q=")
        try:
            refused = bool(parameters) and float(quality) == 0
        except ValueError:
            refused = False
        if coding and not refused:
            accepted.add(coding.strip())
    return frozenset(accepted)


def compressed(headers: dict, content: bytes) -> dict[str, bytes]:
    kind = headers.get("Content-Type", "")
    if len(content) < COMPRESS_MIN_BYTES or not kind.startswith(COMPRESSIBLE_TYPES) or "Content-Encoding" in headers:
        return {}
    encoded = {"gzip": gzip.compress(content, compresslevel=6, mtime=0)}
    if brotli is not None:
        encoded["br"] = brotli.compress(content, quality=5)
    return encoded


def stored_response(stored: tuple, accept_encoding: str = "") -> HttpResponse:
    """A stored page as a response, compressed as the browser accepts it. It always says its
    length: it is sent before the middleware that would add it, and without one the server
    sends the body in chunks (a redirect too), which costs it another write."""
    status, headers, content, *rest = stored
    encoded = rest[0] if rest else {}
    if status in REDIRECTS and "Location" in headers:
        others = {name: value for name, value in headers.items() if name != "Location"}
        return REDIRECTS[status](headers["Location"], headers=others | {"Content-Length": str(len(content))})
    if encoded:
        accepted = accepted_encodings(accept_encoding)
        if coding := next((name for name in ("br", "gzip") if name in encoded and name in accepted), None):
            content = encoded[coding]
            headers = headers | {"Content-Encoding": coding}
    return HttpResponse(content, status=status, headers=headers | {"Content-Length": str(len(content))})
