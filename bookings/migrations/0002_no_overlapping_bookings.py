"""The database itself refuses two active bookings that overlap for one practitioner.

The window compared is [start, blocked_until): the appointment plus its clean-up buffer.
PostgreSQL: an exclusion constraint over the time range (needs btree_gist for the practitioner
equality). SQLite has no exclusion constraints, so triggers abort any insert or update that
would overlap; with IMMEDIATE transactions (see settings) writers are serialised, so the check
and the write cannot be split by another writer.
"""

from django.db import migrations

ACTIVE = "('requested', 'confirmed')"

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
        practitioner_id WITH =,
        tstzrange(start, blocked_until, '[)') WITH &&
    ) WHERE (status IN {ACTIVE})""",
]
POSTGRES_BACKWARD = ["ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]

SQLITE_CHECK = f"""
    WHEN NEW.status IN {ACTIVE}
    BEGIN
        SELECT RAISE(ABORT, 'booking_no_overlap')
        WHERE EXISTS (
            SELECT 1 FROM bookings_booking AS other
            WHERE other.practitioner_id = NEW.practitioner_id
              AND other.id IS NOT NEW.id
              AND other.status IN {ACTIVE}
              AND other.start < NEW.blocked_until
              AND other.blocked_until > NEW.start
        );
    END"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON bookings_booking {SQLITE_CHECK}",
    f"CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE ON bookings_booking {SQLITE_CHECK}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
