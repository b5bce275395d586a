"""Municipal admins set their municipality's mentoring rules in the Wagtail admin; curriculum
editors maintain the national taxonomies (inriktningar, samtalsämnen)."""

from django.db import migrations

GRANTS = {
    "Kommunadministratörer": ["add_mentoringsettings", "change_mentoringsettings",
                              "view_mentoringsettings"],
    "Redaktörer": ["add_specialisation", "change_specialisation", "view_specialisation",
                   "add_sessiontopic", "change_sessiontopic", "view_sessiontopic"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="mentoring", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0003_checkin_reminder_schedule"),
        ("learning", "0005_municipal_admin_group"),
        ("content", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
