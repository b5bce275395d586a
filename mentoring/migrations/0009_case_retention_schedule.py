"""Daily retention of closed supervised cases on Celery beat; editable in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Gallring av avslutade handledda ärenden (mentorskap)",
        "mentoring.tasks.purge_expired_cases",
        ("15", "2", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0008_case_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
