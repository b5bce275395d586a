"""The team table as CSV and XLSX: the same columns the page shows, in Swedish."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from people.exports import escape_formula
from team.selectors import TeamMember


def _header() -> list[str]:
    return [
        _("Namn"),
        _("E-post"),
        _("Enhet"),
        _("Roll"),
        _("Startdatum"),
        _("Klara moduler"),
        _("Moduler totalt"),
        _("Framsteg (%)"),
        _("Försenade moduler"),
        _("Mentor"),
        _("Senaste intyg"),
        _("Intyg utfärdat"),
    ]


def _row(member: TeamMember) -> list:
    return [
        member.name,
        member.email,
        member.unit_name,
        member.role_label,
        member.start_date,
        member.completed,
        member.total,
        member.percent,
        member.overdue,
        member.mentor_name,
        member.certificate_title,
        member.certificate_issued,
    ]


def _safe(value):
    return "" if value is None else escape_formula(value)


def team_csv(members: list[TeamMember]) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark: what Swedish Excel opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header())
    for member in members:
        writer.writerow([_safe(value) for value in _row(member)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def team_xlsx(members: list[TeamMember]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mitt team")
    sheet.append(_header())
    for member in members:
        sheet.append([_safe(value) for value in _row(member)])
    for index, title in enumerate(_header(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(title) + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
