"""Pure helpers: percentiles, parsing load-generator output and page HTML, formatting tables."""

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

RESULT_PREFIX = "BENCH-RESULT"
PLACEHOLDER = "-"
FONT_URL = re.compile(r"""url\(\s*['"]?([^'")]+\.(?:woff2?|ttf|otf)(?:[?#][^'")]*)?)['"]?\s*\)""", re.IGNORECASE)
# <link rel> values a browser fetches while loading the page (images aside).
FETCHED_RELS = {"stylesheet", "icon", "preload", "modulepreload"}


@dataclass
class Measurement:
    """Load-generator results for one URL."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    status_errors: int = 0
    socket_errors: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest value with at least pct% of values at or below it."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {pct}")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def parse_wrk_result(output: str) -> Measurement:
    """Read the line our wrk Lua script prints when done: `BENCH-RESULT key=value ...`."""
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX + " "):
            fields = dict(part.split("=", 1) for part in line.split()[1:])
            return Measurement(
                requests=int(fields["requests"]),
                seconds=int(fields["duration_us"]) / 1e6,
                p50_ms=int(fields["p50_us"]) / 1000,
                p99_ms=int(fields["p99_us"]) / 1000,
                status_errors=int(fields["status_errors"]),
                socket_errors=int(fields["socket_errors"]),
            )
    raise ValueError(f"no {RESULT_PREFIX} line in wrk output:\n{output}")


def error_text(result: Measurement) -> str:
    """Say how many requests failed, if any: `(3 HTTP errors, 16 socket errors/timeouts)`."""
    parts = [f"{result.status_errors:,} HTTP errors"] * bool(result.status_errors)
    parts += [f"{result.socket_errors:,} socket errors/timeouts"] * bool(result.socket_errors)
    return f"({', '.join(parts)})" if parts else ""


def ratio_text(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def verdict(value: float, baseline: float, goal: float | None) -> str:
    if goal is None:
        return "baseline"
    if not baseline:
        return "n/a"
    return "PASS" if value / baseline >= goal else "FAIL"


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table: text columns left-aligned, numeric columns right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    numeric = [_is_numeric_column([row[i] for row in rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(
            str(cell).rjust(width) if is_num else str(cell).ljust(width)
            for cell, width, is_num in zip(cells, widths, numeric, strict=False)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _is_numeric_column(cells: list[str]) -> bool:
    filled = [str(cell) for cell in cells if cell not in ("", PLACEHOLDER)]
    return bool(filled) and all(re.fullmatch(r"[-+]?[\d,]*\.?\d+x?", cell) for cell in filled)


class _AssetLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and FETCHED_RELS & set((attributes.get("rel") or "").lower().split()):
            self.urls.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])


def asset_urls(html: str, base_url: str) -> list[str]:
    """Absolute URLs of the stylesheets, scripts and icons a page links to, in order, once each."""
    parser = _AssetLinks()
    parser.feed(html)
    return _unique(urljoin(base_url, url) for url in parser.urls if url and not url.startswith("data:"))


def font_urls(css: str, css_url: str) -> list[str]:
    """Absolute URLs of the font files a stylesheet refers to, once each."""
    return _unique(urljoin(css_url, url) for url in FONT_URL.findall(css) if not url.startswith("data:"))


def same_origin(url: str, base_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base_url).netloc


def kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def _unique(items) -> list:
    return list(dict.fromkeys(items))
