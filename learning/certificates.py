"""Certificate codes and the certificate PDF (intyg), rendered with ReportLab."""

import io
import re
import secrets

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

# No 0/O, 1/I/L or U: a code read aloud over the phone is not misheard.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
GROUPS, GROUP_LENGTH = 4, 4
CODE_PATTERN = re.compile(
    rf"^[{ALPHABET}]{{{GROUP_LENGTH}}}(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS - 1}}}$"
)


def new_code() -> str:
    """An unguessable verification code: 16 characters from 30 symbols, about 78 bits."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )


def normalise_code(raw: str) -> str | None:
    """The code in canonical form, or None when it cannot be a certificate code at all."""
    cleaned = re.sub(r"[\s-]", "", (raw or "").upper())
    if len(cleaned) != GROUPS * GROUP_LENGTH:
        return None
    code = "-".join(cleaned[i : i + GROUP_LENGTH] for i in range(0, len(cleaned), GROUP_LENGTH))
    return code if CODE_PATTERN.match(code) else None


def format_credits(certificate) -> str:
    """Credits the Swedish way: 7,5 and 15 (no trailing ",0")."""
    value = certificate.credits.normalize()
    return formats.number_format(value, decimal_pos=1 if value % 1 else 0, use_l10n=True)


def render_pdf(certificate, *, verify_url: str) -> bytes:
    """A one-page A4 certificate with the holder, course, date, validity and how to verify it."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{_('Intyg')} – {certificate.course_title}")
    pdf.setAuthor("Introsteg")
    brand = colors.HexColor("#1f4e79")
    pdf.setStrokeColor(brand)
    pdf.setLineWidth(3)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    centre = width / 2
    pdf.setFillColor(brand)
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(centre, height - 50 * mm, _("Intyg"))
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 15)
    pdf.drawCentredString(centre, height - 68 * mm, _("Härmed intygas att"))
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(centre, height - 84 * mm, certificate.user.get_full_name())
    pdf.setFont("Helvetica", 15)
    pdf.drawCentredString(centre, height - 100 * mm, _("har genomfört kursen"))
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(centre, height - 114 * mm, certificate.course_title)
    pdf.setFont("Helvetica", 13)
    issued = formats.date_format(timezone.localtime(certificate.issued_at).date(), "j F Y")
    details = _("Utfärdat %(date)s") % {"date": issued}
    if certificate.hours:
        details += " · " + _("Omfattning cirka %(hours)s timmar") % {"hours": certificate.hours}
    if certificate.credits:
        details += " · " + _("%(credits)s högskolepoäng") % {"credits": format_credits(certificate)}
    pdf.drawCentredString(centre, height - 128 * mm, details)
    if certificate.expires_on:
        valid = formats.date_format(certificate.expires_on, "j F Y")
        pdf.drawCentredString(
            centre, height - 136 * mm, _("Giltigt till och med %(date)s") % {"date": valid}
        )
    pdf.setFont("Helvetica", 11)
    pdf.setFillColor(colors.HexColor("#4a5366"))
    pdf.drawCentredString(
        centre, 32 * mm, _("Verifieringskod: %(code)s") % {"code": certificate.code}
    )
    pdf.drawCentredString(
        centre, 26 * mm, _("Kontrollera intyget på %(url)s") % {"url": verify_url}
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
