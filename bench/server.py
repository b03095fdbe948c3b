"""Start the production-like server (as `make serve` does) on a free loopback port, and stop it."""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
LOG_FILE = VAR_DIR / "bench-gunicorn.log"
REDIS_URL = "redis://127.0.0.1:6379/1"
FALLBACK_CACHE_URL = "locmemcache://bench"
DROP_CACHED_PAGES = "from soletherapy.page_cache import content_generation; content_generation.bump()"


def redis_is_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(cache_url: str) -> dict[str, str]:
    """The environment of `make serve`: DEBUG off, a random key, no HTTPS (loopback only)."""
    return os.environ | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "CACHE_URL": cache_url,
        "ALLOW_PLACEHOLDER_CLINIC": "true",  # the bench runs on the demo clinic
        # The bench books many times from one address: the abuse limits would stop it.
        "RATE_LIMIT_BOOKINGS_PER_ADDRESS": "100000/h",
        "RATE_LIMIT_DETAILS_PER_ADDRESS": "100000/h",
    }


def get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """One request; returns (status, headers, body as sent over the wire)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _static_files_collected() -> bool:
    """Whether the hashed, compressed copies are newer than the site's static files and the
    installed packages' (compressing them all again takes half a minute)."""
    manifest = VAR_DIR / "static" / "staticfiles.json"
    sources = [BASE_DIR / "requirements.txt", BASE_DIR / ".venv" / ".installed"]
    sources += [path for path in (BASE_DIR / "static").rglob("*") if path.is_file()]
    newest = max(path.stat().st_mtime for path in sources if path.exists())
    return manifest.exists() and manifest.stat().st_mtime > newest


def prepare(env: dict[str, str]) -> None:
    """Collect static files and drop cached pages, as a deploy does before starting the servers."""
    manage = [sys.executable, "manage.py"]
    if not _static_files_collected():
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    # Pages cached by an earlier run would still link to the previous hashed static files.
    subprocess.run([*manage, "shell", "-v0", "-c", DROP_CACHED_PAGES], cwd=BASE_DIR, env=env, check=True)


# The gunicorn master process of the server running now (the bench reads its workers' memory).
running: dict[str, int | None] = {"pid": None}


@contextlib.contextmanager
def running_server(env: dict[str, str], log_file: Path = LOG_FILE, prepared: bool = False):
    """Start gunicorn (after `prepare`, unless done already) and wait for /health/; yields the port.

    The server is always stopped, also on an error or Ctrl-C.
    """
    if not prepared:
        prepare(env)
    port = free_port()
    VAR_DIR.mkdir(exist_ok=True)
    with log_file.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "soletherapy.wsgi"],
            cwd=BASE_DIR,
            env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(server, port, log_file)
            running["pid"] = server.pid
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for_health(server: subprocess.Popen, port: int, log_file: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}; see {log_file}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(port, "/health/")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"/health/ did not answer 200 within {timeout:.0f} s; see {log_file}")
