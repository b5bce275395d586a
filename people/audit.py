"""The audit log (granskningslogg): one function writes it, one selector reads it, and one
function puts each line into words for the person reading it."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from people import permissions
from people.models import ANONYMISED_ACTOR, AuditAction, AuditEvent, Organisation, Role, User

# The record types the audit log tracks (mentoring's services write a line whenever one is
# created, changed or, for cases and supervision sessions, read), each with the path to the
# municipality it belongs to. Named by label: people sits below the apps that define them.
TRACKED_RECORD_TYPES = {
    "mentoring.supervisedcase": "organisation",
    "mentoring.casereview": "case__organisation",
    "mentoring.supervisionsession": "mentorship__organisation",
    "mentoring.entrustmentdecision": "case_type__organisation",
}

# Who a line is about, by record type: the attribute path from the record to the person's id.
# Read when the line is written (one attribute walk), so the log can name the person later
# through a join, and an anonymised person is shown as such without a copy of their name.
SUBJECT_OF = {
    "people.user": "pk",
    "people.membership": "user_id",
    "mentoring.supervisedcase": "holder_id",
    "mentoring.casereview": "case.holder_id",
    "mentoring.supervisionsession": "mentorship.mentee_id",
    "mentoring.entrustmentdecision": "person_id",
    "mentoring.mentorship": "mentee_id",
    "learning.signoff": "enrolment.user_id",
    "learning.certificate": "user_id",
    "sso.arrival": "user_id",
}

# The record types an admin can filter by, in the order the list shows them. Their names are
# the models' own verbose names (translated), except for what is not a model.
RECORD_TYPES = (
    "people.user",
    "people.membership",
    "mentoring.supervisedcase",
    "mentoring.casereview",
    "mentoring.supervisionsession",
    "mentoring.entrustmentdecision",
    "mentoring.mentorship",
    "learning.signoff",
    "learning.certificate",
    "sso.identityprovider",
    "sso.arrival",
    "team.overview",
    "people.auditevent",
    "followup.area",
)
NOT_MODELS = {
    "team.overview": _("Mitt team (export)"),
    "people.auditevent": _("granskningslogg (export)"),
    "people.user": _("person"),
    "people.membership": _("roll"),
    # Uppföljning's figures for a municipality, a county or the country (followup.services).
    "followup.area": _("uppföljning (export)"),
}

SYSTEM = _("Systemet")
NOBODY = _("en person som inte längre finns")

# One sentence per (action, record type); a pair without one gets its action's sentence.
# %(actor)s did it, %(subject)s is the person the record is about, %(record)s the record
# type's name and %(id)s its number; the rest come from the line's details.
DESCRIPTIONS = {
    (AuditAction.INVITE, "people.membership"): _(
        "%(actor)s bjöd in %(subject)s som %(role)s i %(unit)s"
    ),
    (AuditAction.ROLE_CHANGE, "people.membership"): _(
        "%(actor)s gav %(subject)s rollen %(role)s i %(unit)s från %(start)s"
    ),
    (AuditAction.UPDATE, "people.user"): _("%(actor)s ändrade kontot för %(subject)s"),
    (AuditAction.ANONYMISE, "people.user"): _("%(actor)s anonymiserade %(subject)s"),
    (AuditAction.EXPORT, "people.user"): _(
        "%(actor)s tog ut ett registerutdrag (Mina uppgifter) om %(subject)s"
    ),
    (AuditAction.EXPORT, "people.auditevent"): _(
        "%(actor)s exporterade granskningsloggen (antal rader: %(rows)s)"
    ),
    (AuditAction.EXPORT, "team.overview"): _("%(actor)s exporterade Mitt team"),
    (AuditAction.EXPORT, "followup.area"): _("%(actor)s exporterade uppföljningens siffror"),
    (AuditAction.CREATE, "mentoring.supervisedcase"): _(
        "%(actor)s registrerade ärende %(id)s för %(subject)s"
    ),
    (AuditAction.READ, "mentoring.supervisedcase"): _(
        "%(actor)s läste ärende %(id)s, som %(subject)s handlägger"
    ),
    (AuditAction.UPDATE, "mentoring.supervisedcase"): _(
        "%(actor)s ändrade ärende %(id)s, som %(subject)s handlägger"
    ),
    (AuditAction.DELETE, "mentoring.supervisedcase"): _(
        "%(actor)s gallrade ärende %(id)s efter lagringstiden"
    ),
    (AuditAction.CREATE, "mentoring.casereview"): _(
        "%(actor)s skrev en genomgång av ett ärende som %(subject)s handlägger"
    ),
    (AuditAction.UPDATE, "mentoring.casereview"): _(
        "%(actor)s ändrade en genomgång av ett ärende som %(subject)s handlägger"
    ),
    (AuditAction.CREATE, "mentoring.supervisionsession"): _(
        "%(actor)s loggade ett handledningssamtal med %(subject)s"
    ),
    (AuditAction.UPDATE, "mentoring.supervisionsession"): _(
        "%(actor)s bekräftade ett handledningssamtal"
    ),
    (AuditAction.READ, "mentoring.supervisionsession"): _(
        "%(actor)s läste anteckningarna från ett handledningssamtal med %(subject)s"
    ),
    (AuditAction.CREATE, "mentoring.entrustmentdecision"): _(
        "%(actor)s beslutade om anförtroendenivå för %(subject)s"
    ),
    (AuditAction.CREATE, "mentoring.mentorship"): _("%(actor)s gav %(subject)s en ny mentor"),
    (AuditAction.UPDATE, "mentoring.mentorship"): _(
        "%(actor)s avslutade mentorskapet för %(subject)s"
    ),
    (AuditAction.CREATE, "learning.signoff"): _(
        "%(actor)s godkände introduktionen för %(subject)s"
    ),
    (AuditAction.UPDATE, "learning.certificate"): _(
        "%(actor)s återkallade ett intyg för %(subject)s"
    ),
    (AuditAction.CREATE, "sso.identityprovider"): _("%(actor)s lade till inloggning via kommunen"),
    (AuditAction.UPDATE, "sso.identityprovider"): _("%(actor)s ändrade inloggning via kommunen"),
    (AuditAction.UPDATE, "sso.arrival"): _(
        "%(actor)s bekräftade kontot för %(subject)s från kommunens inloggning"
    ),
}
# A role that changed (update_membership) names what it was and what it became.
ROLE_CHANGED = _(
    "%(actor)s ändrade rollen för %(subject)s från %(old_role)s i %(old_unit)s (från "
    "%(old_start)s) till %(role)s i %(unit)s (från %(start)s)"
)
# The account changes people.staff writes, told apart by their fixed summary.
ACCOUNT_CHANGES = {
    "Inbjudan skickad igen": _("%(actor)s skickade inbjudan till %(subject)s igen"),
    "Inbjudan återkallad": _("%(actor)s återkallade inbjudan till %(subject)s"),
    "Avaktiverad": _("%(actor)s avaktiverade %(subject)s"),
    "Aktiverad igen": _("%(actor)s aktiverade %(subject)s igen"),
}
BY_ACTION = {
    AuditAction.READ: _("%(actor)s läste %(record)s %(id)s"),
    AuditAction.CREATE: _("%(actor)s skapade %(record)s %(id)s"),
    AuditAction.UPDATE: _("%(actor)s ändrade %(record)s %(id)s"),
    AuditAction.DELETE: _("%(actor)s raderade %(record)s %(id)s"),
    AuditAction.EXPORT: _("%(actor)s exporterade %(record)s"),
    AuditAction.ROLE_CHANGE: _("%(actor)s ändrade en roll"),
    AuditAction.ANONYMISE: _("%(actor)s anonymiserade %(record)s %(id)s"),
    AuditAction.INVITE: _("%(actor)s bjöd in en person"),
}
ABOUT = _("%(description)s (gäller %(subject)s)")

# The fixed summaries other apps write, so that the details column reads in English too.
KNOWN_SUMMARIES = (
    gettext_noop("Inbjudan skickad igen"),
    gettext_noop("Inbjudan återkallad"),
    gettext_noop("Avaktiverad"),
    gettext_noop("Aktiverad igen"),
    gettext_noop("Ärende registrerat"),
    gettext_noop("Avslutat"),
    gettext_noop("Handledningssamtal loggat"),
    gettext_noop("Handledningssamtal bekräftat"),
    gettext_noop("Handledningssamtal läst"),
    gettext_noop("Gallrat efter lagringstiden"),
    gettext_noop("Registerutdrag"),
    gettext_noop("Anonymiserad"),
    gettext_noop("Konto från identitetstjänsten bekräftat"),
)


# --------------------------------------------------------------------------------------------
# Notes (the details column) in the reader's language. A note is kept as its Swedish source
# text (marked with gettext_noop where it is written) and its values, and put into words when
# the log is read: a line written for a Swedish admin reads in English for an English one.
# Values that are words themselves (a stage, a reason, a fixed phrase) are kept as what they
# are, not as the writer's words, so they are translated at reading time too.
# --------------------------------------------------------------------------------------------
class Choice(NamedTuple):
    """A model field's choice, shown by its label: Choice("mentoring.supervisedcase", "stage",
    "decision") reads "Beslut" or "Decision"."""

    model: str
    field: str
    value: str


class Words(NamedTuple):
    """A fixed phrase (its Swedish source marked with gettext_noop), translated when read."""

    text: str


class WordList(NamedTuple):
    """Fixed phrases joined the reader's way: "namn och e-postadress", "name and email"."""

    items: tuple[str, ...]


