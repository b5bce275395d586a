"""Services for reminders (påminnelser) and the managers' weekly digest, delivered through the
transactional outbox (core/outbox.py) like every other email.

`queue_*` decides who is reminded of what and writes one outbox row per reminder in a single
transaction; the row's key (kind, date, person, subject) makes a second run a no-op. Delivery
is the outbox's: batch tasks claim groups of rows, build the group's emails with a fixed
number of queries (`reminder_emails`), send them over one mail connection and mark the group
delivered, so a killed worker loses nothing and resends at most its group in flight.
"""

import datetime
import re
import secrets
import sys
import time
import uuid
from collections import defaultdict
from email import policy as email_policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail import message as django_message
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
    shapes = {}
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
            if cache_key not in shapes:
                shapes[cache_key] = _shape(subject, text, html)
            name = user.get_short_name()
            message = _PrebuiltEmail(
                subject.replace(_NAME, name),
                text.replace(_NAME, name),
                to=[user.email],
                shape=shapes[cache_key],
                name=name,
            )
            message.attach_alternative(html.replace(_NAME, escape(name)), "text/html")
        else:
            subject, text, html = _render(kind, user.preferred_language, context, user)
            message = EmailMultiAlternatives(subject, text, to=[user.email])
            message.attach_alternative(html, "text/html")
        result.append(message)
    return result


# Flattening each email's MIME tree (Django's message().as_bytes()) was a quarter of a worker's
# time in the 50,000-reminder benchmark, although every person who gets the same module's
# reminder gets the same bytes but for their name, address, date and Message-ID. So the shared
# rendering is flattened once, with the stand-in name and a boundary of its own, and each email's
# bytes are its own header lines (encoded and folded exactly as Django and the email package do)
# followed by that body with the name put in. Whenever the result could differ from what Django
# would produce (a part that is not 8bit, a line the name would make too long, a name that is
# not plain printable text, headers we do not fill in), the email takes Django's ordinary path.
_POLICY = email_policy.compat32.clone(linesep="\r\n")
_STAND_IN = _NAME.encode()
_LINE_LIMIT = django_message.RFC5322_EMAIL_LINE_LENGTH_LIMIT


class _Part:
    """One text part of a shape: its bytes with the stand-in, and what decides whether a name
    can be put in without changing how Django would encode it."""

    def __init__(self, data: bytes):
        self.data = data
        lines = [line for line in data.split(b"\r\n") if _STAND_IN in line]
        self.lines = [(len(line), line.count(_STAND_IN)) for line in lines]
        # An ASCII-only text is 7bit, not 8bit: then only a non-ASCII name keeps it 8bit.
        self.needs_non_ascii_name = data.replace(_STAND_IN, b"").isascii()

    def fits(self, name: bytes) -> bool:
        if self.needs_non_ascii_name and name.isascii():
            return False
        extra = len(name) - len(_STAND_IN)
        return all(length + count * extra <= _LINE_LIMIT for length, count in self.lines)

    def with_name(self, name: bytes) -> bytes:
        return self.data.replace(_STAND_IN, name)


class _Shape:
    """A shared email flattened once: everything but the per-person header lines."""

    def __init__(self, from_email: str, head: bytes, boundary: str, text: _Part, html: _Part):
        self.from_email = from_email
        self.head = head
        self.boundary = boundary
        self.text = text
        self.html = html
        self._folded = {}

    @classmethod
    def build(cls, subject: str, text: str, html: str) -> "_Shape | None":
        if settings.DEFAULT_CHARSET.lower() != "utf-8":
            return None  # a name is put in as UTF-8 bytes
        template = EmailMultiAlternatives(subject, text, to=["stand-in@example.invalid"])
        template.attach_alternative(html, "text/html")
        mime = template.message()
        boundary = "=" * 15 + str(secrets.randbelow(sys.maxsize)) + "=="  # as the email package
        mime.set_boundary(boundary)
        whole = mime.as_bytes(linesep="\r\n")
        items = list(mime.raw_items())
        names = [name for name, _value in items]
        if names[:3] != ["Content-Type", "MIME-Version", "Subject"]:
            return None
        all_headers = b"".join(_POLICY.fold_binary(name, value) for name, value in items)
        if not whole.startswith(all_headers + b"\r\n"):
            return None
        body = whole[len(all_headers) + 2 :]
        delimiter = b"--" + boundary.encode()
        second = body.find(b"\r\n" + delimiter + b"\r\n")
        if body.count(delimiter) != 3 or not body.startswith(delimiter) or second < 0:
            return None
        text_part, html_part = body[:second], body[second:]
        eight_bit = b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        if eight_bit not in text_part or eight_bit not in html_part:
            return None  # quoted-printable or base64: the name cannot simply be put in
        if text_part.count(_STAND_IN) != text.count(_NAME):
            return None
        if html_part.count(_STAND_IN) != html.count(_NAME):
            return None
        head = b"".join(_POLICY.fold_binary(name, value) for name, value in items[:2])
        return cls(template.from_email, head, boundary, _Part(text_part), _Part(html_part))

    def fits(self, email: "_PrebuiltEmail") -> bool:
        name = email.name
        return (
            name.isprintable()  # no line breaks of any kind (Django counts line length by them)
            and "=" * 15 not in name  # cannot contain the boundary
            and email.from_email == self.from_email
            and email.encoding is None
            and not (email.cc or email.bcc or email.reply_to or email.attachments)
            and len(email.alternatives) == 1
            and set(email.extra_headers) <= {"Message-ID"}
            and all(address.isascii() for address in email.to)
        )

    def _fold(self, name: str, value: str) -> bytes:
        # The subject and sender are the same for most emails of a shape; encoding a subject
        # with å, ä and ö is the dearest of these steps.
        # Read and written by the outbox's sending threads: one lookup, then a plain store.
        key = (name, value)
        folded = self._folded.get(key)
        if folded is None:
            if len(self._folded) > 1000:
                self._folded.clear()
            folded = self._folded[key] = _header(name, value)
        return folded

    def as_bytes(self, email: "_PrebuiltEmail") -> bytes | None:
        name = email.name.encode()
        escaped = escape(email.name).encode()
        if not (self.text.fits(name) and self.html.fits(escaped)):
            return None
        # The header lines in the order Django's EmailMessage.message() sets them.
        message_id = email.extra_headers.get("Message-ID") or django_message.make_msgid(
            domain=django_message.DNS_NAME
        )
        date = _date()
        return b"".join(
            (
                self.head,
                self._fold("Subject", email.subject),
                self._fold("From", email.from_email),
                _header("To", ", ".join(str(address) for address in email.to)),
                _header("Date", date),
                _header("Message-ID", message_id),
                b"\r\n",
                self.text.with_name(name),
                self.html.with_name(escaped),
            )
        )


