"""A course run's participant list (deltagarlista) as CSV and XLSX, in Swedish: name, email,
unit, municipality, status and attendance per session. Names, work emails and organisation
only: the system holds no identity numbers, and the export adds none."""

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from learning.selectors.run_tools import ParticipantList
from people.exports import escape_formula


def _header(data: ParticipantList) -> list[str]:
    sessions = [
        _("Pass %(date)s") % {"date": formats.date_format(s.date, "Y-m-d")} for s in data.sessions
    ]
    return [_("Namn"), _("E-post"), _("Enhet"), _("Kommun"), _("Status"), *sessions]


def _mark(mark: bool | None) -> str:
    if mark is None:
        return ""
    return _("Närvarande") if mark else _("Frånvarande")


def _rows(data: ParticipantList):
    for line in data.lines:
        yield [
            escape_formula(value)
            for value in (
                line.name,
                line.email,
                line.units,
                line.municipalities,
                line.status,
                *(_mark(mark) for mark in line.marks),
            )
        ]


def participants_csv(data: ParticipantList) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark: what Swedish Excel opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header(data))
    writer.writerows(_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def participants_xlsx(data: ParticipantList) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deltagare")
    header = _header(data)
    sheet.append(header)
    for row in _rows(data):
        sheet.append(row)
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(title) + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