class FieldNames(NamedTuple):
    """A model's fields, shown by their verbose names: what changed, not the values."""

    model: str
    names: tuple[str, ...]


class Phrase(NamedTuple):
    """A note inside a note: a Swedish source text (gettext_noop) with its own values, so a
    list can hold phrases that carry a value ("från och med 3 nov. 2026")."""

    text: str
    values: dict


class RecordType(NamedTuple):
    """A record type by its label ("mentoring.supervisedcase"), shown by its translated name."""

    label: str


class Subject(NamedTuple):
    """The person the line is about, named when read through the line's own join: an
    anonymised person then reads as such, and no copy of the name is kept in the note."""


AND = _("%(first)s och %(last)s")


def _stored(value):
    if isinstance(value, Choice):
        return {"choice": f"{value.model}.{value.field}", "value": value.value}
    if isinstance(value, Words):
        return {"words": value.text}
    if isinstance(value, WordList):
        return {"word_list": [_stored(item) for item in value.items]}
    if isinstance(value, Phrase):
        return {"phrase": value.text, "values": {k: _stored(v) for k, v in value.values.items()}}
    if isinstance(value, RecordType):
        return {"record_type": value.label}
    if isinstance(value, Subject):
        return {"subject": True}
    if isinstance(value, FieldNames):
        return {"fields_of": value.model, "names": list(value.names)}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value if isinstance(value, int) else str(value)


