"""Daily reminders about incidents' debriefs and follow-ups on Celery beat; editable afterwards
in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Påminnelser om avlastningssamtal och uppföljning efter händelser (hot och våld)",
        "safety.tasks.send_incident_reminders",
        ("15", "7", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0002_incidents"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
