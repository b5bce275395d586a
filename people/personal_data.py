"""A person's own data (registerutdrag): every row in our apps that points at them, as JSON in
a zip; and anonymisation of a departed employee.

The export walks the models of our own apps through Django's app registry, so a model added
later with a link to the person is included without anyone remembering to list it.
"""

import io
import json
import uuid
import zipfile

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers import serialize
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.dates import DateStyle, format_date
from core.models import OutboxMessage
from people import open_work, permissions
from people.audit import TRACKED_RECORD_TYPES, record_event
from people.models import ANONYMISED_EMAIL_DOMAIN, AuditAction, AuditEvent, User
from people.staff import close_account

OUR_APPS = ("people", "learning", "mentoring", "safety", "team", "followup", "pulse")
# Secrets and the audit log's own copy of the name never leave in an export. Every other field
# of the person's account does (the day their employment ended, when they last logged in,
# whether the account is open): read from the model, so a field added later is included.
SECRET_USER_FIELDS = {"id", "password"}
USER_FIELDS = tuple(
    field.name for field in User._meta.concrete_fields if field.name not in SECRET_USER_FIELDS
)
NOT_YOURS_TO_ANONYMISE = _("Du kan bara anonymisera personal i din egen kommun.")
NOT_YOURSELF = _("Du kan inte anonymisera dig själv.")
ALREADY_ANONYMISED = _("Personen är redan anonymiserad.")


def _user_links() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key to the user in our apps."""
    links = []
    for config in apps.get_app_configs():
        if config.label not in OUR_APPS:
            continue
        for model in config.get_models():
            if model is AuditEvent:
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey)
                    and field.related_model is not None
                    and field.related_model._meta.label == settings.AUTH_USER_MODEL
                ):
                    links.append((model, field.name))
    return links


def _rows_about(user: User) -> list[tuple[type[models.Model], str, models.QuerySet]]:
    """(model, field, rows) for every record type that points at the person and has rows."""
    found = []
    for model, field in _user_links():
        rows = model._default_manager.filter(**{field: user})
        if rows.exists():
            found.append((model, field, rows))
    return found


def personal_data_for(user: User, rows_about=None) -> dict[str, list]:
    """Everything about the person, grouped by record type."""
    data: dict[str, list] = {
        "person": [
            {
                field: None if getattr(user, field) is None else str(getattr(user, field))
                for field in USER_FIELDS
            }
        ],
        "audit_events_by_you": [
            {"at": event.at.isoformat(), "action": event.action, "record": event.object_type}
            for event in AuditEvent.objects.filter(actor=user)
        ],
    }
    for model, field, rows in _rows_about(user) if rows_about is None else rows_about:
        data[f"{model._meta.label_lower} ({field})"] = json.loads(serialize("json", rows))
    return data


# Columns a person does not need to read: keys and secrets (the JSON keeps the keys).
HIDDEN_COLUMNS = {"id", "password", "secret", "data", "token"}


def _readable_value(row: models.Model, field: models.Field) -> str:
    value = getattr(row, field.name)
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(field, models.DateTimeField):
        return format_date(value, DateStyle.DATE_TIME)
    if isinstance(field, models.DateField):
        return format_date(value)
    return str(value)


def readable_document(user: User, rows_about) -> str:
    """The export as one HTML page a person can read (the JSON files beside it are for
    machines): a section per record type, named and labelled as the models name them, in the
    person's language."""
    sections = []
    for model, _field, rows in rows_about:
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.name not in HIDDEN_COLUMNS and not field.primary_key
        ]
        sections.append(
            {
                "title": str(model._meta.verbose_name_plural).capitalize(),
                "columns": [str(field.verbose_name).capitalize() for field in fields],
                "rows": [[_readable_value(row, field) for field in fields] for row in rows],
            }
        )
    return render_to_string(
        "personal_data/document.html",
        {
            "person": user,
            "person_rows": [
                (
                    str(User._meta.get_field(name).verbose_name).capitalize(),
                    _readable_value(user, User._meta.get_field(name)),
                )
                for name in USER_FIELDS
            ],
            "sections": sections,
            "created": timezone.localtime(),
        },
    )