def _choice_label(path: str, value: str) -> str:
    label, _dot, field_name = path.rpartition(".")
    try:
        field = apps.get_model(label)._meta.get_field(field_name)
    except (LookupError, ValueError):
        return value
    return str(dict(field.flatchoices).get(value, value))


def _field_names(label: str, names: list[str]) -> list[str]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return names
    shown = []
    for name in names:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name))
        except LookupError:
            shown.append(name)
    return shown


def _word_list(items: list, subject: str = "") -> str:
    words = [_shown(item, subject) if isinstance(item, dict) else gettext(item) for item in items]
    if len(words) < 2:
        return "".join(words)
    return str(AND) % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _shown(value, subject: str = "") -> str:
    if isinstance(value, dict):
        if "choice" in value:
            return _choice_label(value["choice"], value.get("value", ""))
        if "words" in value:
            return gettext(value["words"])
        if "word_list" in value:
            return _word_list(value["word_list"], subject)
        if "phrase" in value:
            return render_note(value["phrase"], value.get("values") or {}, subject=subject)
        if "record_type" in value:
            return record_type_name(value["record_type"])
        if "subject" in value:
            return subject or str(NOBODY)
        if "fields_of" in value:
            return _word_list(_field_names(value["fields_of"], value.get("names", [])))
        if "date" in value:
            return format_date(value["date"])
    return str(value)


