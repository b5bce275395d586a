"""Default Celery beat schedule for reminders; editable afterwards in /django-admin/."""

from django.db import migrations

TASKS = [
    # name, task, crontab (minute, hour, day_of_week)
    ("Dagliga påminnelser", "learning.tasks.daily_reminders", ("0", "7", "*")),
    ("Veckosammanfattning till chefer", "learning.tasks.weekly_digest", ("0", "7", "1")),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_week) in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Stockholm",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _cron in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_municipal_admin_group"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
