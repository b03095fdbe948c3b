"""The four staff groups (bookings.staff_groups): made here, and kept in step after every
`migrate` by bookings.apps."""

from django.db import migrations

from bookings import staff_groups


def sync(apps, schema_editor):
    staff_groups.sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0011_health_questionnaire"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conditions", "0005_named_reviewers_only"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
