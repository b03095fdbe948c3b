"""The backup procedure in docs/deploy.md works: `manage.py dbbackup` (django-dbbackup: pg_dump
on PostgreSQL, SQLite's online backup API) while the site runs, then `manage.py dbrestore` into a
fresh, empty database gives the same bookings and patients, every migration applied and the
database's own guard against double booking in place."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from bookings import services
from bookings.models import Booking
from tests.bookings.pages import first_free_booking
from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
READ_BOOKINGS = """
import json
from bookings.models import Booking
print(json.dumps([
    [b.reference, b.start.isoformat(), b.status, b.patient.email, str(b.patient.phone)]
    for b in Booking.objects.select_related("patient").order_by("reference")
]))
"""


def _manage(*args, database: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the same kind as the test database, and its address."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_has_the_same_bookings(demo_schedule, tmp_path, fresh_database):
    bookings = [first_free_booking(email=f"patient{n}@example.com") for n in range(3)]
    services.booking_cancel(booking=bookings[1], by_patient=False)
    live = database_url()
    backup = tmp_path / "soletherapy.backup"

    _manage("dbbackup", "--noinput", "-O", str(backup), database=live)
    _manage("dbrestore", "--noinput", "-I", str(backup), database=fresh_database)

    restored = json.loads(_manage("shell", "-v0", "-c", READ_BOOKINGS, database=fresh_database))
    original = json.loads(_manage("shell", "-v0", "-c", READ_BOOKINGS, database=live))
    assert restored == original
    assert len(restored) == Booking.objects.count() == 3
    assert sorted(status for *_, status, _email, _phone in restored) == ["cancelled", "confirmed", "confirmed"]
    _manage("migrate", "--check", database=fresh_database)  # nothing left to apply
    _manage("check", "--database", "default", database=fresh_database)  # the overlap guard is there
