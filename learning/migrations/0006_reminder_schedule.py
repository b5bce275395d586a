"""Default Celery beat schedule for reminders; editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    # name, task, crontab (minute, hour, day_of_week)
    ("Dagliga påminnelser", "learning.tasks.daily_reminders", ("0", "7", "*")),
    ("Veckosammanfattning till chefer", "learning.tasks.weekly_digest", ("0", "7", "1")),
]


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_municipal_admin_group"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
