"""On SQLite, booking transactions wait their turn on a file lock (soletherapy.write_turn)."""

import threading
import time

import pytest
from django.db import connection

from soletherapy import write_turn

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL locks rows, not the database")
def test_a_second_writer_waits_until_the_first_is_done_and_goes_on_at_once():
    events, first_in, let_go = [], threading.Event(), threading.Event()

    def first():
        with write_turn.write_turn():
            events.append("first in")
            first_in.set()
            let_go.wait(5)
            events.append("first out")
            left[0] = time.monotonic()

    def second():
        first_in.wait(5)
        with write_turn.write_turn():
            events.append("second in")
            entered[0] = time.monotonic()

    left, entered = [0.0], [0.0]
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # the second is waiting by now
    assert events == ["first in"]
    let_go.set()
    for thread in threads:
        thread.join(5)

    assert events == ["first in", "first out", "second in"]
    assert entered[0] - left[0] < 0.05  # handed over, not found on a later poll


def test_no_turn_is_taken_inside_a_transaction_or_on_postgresql(monkeypatch):
    # (The test itself runs inside a transaction, as a nested booking transaction would.)
    monkeypatch.setattr(write_turn, "_descriptor", lambda path: pytest.fail("a lock was taken"))
    assert connection.in_atomic_block

    with write_turn.write_turn():
        pass

    if connection.vendor == "postgresql":
        assert write_turn._lock_path() is None


def test_a_session_save_takes_its_turn_too(monkeypatch):
    import contextlib

    from django.conf import settings
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from soletherapy import sessions

    turns = []

    @contextlib.contextmanager
    def counted_turn():
        turns.append("turn")
        yield

    monkeypatch.setattr(sessions, "write_turn", counted_turn)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store["draft"] = "answers"
    store.save()

    assert isinstance(store, SessionBase) and store.session_key
    assert turns == ["turn"] * len(turns) and len(turns) >= 1
    assert import_string(f"{settings.SESSION_ENGINE}.SessionStore")(store.session_key)["draft"] == "answers"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL locks rows, not the database")
def test_a_turn_taken_inside_a_turn_does_not_end_the_outer_one():
    seen = []

    def nested():
        with write_turn.write_turn():
            with write_turn.write_turn():
                pass
            seen.append(write_turn._open_files.holding)
        seen.append(write_turn._open_files.holding)

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(5)

    assert seen == [True, False]
