"""Services for inviting many people at once from a CSV file (massinbjudan).

Step one parses and checks every row and changes nothing; step two, after the admin has looked
at the preview and confirmed, invites the valid rows, each in its own transaction.
"""

import csv
import datetime
import io
from dataclasses import asdict, dataclass, field

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from people import permissions
from people.models import UNIT_ROLES, Role, Unit, User
from people.services import EMAIL_TAKEN, invite_person
from people.validators import validate_no_identity_number

MAX_ROWS = 500
MAX_BYTES = 1_000_000
SIGNING_SALT = "people.bulk-invitation"
HEADERS = {
    "email": {"email", "e-post", "epost", "e-postadress"},
    "full_name": {"name", "namn", "fullständigt namn"},
    "unit": {"unit", "enhet"},
    "role": {"role", "roll"},
    "start_date": {"start date", "start_date", "startdatum"},
}
# Each column by its name in the reader's language (the headers above are all accepted, in
# either language); the message about a missing column must not mix the two.
COLUMN_NAMES = {
    "email": _("e-post"),
    "full_name": _("namn"),
    "unit": _("enhet"),
    "role": _("roll"),
    "start_date": _("startdatum"),
}
ROLE_NAMES = {
    **{r.value: r.value for r in UNIT_ROLES},
    **{str(r.label).lower(): r.value for r in UNIT_ROLES},
    "nyanställd": Role.NEW_HIRE.value,
    "chef": Role.MANAGER.value,
    # The English names, for a file made by someone who reads the page in English.
    "new hire": Role.NEW_HIRE.value,
    "new social secretary": Role.NEW_HIRE.value,
    "social secretary": Role.SOCIAL_SECRETARY.value,
    "first-line manager": Role.MANAGER.value,
    "manager": Role.MANAGER.value,
}

NOT_A_CSV = _("Filen kunde inte läsas som CSV. Spara den som CSV (UTF-8) och försök igen.")
TOO_LARGE = _("Filen är för stor: högst %(rows)s rader och 1 MB.")
MISSING_COLUMNS = _("Kolumner saknas: %(columns)s. Första raden ska vara rubrikerna.")
BAD_EMAIL = _("Ogiltig e-postadress.")
EMAIL_TWICE = _("E-postadressen finns på flera rader i filen.")
NAME_MISSING = _("Namn saknas.")
UNKNOWN_UNIT = _("Enheten ”%(unit)s” finns inte i din kommun.")
UNKNOWN_ROLE = _("Okänd roll ”%(role)s”. Använd nyanställd, socialsekreterare, mentor eller chef.")
BAD_DATE = _("Ogiltigt startdatum ”%(date)s”. Skriv det som ÅÅÅÅ-MM-DD.")


@dataclass
class InvitationRow:
    number: int
    email: str = ""
    full_name: str = ""
    unit_name: str = ""
    unit_id: int | None = None
    role: str = ""
    start_date: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


def parse_invitation_csv(actor: User, *, data: bytes) -> list[InvitationRow]:
    """Read and check every row of an invitation CSV; raises ValidationError for the file."""
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE % {"rows": MAX_ROWS})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
        body = list(reader)
    except (StopIteration, csv.Error) as error:
        raise ValidationError(NOT_A_CSV) from error
    columns = {}
    for key, names in HEADERS.items():
        columns[key] = next((i for i, h in enumerate(header) if h in names), None)
    missing = [key for key, index in columns.items() if index is None]
    if missing:
        labels = ", ".join(str(COLUMN_NAMES[key]) for key in missing)
        raise ValidationError(MISSING_COLUMNS % {"columns": labels})
    body = [row for row in body if any(cell.strip() for cell in row)]
    if len(body) > MAX_ROWS:
        raise ValidationError(TOO_LARGE % {"rows": MAX_ROWS})

    units = {
        unit.name.strip().lower(): unit
        for unit in Unit.objects.filter(
            organisation_id__in=permissions.administered_organisation_ids(actor)
        )
    }
    emails = [_cell(row, columns["email"]).lower() for row in body]
    # Only the admin's own staff count as taken: an account elsewhere gets the same answer as
    # a new address (invite_person), so the preview reveals no other municipality's staff.
    taken = set(
        User.objects.filter(
            email__in=emails,
            memberships__organisation_id__in=permissions.administered_organisation_ids(actor),
        ).values_list("email", flat=True)
    )
    seen: dict[str, int] = {}
    rows = []
    for number, raw in enumerate(body, start=2):
        row = InvitationRow(
            number=number,
            email=_cell(raw, columns["email"]).lower(),
            full_name=_cell(raw, columns["full_name"]),
            unit_name=_cell(raw, columns["unit"]),
            role=ROLE_NAMES.get(_cell(raw, columns["role"]).lower(), ""),
            start_date=_cell(raw, columns["start_date"]),
        )
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(str(BAD_EMAIL))
        if row.email in taken:
            row.errors.append(str(EMAIL_TAKEN))
        if row.email in seen:
            row.errors.append(str(EMAIL_TWICE))
        seen.setdefault(row.email, number)
        if not row.full_name:
            row.errors.append(str(NAME_MISSING))
        try:
            validate_no_identity_number(row.full_name)
        except ValidationError as error:
            row.errors.extend(error.messages)
        unit = units.get(row.unit_name.lower())
        if unit is None:
            row.errors.append(str(UNKNOWN_UNIT % {"unit": row.unit_name}))
        else:
            row.unit_id = unit.pk
        if not row.role:
            row.errors.append(str(UNKNOWN_ROLE % {"role": _cell(raw, columns["role"])}))
        try:
            datetime.date.fromisoformat(row.start_date)
        except ValueError:
            row.errors.append(str(BAD_DATE % {"date": row.start_date}))
        rows.append(row)
    return rows


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def sign_rows(rows: list[InvitationRow]) -> str:
    """The checked rows, signed, for the confirm step (nothing is stored before confirming)."""
    return signing.dumps([asdict(r) for r in rows if r.ok], salt=SIGNING_SALT, compress=True)


def invite_confirmed_rows(actor: User, *, token: str) -> tuple[list[str], list[InvitationRow]]:
    """Invite every confirmed row; a row that fails now (e.g. the email was taken meanwhile)
    is reported and creates nothing, since each invitation is its own transaction. Returns
    the addresses invited (an address with an account elsewhere counts as invited: see
    invite_person) and the rows that failed."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=3600)
    except signing.BadSignature as error:
        raise ValidationError(
            _("Förhandsgranskningen har gått ut. Ladda upp filen igen.")
        ) from error
    invited, failed = [], []
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in payload])}
    for data in payload:
        row = InvitationRow(**data)
        unit = units.get(row.unit_id)
        try:
            if unit is None:  # removed since the preview
                raise ValidationError(UNKNOWN_UNIT % {"unit": row.unit_name})
            invite_person(
                actor,
                email=row.email,
                full_name=row.full_name,
                unit=unit,
                role=row.role,
                start_date=datetime.date.fromisoformat(row.start_date),
            )
            invited.append(row.email)
        except (ValidationError, PermissionDenied) as error:
            row.errors = getattr(error, "messages", [str(error)])
            failed.append(row)
    return invited, failed
