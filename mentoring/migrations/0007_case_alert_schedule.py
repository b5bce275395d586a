"""Daily alerts about supervised cases on Celery beat; editable afterwards in /django-admin/."""

from django.db import migrations

NAME = "Varningar om ärenden utan handledning (mentorskap)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "mentoring.tasks.send_case_alerts", "crontab": crontab},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_case_type_permissions"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
