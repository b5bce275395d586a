"""Services for reminders (påminnelser) and the managers' weekly digest, delivered through the
transactional outbox (core/outbox.py) like every other email.

`queue_*` decides who is reminded of what and writes one outbox row per reminder in a single
transaction; the row's key (kind, date, person, subject) makes a second run a no-op. Delivery
is the outbox's: batch tasks claim groups of rows, build the group's emails with a fixed
number of queries (`reminder_emails`), send them over one mail connection and mark the group
delivered, so a killed worker loses nothing and resends at most its group in flight.
"""

import datetime
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from content.models import ModulePage
from core import outbox
from learning.models import Certificate
from learning.selectors import figures
from people.models import TEAM_ROLES, Membership, Role, User

DUE_SOON_DAYS = figures.DUE_SOON_DAYS
CERTIFICATE_WARNING_DAYS = 30


class Kind:
    """The reminder kinds; each names its email templates (learning/email/<kind>*)."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CERTIFICATE_EXPIRING = "certificate_expiring"
    DIGEST = "digest"


def _row(user_id: int, kind: str, subject: str, for_date: datetime.date):
    """One outbox row: (key, args, recipient_id, organisation_id)."""
    args = {"user_id": user_id, "kind": kind, "subject": subject, "for_date": for_date.isoformat()}
    return (f"reminder:{kind}:{for_date.isoformat()}:{user_id}:{subject}", args, user_id, None)


@transaction.atomic
def queue_daily_reminders(today: datetime.date) -> int:
    """Write today's reminders to the outbox: modules due in 3 days, modules that became
    overdue yesterday, certificates expiring in 30 days. Returns the number of new rows."""
    rows = []
    # Which modules are due soon or overdue is learning.selectors.figures' to say; the reminder
    # goes out on the first day of each (due in exactly DUE_SOON_DAYS, due yesterday).
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    for kind, due, modules in (
        (Kind.DUE_SOON, soon, figures.modules_due_soon(on=today)),
        (Kind.OVERDUE, yesterday, figures.overdue_modules(on=today)),
    ):
        for user_id, module_id in modules.filter(due_date=due).values_list("user_id", "module_id"):
            rows.append(_row(user_id, kind, f"module:{module_id}", due))
    expiring = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    for user_id, certificate_id in Certificate.objects.filter(
        expires_on=expiring, revoked_at__isnull=True
    ).values_list("user_id", "pk"):
        rows.append(
            _row(user_id, Kind.CERTIFICATE_EXPIRING, f"certificate:{certificate_id}", expiring)
        )
    return _enqueue(rows)


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
    rows = [_row(user_id, Kind.DIGEST, f"week:{year}-W{week:02d}", monday) for user_id in managers]
    return _enqueue(rows)


def _enqueue(rows: list) -> int:
    from learning.tasks import reminder_email

    return outbox.enqueue_many(reminder_email, rows)


# Stands in for the person's name while a template is rendered once for everyone who gets the
# same reminder; private-use characters and a random part, so no real name contains it.
_NAME = f"\ue000{uuid.uuid4().hex}\ue001"


class _StandIn:
    def get_short_name(self) -> str:
        return _NAME


def reminder_emails(rows: list[dict]) -> list[EmailMultiAlternatives | None]:
    """The emails for a group of outbox rows (their args), in order; None where there is
    nothing to send any more (the module or certificate is gone). A fixed number of queries
    per group; a module reminder's templates are rendered once per module, date and language
    and the person's name filled in, the digest per manager."""
    ids = defaultdict(set)
    for row in rows:
        prefix, _sep, value = row["subject"].partition(":")
        if value.isdigit():
            ids[prefix].add(int(value))
    users = User.objects.only("email", "full_name", "preferred_language").in_bulk(
        {row["user_id"] for row in rows}
    )
    modules = ModulePage.objects.in_bulk(ids["module"]) if ids["module"] else {}
    certificates = Certificate.objects.in_bulk(ids["certificate"]) if ids["certificate"] else {}
    digest_users = [row["user_id"] for row in rows if row["kind"] == Kind.DIGEST]
    digests = team_digest_for(digest_users) if digest_users else {}
    base_url = settings.SITE_URL.rstrip("/")
    module_urls = {}
    rendered = {}
    result = []
    for row in rows:
        user = users.get(row["user_id"])
        if user is None:
            result.append(None)
            continue
        kind, for_date = row["kind"], datetime.date.fromisoformat(row["for_date"])
        context = {"reminder": {"for_date": for_date}, "base_url": base_url}
        prefix, _sep, value = row["subject"].partition(":")
        shared = prefix in ("module", "certificate")
        if prefix == "module":
            module = modules.get(int(value))
            if module is None:
                result.append(None)
                continue
            if module.pk not in module_urls:
                module_urls[module.pk] = base_url + (module.get_url() or "/")
            context.update(module=module, module_url=module_urls[module.pk])
        elif prefix == "certificate":
            certificate = certificates.get(int(value))
            if certificate is None:
                result.append(None)
                continue
            context["certificate"] = certificate
        elif kind == Kind.DIGEST:
            context["units"] = digests.get(user.pk, [])
        if shared:
            cache_key = (kind, row["subject"], for_date, user.preferred_language)
            if cache_key not in rendered:
                rendered[cache_key] = _render(kind, user.preferred_language, context, _StandIn())
            subject, text, html = rendered[cache_key]
            name = user.get_short_name()
            subject, text = subject.replace(_NAME, name), text.replace(_NAME, name)
            html = html.replace(_NAME, escape(name))
        else:
            subject, text, html = _render(kind, user.preferred_language, context, user)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        result.append(message)
    return result


def _render(kind: str, language: str, context: dict, user) -> tuple[str, str, str]:
    """Subject, text and HTML of `learning/email/<kind>` for one person, in their language
    (as people.emails.build_email)."""
    template = f"learning/email/{kind}"
    context = {**context, "user": user}
    with translation.override(language):
        return (
            render_to_string(f"{template}_subject.txt", context).strip(),
            render_to_string(f"{template}.txt", context),
            render_to_string(f"{template}.html", context),
        )


def team_digest_for(manager_ids: list[int]) -> dict[int, list[dict]]:
    """Per manager: each unit they manage with the people who are behind (overdue modules, as
    learning.selectors.figures counts them for Mitt team too). The people are the unit's team
    as Mitt team lists them (people.models.TEAM_ROLES), each counted once per unit."""
    today = timezone.localdate()
    managed = Membership.objects.filter(role=Role.MANAGER, user_id__in=manager_ids).values_list(
        "user_id", "unit_id", "unit__name"
    )
    units = defaultdict(list)
    unit_names = {}
    for manager_id, unit_id, unit_name in managed:
        if unit_id not in units[manager_id]:
            units[manager_id].append(unit_id)
        unit_names[unit_id] = unit_name
    team = Membership.objects.filter(unit_id__in=unit_names, role__in=TEAM_ROLES)
    overdue_by_user = figures.overdue_counts(on=today, users=team.values("user_id"))
    people_by_unit = defaultdict(dict)
    for membership in team.select_related("user").order_by("user__full_name", "user_id"):
        people_by_unit[membership.unit_id].setdefault(
            membership.user_id,
            {"user": membership.user, "overdue": overdue_by_user.get(membership.user_id, 0)},
        )
    result = {}
    for manager_id, unit_ids in units.items():
        result[manager_id] = [
            {
                "name": unit_names[unit_id],
                "people": len(people_by_unit[unit_id]),
                "behind": [p for p in people_by_unit[unit_id].values() if p["overdue"]],
            }
            for unit_id in unit_ids
        ]
    return result
