"""Daily alerts about supervised cases on Celery beat; editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Varningar om ärenden utan handledning (mentorskap)",
        "mentoring.tasks.send_case_alerts",
        ("45", "7", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_case_type_permissions"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
