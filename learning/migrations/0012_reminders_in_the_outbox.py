"""Reminders move to the transactional outbox (core.OutboxMessage): the reminders still unsent
become outbox rows with the same key, then learning's own Reminder table goes."""

from django.db import migrations

HANDLER = "learning.tasks.reminder_email"


def unsent_reminders_to_outbox(apps, schema_editor):
    Reminder = apps.get_model("learning", "Reminder")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    rows = [
        OutboxMessage(
            handler=HANDLER,
            key=f"reminder:{r.kind}:{r.for_date.isoformat()}:{r.user_id}:{r.subject}",
            args={
                "user_id": r.user_id,
                "kind": r.kind,
                "subject": r.subject,
                "for_date": r.for_date.isoformat(),
            },
            recipient_id=r.user_id,
            created_at=r.created_at,
        )
        for r in Reminder.objects.filter(sent_at__isnull=True).iterator()
    ]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_outbox_resend_cascade"),
        ("learning", "0011_attempts_drawn_and_paused"),
    ]

    operations = [
        migrations.RunPython(unsent_reminders_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Reminder"),
    ]
