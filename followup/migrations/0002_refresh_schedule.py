"""The daily refresh of the follow-up facts on Celery beat (at night, when nobody reads the
pages); editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Uppföljning: räkna om kvartalsuppgifterna",
        "followup.tasks.refresh_quarter_facts",
        ("40", "2", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_quarter_facts_and_cooperation_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