def personal_data_zip(user: User) -> bytes:
    """The export as a zip with one JSON file per record type and a short README in the
    person's language."""
    rows_about = _rows_about(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            # A name people recognise, in their language (zip stores it as UTF-8).
            str(_("Läs mig.txt")),
            _(
                "Det här är alla uppgifter som Introsteg har om dig, en JSON-fil per typ av "
                "uppgift. Skapad %(created)s."
            )
            % {"created": format_date(timezone.now(), DateStyle.DATE_TIME)}
            + "\n",
        )
        archive.writestr(str(_("mina-uppgifter.html")), readable_document(user, rows_about))
        for key, rows in personal_data_for(user, rows_about).items():
            name = key.replace(" ", "_").replace("(", "").replace(")", "")
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
    _audit_export(user, rows_about)
    return buffer.getvalue()


def _audit_export(user: User, rows_about) -> None:
    """One audit line per record type in the export that the audit log tracks, in each
    municipality the records belong to, naming the records; and one for the person record."""
    for organisation_id in set(user.memberships.values_list("organisation_id", flat=True)):
        record_event(
            user,
            action=AuditAction.EXPORT,
            organisation=organisation_id,
            obj=user,
            summary="Registerutdrag",
        )
    exported: dict[tuple[str, int], set[int]] = {}
    for model, _field, rows in rows_about:
        label = model._meta.label_lower
        if label not in TRACKED_RECORD_TYPES:
            continue
        for pk, organisation_id in rows.values_list("pk", TRACKED_RECORD_TYPES[label]):
            exported.setdefault((label, organisation_id), set()).add(pk)
    for (label, organisation_id), pks in sorted(exported.items()):
        ids = ", ".join(str(pk) for pk in sorted(pks))
        record_event(
            user,
            action=AuditAction.EXPORT,
            organisation=organisation_id,
            object_type=label,
            note=gettext_noop("Registerutdrag: %(count)s st. (id %(ids)s)"),
            note_values={"count": len(pks), "ids": ids},
        )


@transaction.atomic
def anonymise_person(actor: User, *, user: User) -> User:
    """Anonymise a departed employee (anonymisera): name, email, login and authenticators go;
    their enrolments, progress and cases stay, unnamed, so the municipality's figures add up.
    Refused while they hold open work (people.open_work): nothing may be left held by
    "Anonymiserad person". Their lines in the audit log keep their id, not their name."""
    organisation_ids = set(user.memberships.values_list("organisation_id", flat=True))
    if actor.pk == user.pk:
        raise PermissionDenied(NOT_YOURSELF)
    # Another municipality's staff and the national roles get the same answer, so the refusal
    # does not tell a municipal admin who holds a national role.
    if not permissions.people_within_reach(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(NOT_YOURS_TO_ANONYMISE)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_anonymised:
        raise PermissionDenied(ALREADY_ANONYMISED)
    open_work.refuse_if_open_work(user)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # Outbox rows to them: nothing is sent to an anonymised person, and a mail server's error
    # text may quote their old address.
    OutboxMessage.objects.filter(recipient_id=user.pk).delete()
    user.full_name = str(_("Anonymiserad person"))
    user.email = f"{uuid.uuid4().hex}{ANONYMISED_EMAIL_DOMAIN}"
    user.receives_digest = False
    user.set_unusable_password()  # also ends every open session (the session hash changes)
    user.save()
    # A person already deactivated keeps the day they left; one anonymised while active leaves
    # today.
    close_account(user)
    # The log is append-only, but the copy of the name on the person's own lines is personal
    # data that must go with the rest; the lines keep their id (AuditEvent.actor_display).
    AuditEvent.objects.filter(actor=user).update(actor_label="")
    for organisation_id in organisation_ids:
        record_event(
            actor,
            action=AuditAction.ANONYMISE,
            organisation=organisation_id,
            obj=user,
            summary="Anonymiserad",
        )
    return user


def departed_candidates(actor: User):
    """People the admin may anonymise: staff of their municipalities within their reach (no
    national role, no membership elsewhere), active or deactivated, not yet anonymised, except
    themselves."""
    return permissions.people_within_reach(actor).exclude(email__endswith=ANONYMISED_EMAIL_DOMAIN)
