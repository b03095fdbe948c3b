"""Page weight: bytes over the wire and requests for a page's HTML and the assets it pulls in.

Assets are the stylesheets, scripts and icons the HTML links to plus the font files those
stylesheets refer to (images aside), each fetched once with `Accept-Encoding: br, gzip`.
The application compresses a page it keeps (soletherapy/compressed_pages.py); a page sent
uncompressed counts at the size a reverse proxy would compress it to. Both sizes are shown, and
response headers count too.
"""

import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import brotli

from bench.report import asset_urls, font_urls, format_table, kb, same_origin
from bench.server import get

HEADERS = {"Accept-Encoding": "br, gzip"}
BUDGET_BYTES = 60_000
BUDGET_REQUESTS = 8
# A reverse proxy compresses on the fly at a middling quality, not at brotli's slow maximum.
PROXY_BROTLI_QUALITY = 5


@dataclass
class Fetched:
    url: str
    status: int
    encoding: str
    header_bytes: int
    body_bytes: int

    @property
    def wire_bytes(self) -> int:
        return self.header_bytes + self.body_bytes


@dataclass
class PageWeight:
    html_raw: int
    html_brotli: int
    resources: list[Fetched] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(resource.wire_bytes for resource in self.resources)

    @property
    def passed(self) -> bool:
        fine = all(resource.status == 200 for resource in self.resources) and not self.outside
        return fine and self.total_bytes < BUDGET_BYTES and len(self.resources) <= BUDGET_REQUESTS


def _fetch(port: int, url: str) -> tuple[Fetched, bytes]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    status, headers, body = get(port, path, HEADERS)
    header_bytes = len(f"HTTP/1.1 {status}\r\n".encode()) + len(headers.as_bytes())
    return Fetched(url, status, headers.get("Content-Encoding", "none"), header_bytes, len(body)), body


def measure_page(port: int, path: str) -> PageWeight:
    base = f"http://127.0.0.1:{port}{path}"
    html_fetch, body = _fetch(port, base)
    html = _decode(body, html_fetch.encoding)
    if html_fetch.encoding == "none":
        html_fetch.body_bytes = len(brotli.compress(body, quality=PROXY_BROTLI_QUALITY))
        html_fetch.encoding = "br (by a proxy)"
    weight = PageWeight(html_raw=len(html.encode()), html_brotli=html_fetch.body_bytes, resources=[html_fetch])
    pending, seen = asset_urls(html, base), set()
    while pending:
        url = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if not same_origin(url, base):
            weight.outside.append(url)
            continue
        fetched, body = _fetch(port, url)
        weight.resources.append(fetched)
        if urlsplit(url).path.endswith(".css") and fetched.status == 200:
            pending += font_urls(_decode(body, fetched.encoding), url)
    return weight


def _decode(body: bytes, encoding: str) -> str:
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8", errors="replace")


def format_weight(path: str, weight: PageWeight) -> str:
    rows = [[urlsplit(r.url).path, str(r.status), r.encoding, f"{r.wire_bytes:,}"] for r in weight.resources]
    lines = [
        f"Page weight of {path} (images aside; headers included)",
        format_table(["resource", "status", "encoding", "bytes"], rows),
        f"HTML: {weight.html_raw:,} bytes raw, {weight.html_brotli:,} bytes brotli-compressed "
        + _compressed_by(weight),
    ]
    lines += [f"Loads from another host (not allowed): {url}" for url in weight.outside]
    verdict = "PASS" if weight.passed else "FAIL"
    lines.append(
        f"Total: {kb(weight.total_bytes)} ({weight.total_bytes:,} bytes) in {len(weight.resources)} requests"
        f" - goal < {kb(BUDGET_BYTES)} in <= {BUDGET_REQUESTS} requests: {verdict}"
    )
    return "\n".join(lines)


def _compressed_by(weight: PageWeight) -> str:
    if weight.resources and weight.resources[0].encoding.endswith("(by a proxy)"):
        return "(sent uncompressed; a reverse proxy would compress it, so the total uses the compressed size)."
    return "(compressed by the application, once, when the page was kept)."