# A worker process delivers a day's reminders in many groups and batch tasks, all of the same
# few modules: a shape depends only on the rendered texts and the settings it was built with.
_SHAPES: dict[tuple, "_Shape | None"] = {}


def _shape(subject: str, text: str, html: str) -> "_Shape | None":
    key = (subject, text, html, settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
    if key not in _SHAPES:
        if len(_SHAPES) > 256:
            _SHAPES.clear()
        _SHAPES[key] = _Shape.build(subject, text, html)
    return _SHAPES[key]


# A header whose value is printable ASCII with single spaces and fits on one line is folded by
# the email package into exactly "Name: value" (Django's check passes it through unchanged):
# the To, Date and Message-ID of nearly every reminder. Building and encoding an email.Header
# for each was a tenth of the worker's CPU per email (tests/learning/test_reminder_mime.py
# compares the two for values around every edge).
_ONE_LINE = re.compile(r"[!-~]+(?: [!-~]+)*\Z")
_MAX_LINE = 78  # the email package's folding width (compat32)


def _header(name: str, value: str) -> bytes:
    if (
        name.lower() != "subject"  # Django encodes every subject as an email.Header
        and len(name) + 2 + len(value) <= _MAX_LINE
        and _ONE_LINE.match(value)
    ):
        return f"{name}: {value}\r\n".encode()
    return _folded_header(name, value)


def _folded_header(name: str, value: str) -> bytes:
    name, value = django_message.forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)
    return _POLICY.fold_binary(name, value)


_last_date = (None, "")


def _date() -> str:
    """The Date header's value as Django writes it, worked out once per second (the sending
    threads share it: one tuple, read and replaced whole)."""
    global _last_date
    key = (int(time.time()), settings.EMAIL_USE_LOCALTIME)
    cached_key, value = _last_date
    if cached_key != key:
        value = django_message.formatdate(key[0], localtime=key[1])
        _last_date = (key, value)
    return value


class _PrebuiltEmail(EmailMultiAlternatives):
    """An ordinary email (subject, body, alternatives as for any other) whose MIME bytes come
    from its shape when they can."""

    def __init__(self, *args, shape: _Shape | None, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.shape = shape
        self.name = name

    def message(self):
        if self.shape is not None and self.shape.fits(self):
            data = self.shape.as_bytes(self)
            if data is not None:
                return _Flattened(data, self)
        return super().message()


class _Flattened:
    """What the mail backends use of a message: its bytes (the SMTP and file backends); for
    anything else, Django's own MIME tree of the same email."""

    def __init__(self, data: bytes, email: _PrebuiltEmail):
        self._data = data
        self._email = email
        self._tree = None

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if unixfrom:
            return self._mime().as_bytes(unixfrom=unixfrom, linesep=linesep)
        # Every line of the shape and the headers ends in CRLF and a name has no line break.
        return self._data if linesep == "\r\n" else self._data.replace(b"\r\n", linesep.encode())

    def _mime(self):
        if self._tree is None:
            self._tree = EmailMultiAlternatives.message(self._email)
        return self._tree

    def __getattr__(self, attribute):
        return getattr(self._mime(), attribute)


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
