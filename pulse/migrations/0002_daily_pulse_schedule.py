"""The pulse's daily job on Celery beat (opens and closes rounds, sends the invitations);
editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Pulsenkät: öppna och stäng omgångar, skicka inbjudningar",
        "pulse.tasks.pulse_rounds",
        ("30", "6", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("pulse", "0001_pulse_survey"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
