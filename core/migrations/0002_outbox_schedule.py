"""Celery beat entries for the outbox; editable afterwards in /django-admin/.

Written out here rather than with people.migration_helpers: core sits below people."""

from django.db import migrations

TASKS = [
    # name, task, crontab (minute, hour)
    ("Leverera utgående meddelanden", "core.tasks.deliver_due", ("*", "*")),
    ("Rensa levererade meddelanden", "core.tasks.purge_delivered", ("45", "3")),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour) in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Stockholm",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _cron in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
