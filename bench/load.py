"""Generate load against one loopback URL: wrk if it can be had, else a bounded Python fallback.

Every request asks for `Accept-Encoding: br, gzip`, as a browser does (whitenoise then serves
the pre-compressed static file).
"""

import http.client
import os
import shutil
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit

from bench.report import Measurement, parse_wrk_result, percentile

THREADS = 2
CONNECTIONS = 16
HEADERS = {"Accept-Encoding": "br, gzip"}

# wrk records every request's latency in its histogram; done() prints what we need on one line.
WRK_SCRIPT = """
wrk.headers["Accept-Encoding"] = "br, gzip"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def find_wrk() -> str | None:
    """wrk's path, installing the Debian package first when we are root and it is missing."""
    if not shutil.which("wrk") and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return shutil.which("wrk")


def describe(wrk: str | None, seconds: int, warmup: int) -> str:
    if wrk:
        return f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s after a {warmup} s warm-up"
    return (
        f"Python fallback (wrk unavailable): {CONNECTIONS} keep-alive threads for {seconds} s"
        f" after a {warmup} s warm-up"
    )


def measure(
    url: str, *, wrk: str | None, seconds: int, warmup: int, headers: dict[str, str] | None = None
) -> Measurement:
    """`headers` are sent with every request too (a signed-in staff member's session cookie)."""
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise ValueError(f"the bench only loads loopback addresses, not {host}")
    headers = headers or {}

    def run(duration: int) -> Measurement:
        return _run_wrk(url, wrk, duration, headers) if wrk else _run_python(url, duration, headers)

    run(warmup)
    return run(seconds)


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run_wrk(url: str, wrk: str, seconds: int, headers: dict[str, str]) -> Measurement:
    extra = "".join(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}\n" for name, value in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(extra + WRK_SCRIPT)
        script.flush()
        command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s", "-s", script.name, url]
        completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk_result(completed.stdout)


def _run_python(url: str, seconds: int, headers: dict[str, str]) -> Measurement:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = {"status": 0, "socket": 0}
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        mine, failed, broken = [], 0, 0
        while (started := time.perf_counter()) < deadline:
            try:
                connection.request("GET", path, headers=HEADERS | headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                broken += 1
                connection.close()
                continue
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors["status"] += failed
            errors["socket"] += broken

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if not latencies:
        return Measurement(0, elapsed, 0, 0, errors["status"], errors["socket"])
    return Measurement(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        status_errors=errors["status"],
        socket_errors=errors["socket"],
    )
