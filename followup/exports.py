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
    """One landscape A4 page for a dialogue meeting: the area's total per indicator with the
    last quarters beside it, then the rows (units, municipalities or counties) on the rest of
    the page. What does not fit is left for the CSV/XLSX, which the page says."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    title = _("Uppföljning")
    pdf.setTitle(f"{title} {follow_up.area.name} {follow_up.quarter.label}")
    left, y = 15 * mm, height - 18 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, y, f"{title}: {follow_up.area.name}, {follow_up.quarter.label}")
    y -= 8 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(left, y, _note(follow_up))
    y -= 8 * mm
    quarters = [q for q, _cell in follow_up.trends[0].points][-4:] if follow_up.trends else []
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(left, y, _("Indikator"))
    for index, quarter in enumerate(quarters):
        pdf.drawRightString(left + 150 * mm + index * 25 * mm, y, quarter.label)
    y -= 5 * mm
    for trend in follow_up.trends:
        label = f"{trend.indicator.label} ({trend.indicator.unit_label})"
        lines = simpleSplit(label, "Helvetica", 8, 120 * mm)
        pdf.setFont("Helvetica", 8)
        for offset, line in enumerate(lines):
            pdf.drawString(left, y - offset * 3.5 * mm, line)
        for index, (_q, cell) in enumerate(trend.points[-4:]):
            pdf.drawRightString(left + 150 * mm + index * 25 * mm, y, _text(cell).split(" ")[0])
        y -= max(len(lines), 1) * 3.5 * mm + 1.5 * mm
    y -= 3 * mm
    pdf.setFont("Helvetica-Bold", 9)
    shown_label = _("antal visade uppgifter")
    pdf.drawString(left, y, f"{follow_up.row_label}: {shown_label}")
    y -= 5 * mm
    pdf.setFont("Helvetica", 8)
    rows = [row for _kind, row in _rows(follow_up)][:-1]
    for row in rows:
        if y < 15 * mm:
            pdf.drawString(left, y, _("Fler rader finns i CSV- och Excel-filen."))
            break
        shown = sum(1 for cell in row.cells if cell.shown)
        pdf.drawString(left, y, f"{row.name}: {shown}/{len(row.cells)}")
        y -= 4 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
