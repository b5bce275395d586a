"""The municipal admins' group (Kommunadministratörer): the Wagtail admin, for onboarding plans
only; which plans they see is decided by learning.wagtail_admin.PlanPermissionPolicy."""

from django.db import migrations

GROUP_NAME = "Kommunadministratörer"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("learning", "add_onboardingplan"),
    ("learning", "change_onboardingplan"),
    ("learning", "delete_onboardingplan"),
    ("learning", "view_onboardingplan"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    editors = Group.objects.filter(name="Redaktörer").first()
    if editors is not None:
        for app_label, codename in PERMISSIONS[1:]:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                editors.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_onboardingplan_plancourse_planmodule_reminder_and_more"),
        ("content", "0002_editor_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
