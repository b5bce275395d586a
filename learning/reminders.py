"""Services for reminders (påminnelser) and the managers' weekly digest.

Two steps, as an outbox: `queue_*` decides who is reminded of what and writes one row per
reminder in a single transaction (the unique key makes a second run a no-op); `send_reminders`
sends unsent rows and marks each sent, so a retried or duplicated task never sends twice.
Queries are per batch, plus one short transaction per reminder sent.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from content.models import ModulePage
from learning.models import Certificate, Enrolment, ModuleDeadline, ModuleProgress, Reminder
from people.emails import build_email
from people.models import Membership, Role

DUE_SOON_DAYS = 3
CERTIFICATE_WARNING_DAYS = 30
BATCH_SIZE = 500


def _unfinished_deadlines():
    completed = ModuleProgress.objects.filter(
        enrolment=OuterRef("enrolment"), module=OuterRef("module"), completed_at__isnull=False
    )
    return ModuleDeadline.objects.filter(enrolment__status=Enrolment.Status.ACTIVE).exclude(
        Exists(completed)
    )


@transaction.atomic
def queue_daily_reminders(today: datetime.date) -> int:
    """Write today's reminders to the outbox: modules due in 3 days, modules that became
    overdue yesterday, certificates expiring in 30 days. Returns the number of new rows."""
    rows = []
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    for kind, due in ((Reminder.Kind.DUE_SOON, soon), (Reminder.Kind.OVERDUE, yesterday)):
        for user_id, module_id in (
            _unfinished_deadlines()
            .filter(due_date=due)
            .values_list("enrolment__user_id", "module_id")
        ):
            rows.append(
                Reminder(user_id=user_id, kind=kind, subject=f"module:{module_id}", for_date=due)
            )
    expiring = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    for user_id, certificate_id in Certificate.objects.filter(
        expires_on=expiring, revoked_at__isnull=True
    ).values_list("user_id", "pk"):
        rows.append(
            Reminder(
                user_id=user_id,
                kind=Reminder.Kind.CERTIFICATE_EXPIRING,
                subject=f"certificate:{certificate_id}",
                for_date=expiring,
            )
        )
    return _insert(rows)


@transaction.atomic
def queue_weekly_digests(today: datetime.date) -> int:
    """One digest per first-line manager per ISO week, unless they turned digests off."""
    monday = today - datetime.timedelta(days=today.weekday())
    year, week, _day = monday.isocalendar()
    managers = (
        Membership.objects.filter(role=Role.MANAGER, user__is_active=True)
        .filter(user__receives_digest=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    rows = [
        Reminder(
            user_id=user_id,
            kind=Reminder.Kind.DIGEST,
            subject=f"week:{year}-W{week:02d}",
            for_date=monday,
        )
        for user_id in managers
    ]
    return _insert(rows)


def _insert(rows: list[Reminder]) -> int:
    """Insert the rows whose key is new; returns how many were new."""
    if not rows:
        return 0
    # Count only the rows these could collide with: the outbox keeps every day's history.
    same_keys = Reminder.objects.filter(
        kind__in={r.kind for r in rows}, for_date__in={r.for_date for r in rows}
    )
    before = same_keys.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    return same_keys.count() - before


def unsent_reminder_ids() -> list[int]:
    return list(
        Reminder.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def send_reminders(reminder_ids: list[int]) -> int:
    """Send the given reminders that are still unsent; each is marked sent with its email.

    Each reminder is locked, sent and marked sent in its own short transaction (rows another
    worker holds are skipped), so a worker killed half-way through a batch leaves the rest
    unsent for the retry, and what it already sent stays marked. Every email carries a
    Message-ID made from the reminder's key, so a mail server can recognise the one message
    whose sending and marking a crash could still split.
    """
    rows = list(
        Reminder.objects.filter(pk__in=reminder_ids, sent_at__isnull=True).select_related("user")
    )
    if not rows:
        return 0
    context = _Context(rows)
    sent = 0
    with get_connection() as mail:
        for reminder in rows:
            with transaction.atomic():
                claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True)
                if connection.features.has_select_for_update_skip_locked:
                    claimed = claimed.select_for_update(skip_locked=True)
                if not claimed.exists():
                    continue
                message = context.message_for(reminder)
                if message is not None:
                    message.extra_headers["Message-ID"] = message_id_for(reminder)
                    mail.send_messages([message])
                    sent += 1
                claimed.update(sent_at=timezone.now())
    return sent


def message_id_for(reminder: Reminder) -> str:
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "introsteg"
    return f"<reminder-{reminder.pk}-{reminder.kind}-{reminder.for_date:%Y%m%d}@{domain}>"


class _Context:
    """Everything the emails of one batch need, fetched in a fixed number of queries."""

    def __init__(self, rows: list[Reminder]):
        ids = defaultdict(set)
        for row in rows:
            prefix, _sep, value = row.subject.partition(":")
            ids[prefix].add(int(value) if value.isdigit() else value)
        self.modules = {m.pk: m for m in ModulePage.objects.filter(pk__in=ids["module"])}
        self.certificates = {c.pk: c for c in Certificate.objects.filter(pk__in=ids["certificate"])}
        digest_users = [r.user_id for r in rows if r.kind == Reminder.Kind.DIGEST]
        self.digests = team_digest_for(digest_users) if digest_users else {}
        self.base_url = settings.SITE_URL.rstrip("/")

    def message_for(self, reminder: Reminder) -> EmailMultiAlternatives | None:
        user = reminder.user
        context = {"user": user, "reminder": reminder, "base_url": self.base_url}
        prefix, _sep, value = reminder.subject.partition(":")
        if prefix == "module":
            module = self.modules.get(int(value))
            if module is None:
                return None
            context.update(module=module, module_url=self.base_url + (module.get_url() or "/"))
        elif prefix == "certificate":
            certificate = self.certificates.get(int(value))
            if certificate is None:
                return None
            context["certificate"] = certificate
        elif reminder.kind == Reminder.Kind.DIGEST:
            context["units"] = self.digests.get(user.pk, [])
        return build_email(f"learning/email/{reminder.kind}", to=user, context=context)


def team_digest_for(manager_ids: list[int]) -> dict[int, list[dict]]:
    """Per manager: each unit they manage with the people who are behind (overdue modules)."""
    today = timezone.localdate()
    managed = Membership.objects.filter(role=Role.MANAGER, user_id__in=manager_ids).values_list(
        "user_id", "unit_id", "unit__name"
    )
    units = defaultdict(list)
    unit_names = {}
    for manager_id, unit_id, unit_name in managed:
        units[manager_id].append(unit_id)
        unit_names[unit_id] = unit_name
    overdue = (
        _unfinished_deadlines()
        .filter(due_date__lt=today)
        .values("enrolment__user_id")
        .annotate(n=Count("pk"))
    )
    overdue_by_user = {row["enrolment__user_id"]: row["n"] for row in overdue}
    people_by_unit = defaultdict(list)
    for membership in Membership.objects.filter(
        unit_id__in=unit_names, role__in=[Role.NEW_HIRE, Role.SOCIAL_SECRETARY]
    ).select_related("user"):
        people_by_unit[membership.unit_id].append(
            {"user": membership.user, "overdue": overdue_by_user.get(membership.user_id, 0)}
        )
    result = {}
    for manager_id, unit_ids in units.items():
        result[manager_id] = [
            {
                "name": unit_names[unit_id],
                "people": len(people_by_unit[unit_id]),
                "behind": [p for p in people_by_unit[unit_id] if p["overdue"]],
            }
            for unit_id in unit_ids
        ]
    return result
