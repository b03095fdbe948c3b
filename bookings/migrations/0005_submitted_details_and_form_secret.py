import phonenumber_field.modelfields
from django.db import migrations, models

from bookings import overlap_guard


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_service_what_to_bring"),
    ]

    # Adding these columns rebuilds the bookings table on SQLite, which drops its overlap
    # triggers: put them back after (and, when unapplying, after the rebuild the other way).
    operations = [
        migrations.RunPython(migrations.RunPython.noop, overlap_guard.install, elidable=False),
        migrations.AddField(
            model_name="booking",
            name="idempotency_secret_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="booking",
            name="submitted_date_of_birth",
            field=models.DateField(blank=True, null=True, verbose_name="date of birth given"),
        ),
        migrations.AddField(
            model_name="booking",
            name="submitted_is_returning",
            field=models.BooleanField(blank=True, null=True, verbose_name="said they had visited before"),
        ),
        migrations.AddField(
            model_name="booking",
            name="submitted_phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None, verbose_name="phone given"
            ),
        ),
        migrations.RunPython(overlap_guard.install, migrations.RunPython.noop, elidable=False),
    ]
