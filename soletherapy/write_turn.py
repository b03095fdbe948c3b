"""On SQLite, the busy writers (a booking's transaction, a session's save) wait their turn in line
instead of polling for it.

SQLite lets one transaction write at a time, and transactions take the write lock as they begin
(`BEGIN IMMEDIATE`). One that finds it taken waits in SQLite's busy handler,
which sleeps and tries again after 1, 2, 5, 10, 15, 20, 25 ms and so on: when two workers
confirm bookings at once, the waiting one often sleeps on well past the other's commit (with 8
patients confirming at once on 2 workers, a third of the CPU stood idle). So a booking's
transaction and a session's save (`soletherapy.sessions`) first take an exclusive lock on a file
beside the database (`flock`), which the kernel hands to the next in line the moment it is let
go. Every worker of a SQLite site runs on
the one machine that holds the file, so the lock is shared by all of them.

Taken only outside a transaction (never while holding the database's lock, so it cannot
deadlock against a writer that does not take it), once however deeply nested, per thread (a thread of another
worker and a thread of this one wait alike). PostgreSQL, which locks rows and not the database,
needs none of it; nor an in-memory database, nor a system without `fcntl`.
"""

import contextlib
import os
import threading

from django.db import connection

try:
    import fcntl
except ImportError:  # not a Unix system: SQLite's own waiting alone
    fcntl = None

_open_files = threading.local()


@contextlib.contextmanager
def write_turn():
    path = _lock_path()
    if path is None or connection.in_atomic_block or getattr(_open_files, "holding", False):
        yield
        return
    descriptor = _descriptor(path)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    _open_files.holding = True
    try:
        yield
    finally:
        _open_files.holding = False
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _lock_path() -> str | None:
    if fcntl is None or connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return f"{name}.writers"


def _descriptor(path: str) -> int:
    # One open file per thread and process: flock locks belong to an open file, so two threads
    # (or a worker and the process it was forked from) sharing one would not wait for each other.
    key = (path, os.getpid())
    files = _open_files.__dict__.setdefault("by_path", {})
    if key not in files:
        files[key] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    return files[key]
