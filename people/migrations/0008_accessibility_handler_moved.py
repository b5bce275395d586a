"""The accessibility report's outbox handler moved from people/accessibility.py into the
accessibility package's services module; rows waiting in the outbox (or failed ones an admin
may resend) name the handler by its dotted path, so they follow it."""

from django.db import migrations

OLD = "people.accessibility.accessibility_report_email"
NEW = "people.accessibility.services.accessibility_report_email"


def forwards(apps, schema_editor):
    apps.get_model("core", "OutboxMessage").objects.filter(handler=OLD).update(handler=NEW)


def backwards(apps, schema_editor):
    apps.get_model("core", "OutboxMessage").objects.filter(handler=NEW).update(handler=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_identity_number_guard"),
        ("core", "0003_outbox_resend_cascade"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
