"""Daily purge of old double-submit keys; editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [("Rensa gamla formulärnycklar", "people.tasks.purge_submitted_forms", ("30", "3", "*"))]


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_submittedform"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
