"""Helpers for data migrations that grant permissions to the role groups.

They use only the historical app registry passed to RunPython, so migrations may import them.
"""


def ensure_permissions(apps) -> None:
    """Create every model's permissions now (Django otherwise creates them after migrate)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def find_permissions(apps, codenames: list[tuple[str, str]]) -> list:
    """The Permission rows for (app_label, codename) pairs; missing ones are skipped."""
    Permission = apps.get_model("auth", "Permission")
    return [
        permission
        for app_label, codename in codenames
        if (
            permission := Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
        )
        is not None
    ]


def grant(apps, group_name: str, codenames: list[tuple[str, str]], *, create: bool = True):
    """Give a group (created when missing, if `create`) these permissions; returns the group."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group = (
        Group.objects.get_or_create(name=group_name)[0]
        if create
        else Group.objects.filter(name=group_name).first()
    )
    if group is not None:
        group.permissions.add(*find_permissions(apps, codenames))
    return group


def schedule(apps, tasks: list[tuple[str, str, tuple[str, str, str]]]) -> None:
    """Create Celery beat entries (name, dotted task, (minute, hour, day_of_week)) in Swedish
    time, unless an entry of that name exists (operators may have edited it)."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_week) in tasks:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Stockholm",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unschedule(apps, tasks: list[tuple]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[task[0] for task in tasks]).delete()
