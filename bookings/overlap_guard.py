"""The database itself refuses two active bookings that overlap for one practitioner.

The window compared is [start, blocked_until): the appointment plus its clean-up buffer, which
may not be longer than `LONGEST_BLOCK` (refused too, so that the free-times queries and the
SQLite triggers can read only the bookings that start less than that before a time).
PostgreSQL: an exclusion constraint over the time range (btree_gist gives the practitioner
equality). SQLite has no exclusion constraints, so triggers abort any insert or update that
would overlap; with IMMEDIATE transactions (see settings) writers are serialised, so the check
and the write cannot be split by another writer.

The SQL is generated from `ACTIVE_STATUSES`, so the statuses that hold time are written once.
`problem` tells whether a database's guard is missing or out of date (a migration that rebuilds
the bookings table on SQLite drops its triggers silently); the system check reports it.
`save_guarded` is how the services save a booking under the guard.
"""

import re

from django.db import OperationalError, transaction

from bookings.models.booking import ACTIVE_STATUSES
from bookings.models.schedule import LONGEST_BLOCK

NAME = "booking_no_overlap"
TABLE = "bookings_booking"
SQLITE_TRIGGERS = (f"{NAME}_insert", f"{NAME}_update")
TOO_LONG = "booking_longer_than_allowed"
LONGEST_MINUTES = int(LONGEST_BLOCK.total_seconds() // 60)
FIX_HINT = (
    "Add a migration that runs bookings.overlap_guard.install (RunPython) after whatever rebuilt or "
    "changed the bookings table, then run manage.py migrate."
)


def _quoted(statuses) -> str:
    return ", ".join("'" + str(status).replace("'", "''") + "'" for status in statuses)


def postgres_statements(statuses=ACTIVE_STATUSES) -> list[str]:
    return [
        # As on SQLite, no booking may hold more than LONGEST_BLOCK: the free-times queries read
        # bookings from that long before a range. (NOT VALID: rows already there are not read.)
        f"""ALTER TABLE {TABLE} ADD CONSTRAINT {TOO_LONG}
            CHECK (blocked_until <= start + interval '{LONGEST_MINUTES} minutes') NOT VALID""",
        "CREATE EXTENSION IF NOT EXISTS btree_gist",
        f"""ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} EXCLUDE USING gist (
            practitioner_id WITH =,
            tstzrange(start, blocked_until, '[)') WITH &&
        ) WHERE (status IN ({_quoted(statuses)}))""",
    ]


def sqlite_statements(statuses=ACTIVE_STATUSES) -> list[str]:
    # No active booking may hold more than LONGEST_BLOCK (the first RAISE): so one that starts
    # that long before this one cannot reach it, and the index on (practitioner, start) reads
    # only the bookings near it, not every earlier one.
    check = f"""
    WHEN NEW.status IN ({_quoted(statuses)})
    BEGIN
        SELECT RAISE(ABORT, '{TOO_LONG}')
        WHERE NEW.blocked_until > datetime(NEW.start, '+{LONGEST_MINUTES} minutes');
        SELECT RAISE(ABORT, '{NAME}')
        WHERE EXISTS (
            SELECT 1 FROM {TABLE} AS other
            WHERE other.practitioner_id = NEW.practitioner_id
              AND other.id IS NOT NEW.id
              AND other.status IN ({_quoted(statuses)})
              AND other.start > datetime(NEW.start, '-{LONGEST_MINUTES} minutes')
              AND other.start < NEW.blocked_until
              AND other.blocked_until > NEW.start
        );
    END"""
    insert, update = SQLITE_TRIGGERS
    return [
        f"CREATE TRIGGER {insert} BEFORE INSERT ON {TABLE} {check}",
        f"CREATE TRIGGER {update} BEFORE UPDATE ON {TABLE} {check}",
    ]


def _removal_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {name}" for name in (NAME, TOO_LONG)]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {trigger}" for trigger in SQLITE_TRIGGERS]
    return []


def _install_statements(vendor: str, statuses=ACTIVE_STATUSES) -> list[str]:
    if vendor == "postgresql":
        return postgres_statements(statuses)
    if vendor == "sqlite":
        return sqlite_statements(statuses)
    return []


def install(apps, schema_editor) -> None:
    """(Re)creates the guard for today's active statuses: for RunPython in a migration."""
    vendor = schema_editor.connection.vendor
    for statement in _removal_statements(vendor) + _install_statements(vendor):
        schema_editor.execute(statement)


def remove(apps, schema_editor) -> None:
    for statement in _removal_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def guarded_statuses(connection) -> set[str] | None:
    """The statuses the database's guard holds time for, or None when it has no guard."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s AND contype = 'x'", [NAME]
            )
            row = cursor.fetchone()
            if row is None or "practitioner_id WITH =" not in row[0] or "WITH &&" not in row[0]:
                return None
            return set(re.findall(r"'([^']*)'::(?:character varying|text)", row[0].split(" WHERE ", 1)[-1]))
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s)",
                [TABLE, *SQLITE_TRIGGERS],
            )
            found = dict(cursor.fetchall())
            expected = dict(zip(SQLITE_TRIGGERS, sqlite_statements(), strict=True))
            if set(found) != set(SQLITE_TRIGGERS):
                return None
            if all(_same_sql(found[name], expected[name]) for name in SQLITE_TRIGGERS):
                return {str(status) for status in ACTIVE_STATUSES}
            # Present but written for other statuses (or edited by hand): read what it holds.
            statuses = re.search(r"WHEN NEW\.status IN \(([^)]*)\)", found[SQLITE_TRIGGERS[0]])
            return set(re.findall(r"'([^']*)'", statuses[1])) if statuses else set()
    return {str(status) for status in ACTIVE_STATUSES}  # other databases are not supported; nothing to say


def problem(connection) -> str | None:
    """Why this database would let two active bookings overlap, or None when its guard is right."""
    statuses = guarded_statuses(connection)
    expected = {str(status) for status in ACTIVE_STATUSES}
    if statuses is None:
        return f"The database has no {NAME} guard: nothing stops two active bookings overlapping for a practitioner."
    if statuses != expected:
        return (
            f"The database's {NAME} guard holds time for bookings in {sorted(statuses)}, "
            f"but the code's active statuses are {sorted(expected)}."
        )
    return None


def _same_sql(stored: str, generated: str) -> bool:
    return " ".join(stored.split()) == " ".join(generated.split())


DEADLOCK_ATTEMPTS = 3


def save_guarded(booking, **save_options) -> None:
    """Save a booking row under the guard, in a savepoint. On PostgreSQL two overlapping writes
    can deadlock inside the exclusion constraint (each inserts, then waits for the other's
    transaction to see whether it conflicts), and PostgreSQL aborts one. That one tries again: it
    then waits for the other to finish and gets the guard's own answer (an IntegrityError for the
    overlap, which the services word for the patient) or goes in if the other gave up."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                booking.save(**save_options)
            return
        except OperationalError as error:
            if attempt == DEADLOCK_ATTEMPTS or getattr(error.__cause__, "sqlstate", None) != "40P01":
                raise
