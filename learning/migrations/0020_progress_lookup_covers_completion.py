from django.db import migrations

# Mitt team and the history chart look up one progress row per module of the team (about
# 70,000 at 500 people; learning_moduledue, 0019). With the completion time in the index the
# lookup reads the index alone, not the table. PostgreSQL only (SQLite has no INCLUDE); not a
# Meta index because Django's check warns about INCLUDE on SQLite, the default database here.
INDEX = "progress_enrolment_module_done"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON learning_moduleprogress (enrolment_id, module_id) "
            "INCLUDE (completed_at)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0019_module_due_drives_by_person"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
