"""The follow-up table as CSV, XLSX and a printable one-page PDF: the figures the page shows,
read from the same selector, so a suppressed figure is as absent from a file as from the
page (the cell says "–" and why, never the number)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from followup.selectors import SUPPRESSED_NOTE, Cell, FollowUp, Row
from people.exports import escape_formula

DASH = "–"


def _text(cell: Cell) -> str:
    if cell.suppressed:
        return f"{DASH} ({SUPPRESSED_NOTE})"
    if cell.value is None:
        return DASH
    return str(cell.value).replace(".", ",")


def _rows(follow_up: FollowUp) -> list[tuple[str, Row]]:
    kind = follow_up.row_label
    rows = [(kind, row) for row in follow_up.rows]
    rows += [(_("Samverkansgrupp"), row) for row in follow_up.groups]
    rows += [(_("Kommun"), row) for row in follow_up.municipalities]
    rows.append((_("Totalt"), follow_up.total))
    return rows


def _header(follow_up: FollowUp) -> list[str]:
    return [
        _("Kvartal"),
        _("Nivå"),
        _("Namn"),
        *[f"{i.label} ({i.unit_label})" for i in follow_up.indicators],
    ]


def _lines(follow_up: FollowUp) -> list[list]:
    return [
        [follow_up.quarter.label, kind, row.name, *[_text(cell) for cell in row.cells]]
        for kind, row in _rows(follow_up)
    ]


def follow_up_csv(follow_up: FollowUp) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark: what Swedish Excel opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header(follow_up))
    for line in _lines(follow_up):
        writer.writerow([escape_formula(value) for value in line])
    writer.writerow([])
    writer.writerow([_note(follow_up)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _note(follow_up: FollowUp) -> str:
    return _(
        "– betyder att uppgiften inte visas: färre än %(n)s personer står bakom den, eller "
        "den skulle gå att räkna fram ur andra uppgifter (röjandeskydd)."
    ) % {"n": follow_up.min_n}


def follow_up_xlsx(follow_up: FollowUp) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Uppföljning")
    header = _header(follow_up)
    sheet.append(header)
    for line in _lines(follow_up):
        sheet.append([escape_formula(value) for value in line])
    sheet.append([])
    sheet.append([_note(follow_up)])
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(12, len(title) // 2), 30)
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def follow_up_pdf(follow_up: FollowUp) -> bytes:
    """One landscape A4 page for a dialogue meeting: each indicator (numbered) with the area's
    last four quarters, then the rows (units, municipalities or counties) with every indicator
    by its number. Rows that do not fit are left to the CSV/XLSX, and the page says so."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    title = _("Uppföljning")
    pdf.setTitle(f"{title} {follow_up.area.name} {follow_up.quarter.label}")
    left, y = 12 * mm, height - 15 * mm
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(left, y, f"{title}: {follow_up.area.name}, {follow_up.quarter.label}")
    y -= 6 * mm
    pdf.setFont("Helvetica", 7.5)
    pdf.drawString(left, y, _note(follow_up))
    y -= 7 * mm

    last = follow_up.trends[0].points[-4:] if follow_up.trends else []
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(left, y, _("Indikator"))
    for index, (quarter, _cell) in enumerate(last):
        pdf.drawRightString(left + 175 * mm + index * 22 * mm, y, quarter.label)
    y -= 4.5 * mm
    pdf.setFont("Helvetica", 8)
    for number, trend in enumerate(follow_up.trends, start=1):
        label = f"{number}. {trend.indicator.label} ({trend.indicator.unit_label})"
        pdf.drawString(left, y, simpleSplit(label, "Helvetica", 8, 150 * mm)[0])
        for index, (_quarter, cell) in enumerate(trend.points[-4:]):
            pdf.drawRightString(left + 175 * mm + index * 22 * mm, y, _short(cell))
        y -= 4 * mm

    y -= 4 * mm
    name_width, column = 62 * mm, 15 * mm
    pdf.setFont("Helvetica-Bold", 7.5)
    pdf.drawString(left, y, f"{follow_up.row_label}, {follow_up.quarter.label}")
    for number in range(1, len(follow_up.indicators) + 1):
        pdf.drawRightString(left + name_width + number * column, y, str(number))
    y -= 4 * mm
    rows = [row for _kind, row in _rows(follow_up)]
    for position, row in enumerate(rows):
        last_row = position == len(rows) - 1
        if y < 14 * mm and not last_row:
            pdf.setFont("Helvetica-Oblique", 7.5)
            pdf.drawString(left, y, _("Fler rader finns i CSV- och Excel-filen."))
            y -= 4 * mm
            row = rows[-1]  # the total is always printed
            last_row = True
        pdf.setFont("Helvetica-Bold" if row.is_total else "Helvetica", 7.5)
        pdf.drawString(left, y, simpleSplit(row.name, "Helvetica", 7.5, name_width - 2 * mm)[0])
        for number, cell in enumerate(row.cells, start=1):
            pdf.drawRightString(left + name_width + number * column, y, _short(cell))
        y -= 3.8 * mm
        if last_row:
            break
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _short(cell: Cell) -> str:
    return _text(cell).split(" ")[0]
