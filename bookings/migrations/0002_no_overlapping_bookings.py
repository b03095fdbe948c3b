"""The database itself refuses overlapping active bookings: see bookings/overlap_guard.py, which
writes the SQL from the code's active statuses (one source) and checks it is in place."""

from django.db import migrations

from bookings import overlap_guard


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(overlap_guard.install, overlap_guard.remove, elidable=False)]
