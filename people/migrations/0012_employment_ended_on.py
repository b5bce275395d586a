from django.db import migrations, models
from django.utils import timezone

# The audit lines people.staff and people.personal_data wrote when they closed or reopened an
# account (their summaries are fixed Swedish codes, not translated text).
CLOSED = ("Avaktiverad", "Inbjudan återkallad")
REOPENED = "Aktiverad igen"


def date_the_closed_accounts(apps, schema_editor):
    """Accounts closed before the end date was kept get the local day of the closing audit
    line since their last reactivation (the first one: a person deactivated and later
    anonymised left when deactivated). An account with no such line keeps no date; follow-up
    then counts it as left without knowing when, as it did before."""
    User = apps.get_model("people", "User")
    AuditEvent = apps.get_model("people", "AuditEvent")
    closed = {
        str(pk): pk
        for pk in User.objects.filter(is_active=False, employment_ended_on__isnull=True)
        .values_list("pk", flat=True)
        .iterator()
    }
    if not closed:
        return
    ended: dict[int, object] = {}
    lines = (
        AuditEvent.objects.filter(object_type="people.user", object_id__in=list(closed))
        .filter(models.Q(summary__in=[*CLOSED, REOPENED]) | models.Q(action="anonymise"))
        .order_by("at", "pk")
        .values_list("object_id", "summary", "at")
    )
    for object_id, summary, at in lines.iterator():
        user_id = closed[object_id]
        if summary == REOPENED:
            ended.pop(user_id, None)
        elif user_id not in ended:
            ended[user_id] = timezone.localtime(at).date()
    for user_id, day in ended.items():
        User.objects.filter(pk=user_id).update(employment_ended_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_audit_in_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="employment_ended_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="anställningen upphörde"
            ),
        ),
        migrations.RunPython(date_the_closed_accounts, migrations.RunPython.noop),
    ]
