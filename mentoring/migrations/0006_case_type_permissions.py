"""Municipal admins maintain their municipality's case types (ärendetyper) in the Wagtail admin.
No delete permission: a case type in use is retired by unticking "används"."""

from django.db import migrations

from people.migration_helpers import grant

GRANTS = {
    "Kommunadministratörer": ["add_casetype", "change_casetype", "view_casetype"],
}


def grant_all(apps, schema_editor):
    for group_name, codenames in GRANTS.items():
        grant(apps, group_name, [("mentoring", c) for c in codenames], create=False)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0005_cases_entrustment_caseload"),
        ("learning", "0005_municipal_admin_group"),
    ]

    operations = [migrations.RunPython(grant_all, migrations.RunPython.noop)]
