"""`manage.py check` fails when a database would let two active bookings overlap."""

from django.core.checks import Error, register
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from bookings import overlap_guard


def _fully_migrated(connection) -> bool:
    """Only a database with every bookings migration applied must have the guard: before that,
    `migrate` is what puts it there."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    on_disk = {key for key in loader.disk_migrations if key[0] == "bookings"}
    return bool(on_disk) and on_disk <= loader.applied_migrations.keys()


@register()
def overlap_guard_in_place(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or ["default"]:
        connection = connections[alias]
        try:
            found = _fully_migrated(connection) and overlap_guard.problem(connection)
        except DatabaseError:
            continue  # an unreachable database is reported by the health check, not here
        if found:
            errors.append(Error(found, hint=overlap_guard.FIX_HINT, id="bookings.E001"))
    return errors
