"""Real server processes (gunicorn with production settings, the task worker) on the test
database, for the tests where what matters happens between processes."""

import contextlib
import secrets

from django.db import connection

from bench.server import VAR_DIR, prepare, production_env, running_server


def database_url() -> str:
    """The test database, as another process reaches it."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{name}"


@contextlib.contextmanager
def production_servers(count: int, *, cache_url: str, **settings):
    """`count` gunicorn instances as a load balancer would have them: one database, one Redis,
    one secret key, access logs on. Yields their ports and log files."""
    env = production_env(cache_url) | {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url(),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "-",
        "BOT_TRAP_MIN_SECONDS": "0",
        **settings,
    }
    prepare(env)
    logs = [VAR_DIR / f"test-gunicorn-{n}.log" for n in range(count)]
    with contextlib.ExitStack() as stack:
        ports = [stack.enter_context(running_server(env, log_file=log, prepared=True)) for log in logs]
        yield list(zip(ports, logs, strict=True))
