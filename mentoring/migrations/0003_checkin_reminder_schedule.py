"""Daily check-in reminders to mentors on Celery beat; editable afterwards in /django-admin/."""

from django.db import migrations

from people.migration_helpers import schedule, unschedule

TASKS = [
    (
        "Påminnelser om uppföljningssamtal (mentorskap)",
        "mentoring.tasks.send_due_checkin_reminders",
        ("30", "7", "*"),
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0002_seed_taxonomies"),
        ("learning", "0006_reminder_schedule"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule(apps, TASKS),
            lambda apps, schema_editor: unschedule(apps, TASKS),
        )
    ]
