"""Curriculum editors (Redaktörer) manage course runs (kursomgångar) in the Wagtail admin; the
sessions are edited inline on the run, so the run's permissions are all they need."""

from django.db import migrations

from people.migration_helpers import grant

PERMISSIONS = [
    ("learning", "add_courserun"),
    ("learning", "change_courserun"),
    ("learning", "delete_courserun"),
    ("learning", "view_courserun"),
]


def grant_editors(apps, schema_editor):
    grant(apps, "Redaktörer", PERMISSIONS, create=False)


def revoke_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Redaktörer").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="learning",
                codename__in=[codename for _app, codename in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_course_runs"),
        ("content", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