def render_note(text: str, values: dict, *, subject: str = "") -> str:
    """A note in the active language; a note whose values do not fit its text (an older
    release's) is shown as its text rather than raising. `subject` names the line's person
    where the note refers to them (Subject)."""
    try:
        return gettext(text) % {key: _shown(value, subject) for key, value in values.items()}
    except (KeyError, TypeError, ValueError):
        return gettext(text)


def noted(details: dict, *, note: str, note_values: dict | None) -> tuple[dict, str]:
    """The line's details with the note and its values kept, and the note in Swedish for the
    summary column (for writers that insert many lines at once with bulk_create). A person the
    note refers to (Subject) is only "personen" there: the summary is not anonymised later."""
    details = {**details, "note": note}
    details["note_values"] = {k: _stored(v) for k, v in (note_values or {}).items()}
    with translation.override("sv"):
        summary = render_note(note, details["note_values"], subject=gettext("personen"))
    return details, summary


def record_event(
    actor: User | None,
    *,
    action: str,
    obj=None,
    organisation: Organisation | int,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    subject: User | int | None = None,
    details: dict | None = None,
    note: str = "",
    note_values: dict | None = None,
) -> AuditEvent:
    """Append one line to the municipality's audit log: the record by type and id, the person
    it is about, and the values its description is composed from. `note` (Swedish, marked
    with gettext_noop) and `note_values` are the details column, put into words when read;
    `summary` keeps the note in Swedish for whoever reads the table itself."""
    details = dict(details or {})
    if note:
        details, summary = noted(details, note=note, note_values=note_values)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if subject is None and obj is not None and object_type in SUBJECT_OF:
        subject = obj
        for attribute in SUBJECT_OF[object_type].split("."):
            subject = getattr(subject, attribute)
    subject_id = subject.pk if isinstance(subject, User) else subject
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    known = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if known else None,
        actor_label=actor.get_full_name() if known else "",
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        subject_id=subject_id,
        details=details,
        summary=summary[:240],
    )


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the log to; empty values mean "all"."""

    action: str = ""
    object_type: str = ""
    person: User | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_events_for(
    user: User, *, action: str = "", object_type: str = "", filters: AuditFilter | None = None
) -> QuerySet[AuditEvent]:
    """The audit lines a municipal admin may read: their own municipalities only, with the
    people they name joined in (a constant number of queries, whatever the page size)."""
    filters = filters or AuditFilter(action=action, object_type=object_type)
    events = AuditEvent.objects.filter(
        organisation_id__in=permissions.administered_organisation_ids(user)
    ).select_related("organisation", "actor", "subject")
    if filters.action in AuditAction.values:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.person is not None:
        events = events.filter(Q(actor=filters.person) | Q(subject=filters.person))
    if filters.since is not None:
        events = events.filter(at__date__gte=filters.since)
    if filters.until is not None:
        events = events.filter(at__date__lte=filters.until)
    return events


def export_note(filters: AuditFilter) -> tuple[str, dict]:
    """Which filters an audit-log export used, in words the reader's language can show."""
    chosen = []
    if filters.person is not None:
        chosen.append(Phrase(gettext_noop("person: %(person)s"), {"person": Subject()}))
    if filters.object_type:
        chosen.append(
            Phrase(gettext_noop("posttyp: %(type)s"), {"type": RecordType(filters.object_type)})
        )
    if filters.action:
        chosen.append(
            Phrase(
                gettext_noop("händelse: %(action)s"),
                {"action": Choice("people.auditevent", "action", filters.action)},
            )
        )
    if filters.since and filters.until:
        chosen.append(
            Phrase(
                gettext_noop("datum %(since)s–%(until)s"),
                {"since": filters.since, "until": filters.until},
            )
        )
    elif filters.since:
        chosen.append(Phrase(gettext_noop("från och med %(since)s"), {"since": filters.since}))
    elif filters.until:
        chosen.append(Phrase(gettext_noop("till och med %(until)s"), {"until": filters.until}))
    if not chosen:
        return gettext_noop("Hela loggen, utan urval"), {}
    return gettext_noop("Urval: %(filters)s"), {"filters": WordList(tuple(chosen))}


