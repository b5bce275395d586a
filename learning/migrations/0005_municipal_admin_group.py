"""The municipal admins' group (Kommunadministratörer): the Wagtail admin, for onboarding plans
only; which plans they see is decided by learning.wagtail_admin.plan_permission_policy."""

from django.db import migrations

from people.migration_helpers import grant

GROUP_NAME = "Kommunadministratörer"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("learning", "add_onboardingplan"),
    ("learning", "change_onboardingplan"),
    ("learning", "delete_onboardingplan"),
    ("learning", "view_onboardingplan"),
]


def create_group(apps, schema_editor):
    grant(apps, GROUP_NAME, PERMISSIONS)
    # Editors keep the national default plan.
    grant(apps, "Redaktörer", PERMISSIONS[1:], create=False)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_onboardingplan_plancourse_planmodule_reminder_and_more"),
        ("content", "0002_editor_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
