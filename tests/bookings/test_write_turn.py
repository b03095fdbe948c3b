"""On SQLite, booking transactions wait their turn on a file lock (bookings.write_turn)."""

import threading
import time

import pytest
from django.db import connection

from bookings import write_turn

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
