"""Municipal admins set their municipality's mentoring rules in the Wagtail admin; curriculum
editors maintain the national taxonomies (inriktningar, samtalsämnen)."""

from django.db import migrations

from people.migration_helpers import grant

GRANTS = {
    "Kommunadministratörer": ["add_mentoringsettings", "change_mentoringsettings",
                              "view_mentoringsettings"],
    "Redaktörer": ["add_specialisation", "change_specialisation", "view_specialisation",
                   "add_sessiontopic", "change_sessiontopic", "view_sessiontopic"],
}


def grant_all(apps, schema_editor):
    for group_name, codenames in GRANTS.items():
        grant(apps, group_name, [("mentoring", c) for c in codenames], create=False)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0003_checkin_reminder_schedule"),
        ("learning", "0005_municipal_admin_group"),
        ("content", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(grant_all, migrations.RunPython.noop)]
