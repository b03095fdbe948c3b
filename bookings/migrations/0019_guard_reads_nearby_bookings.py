"""The overlap guard reads only the bookings that start less than the longest allowed booking
before a new one (and refuses a booking longer than that), instead of every earlier booking of
the practitioner: see bookings/overlap_guard.py."""

from django.db import migrations

from bookings import overlap_guard


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0018_booking_start_index"),
    ]

    operations = [migrations.RunPython(overlap_guard.install, migrations.RunPython.noop, elidable=False)]
