"""`manage.py check` fails when a database would let two active bookings overlap."""

from django.core.checks import Error, register
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q

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


@register(deploy=True)
def clinic_details_are_real(app_configs=None, databases=None, **kwargs):
    """`check --deploy` (run before the web server starts, see docs/deploy.md) refuses the
    placeholder clinic details the content loader made (the example phone number, email and "to
    be confirmed" address): patients would see them. Other commands still run, so staff can be
    created to enter the real ones."""
    from django.conf import settings

    from bookings.content import PLACEHOLDER_LOCATION
    from bookings.models import Location

    if settings.DEBUG or settings.ALLOW_PLACEHOLDER_CLINIC:
        return []
    placeholders = Q(phone=PLACEHOLDER_LOCATION["phone"]) | Q(email=PLACEHOLDER_LOCATION["email"])
    placeholders |= Q(street_address=PLACEHOLDER_LOCATION["street_address"])
    try:
        names = list(Location.objects.filter(placeholders, active=True).values_list("name", flat=True))
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to check
    return [
        Error(
            f"{name} still has the placeholder address, phone number or email the content loader made.",
            hint="Enter the clinic's real details in the admin (Locations) before going live.",
            id="bookings.E002",
        )
        for name in names
    ]