def people_in_log(user: User) -> QuerySet[User]:
    """The people an admin can filter the log by: everyone with a role in their municipalities."""
    return (
        User.objects.filter(
            memberships__organisation_id__in=permissions.administered_organisation_ids(user)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def person_name(person: User | None, person_id: int | None) -> str:
    """A person as the log names them: an anonymised person as such, with their id."""
    if person is None:
        return str(NOBODY)
    if person.is_anonymised:
        return ANONYMISED_ACTOR % {"id": person_id}
    return person.get_full_name()


def record_type_name(object_type: str) -> str:
    if object_type in NOT_MODELS:
        return str(NOT_MODELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def record_type_choices() -> list[tuple[str, str]]:
    return [(label, record_type_name(label).capitalize()) for label in RECORD_TYPES]


def _role_name(code: str) -> str:
    label = str(Role(code).label) if code in Role.values else code
    return label[:1].lower() + label[1:]


def _values(event: AuditEvent) -> dict[str, str]:
    details = event.details or {}
    values = {
        "actor": event.actor_display or (str(SYSTEM) if event.actor_id is None else ""),
        "subject": person_name(event.subject, event.subject_id),
        "record": record_type_name(event.object_type),
        "id": event.object_id,
    }
    for key, value in details.items():
        if key in ("note", "note_values"):
            continue
        if key.endswith("role"):
            values[key] = _role_name(value)
        elif key.endswith("start"):
            values[key] = format_date(value)
        else:
            values[key] = str(value)
    return values


def describe(event: AuditEvent) -> str:
    """The line in words, in the reader's language: "Anna Admin bjöd in Olle Olsson som
    nyanställd socialsekreterare i Enhet Barn och unga"."""
    values = _values(event)
    key = (event.action, event.object_type)
    template = DESCRIPTIONS.get(key)
    if key == (AuditAction.ROLE_CHANGE, "people.membership") and "old_role" in event.details:
        template = ROLE_CHANGED
    elif key == (AuditAction.UPDATE, "people.user") and event.summary in ACCOUNT_CHANGES:
        template = ACCOUNT_CHANGES[event.summary]
    # A line written before its details were kept (or by an older release) has no values for
    # the specific sentence: it gets its action's sentence instead of a KeyError.
    if template is not None:
        try:
            return str(template) % values
        except KeyError:
            pass
    text = str(BY_ACTION.get(event.action, BY_ACTION[AuditAction.UPDATE])) % values
    if event.subject_id is not None:
        text = str(ABOUT) % {"description": text, "subject": values["subject"]}
    return text


def details_text(event: AuditEvent) -> str:
    """The line's own note in the reader's language: composed from its values when it was
    written with them, else translated where it is one of the fixed ones."""
    details = event.details or {}
    if details.get("note"):
        subject = person_name(event.subject, event.subject_id) if event.subject_id else ""
        return render_note(details["note"], details.get("note_values") or {}, subject=subject)
    return gettext(event.summary) if event.summary else ""
