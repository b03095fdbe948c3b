"""Staff say why a booking is cancelled. Adding a column to the bookings table rebuilds it on
SQLite, which drops the overlap guard's triggers: they are put back at the end (and taken off
before, so going back rebuilds without them)."""

from django.db import migrations, models

from bookings import overlap_guard

REASON = models.CharField(
    blank=True,
    help_text="For the clinic's records; not sent to the patient.",
    max_length=300,
    verbose_name="why it was cancelled",
)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0015_list_downloads"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, overlap_guard.install, elidable=False),
        migrations.AddField(model_name="booking", name="cancellation_reason", field=REASON),
        migrations.AddField(model_name="historicalbooking", name="cancellation_reason", field=REASON),
        migrations.RunPython(overlap_guard.install, migrations.RunPython.noop, elidable=False),
    ]
