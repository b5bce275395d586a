"""Certificate codes and the certificate PDF (intyg), drawn with ReportLab (README: why not
WeasyPrint), with a QR code for the verification address."""

import io
import re
import secrets

import qrcode
import qrcode.constants
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from qrcode.image.pil import PilImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
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


def qr_image(url: str):
    """The verification address as a QR code image (black modules on white, 4-module quiet
    zone as the standard asks, error correction M: still readable from a creased print)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(image_factory=PilImage).get_image()


def _wrapped(pdf, text: str, *, x: float, y: float, width: float, font: str, size: float):
    """Draw `text` left-aligned from (x, y) down, wrapped at `width`; returns the next y."""
    for line in simpleSplit(text, font, size, width):
        pdf.setFont(font, size)
        pdf.drawString(x, y, line)
        y -= size * 1.3
    return y


def render_pdf(certificate, *, verify_url: str) -> bytes:
    """A one-page A4 certificate: the holder, the municipality and unit, the course and the
    modules it covered with their estimated time, the completion date, who signed it off, the
    validity, and the verification address with a QR code for it."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{_('Intyg')} – {certificate.course_title}")
    pdf.setAuthor(certificate.organisation_name or "Introsteg")
    brand = colors.HexColor("#1f4e79")
    muted = colors.HexColor("#4a5366")
    pdf.setStrokeColor(brand)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    left, right = 25 * mm, width - 25 * mm
    centre = width / 2
    y = height - 38 * mm
    if certificate.organisation_name:
        pdf.setFillColor(muted)
        pdf.setFont("Helvetica-Bold", 13)
        pdf.drawCentredString(centre, y, certificate.organisation_name)
        y -= 6 * mm
        if certificate.unit_name:
            pdf.setFont("Helvetica", 12)
            pdf.drawCentredString(centre, y, certificate.unit_name)
        y -= 14 * mm
    pdf.setFillColor(brand)
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(centre, y, _("Intyg"))
    y -= 14 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, y, _("Härmed intygas att"))
    y -= 11 * mm
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(centre, y, certificate.user.get_full_name())
    y -= 10 * mm
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, y, _("har genomfört kursen"))
    y -= 10 * mm
    for line in simpleSplit(certificate.course_title, "Helvetica-Bold", 17, right - left):
        pdf.setFont("Helvetica-Bold", 17)
        pdf.drawCentredString(centre, y, line)
        y -= 7 * mm
    scope = []
    if certificate.hours:
        scope.append(_("omfattning cirka %(hours)s timmar") % {"hours": certificate.hours})
    if certificate.credits:
        scope.append(_("%(credits)s högskolepoäng") % {"credits": format_credits(certificate)})
    if scope:
        pdf.setFont("Helvetica", 12)
        pdf.drawCentredString(centre, y, ", ".join(scope))
        y -= 6 * mm
    if certificate.modules:
        y -= 5 * mm
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(left, y, _("Kursens moduler (beräknad tid)"))
        y -= 6 * mm
        # A long course gets a smaller type, so the list stays above the facts and QR code.
        size = 10.5 if len(certificate.modules) <= 10 else max(6.0, 105 / len(certificate.modules))
        for item in certificate.module_times:
            pdf.setFont("Helvetica", size)
            pdf.drawRightString(right, y, item["time"])
            y = _wrapped(
                pdf,
                item["title"],
                x=left,
                y=y,
                width=right - left - 20 * mm,
                font="Helvetica",
                size=size,
            )
            y -= size * 0.1 * mm
    y -= 6 * mm
    completed = certificate.completed_on or timezone.localtime(certificate.issued_at).date()
    facts = [(_("Genomförd"), formats.date_format(completed, "j F Y"))]
    if certificate.signed_off_by_name:
        facts.append((_("Godkänd av"), certificate.signed_off_by_name))
    if certificate.expires_on:
        valid = _("till och med %(date)s") % {
            "date": formats.date_format(certificate.expires_on, "j F Y")
        }
    else:
        valid = _("tills vidare")
    facts.append((_("Giltighet"), valid))
    for label, value in facts:
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left, y, f"{label}:")
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left + 32 * mm, y, value)
        y -= 6 * mm
    qr_size = 34 * mm
    pdf.drawImage(ImageReader(qr_image(verify_url)), right - qr_size, 18 * mm, qr_size, qr_size)
    pdf.setFillColor(muted)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(left, 34 * mm, _("Verifieringskod: %(code)s") % {"code": certificate.code})
    pdf.drawString(left, 28 * mm, _("Kontrollera intyget på"))
    pdf.drawString(left, 23 * mm, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
