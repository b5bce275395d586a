"""Free-text guard: Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer) never belong in mentoring records; clients are named by pseudonymous case
references only (DESIGN.md, "Privacy by design")."""

import calendar
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IDENTITY_NUMBER_IN_TEXT = _(
    "Skriv inte personnummer eller samordningsnummer i texten. "
    "Använd ärendets pseudonyma referens i stället."
)

# YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN (a space also separates).
# Only a digit may not precede: "BoU-8112189876" still hides a personnummer.
_CANDIDATE = re.compile(r"(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})\s?[-+\s]?\s?(\d{4})(?!\d)")


def luhn_ok(digits: str) -> bool:
    """The Luhn check used for the last digit of the ten-digit form (YYMMDDNNNC)."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _date_ok(century: str | None, yy: str, mm: str, dd: str) -> bool:
    month, day = int(mm), int(dd)
    if day > 60:  # samordningsnummer: the day of birth plus 60
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return False
    year = int(century + yy) if century else 2000 + int(yy)  # 2000 is a leap year: lenient
    return day <= calendar.monthrange(year, month)[1]


def _is_identity_number(century: str | None, yy: str, mm: str, dd: str, tail: str) -> bool:
    if century and century not in ("18", "19", "20"):
        return False
    return _date_ok(century, yy, mm, dd) and luhn_ok(f"{yy}{mm}{dd}{tail}")


def find_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in the text (date-checked and Luhn-checked)."""
    return [
        match.group(0)
        for match in _CANDIDATE.finditer(text or "")
        if _is_identity_number(*match.groups())
    ]


def validate_no_identity_number(value: str) -> None:
    """The one validator for personnummer and samordningsnummer in mentoring's free text and
    case references (10 or 12 digits, with or without - or +, date and check digit verified)."""
    if find_identity_numbers(value):
        raise ValidationError(IDENTITY_NUMBER_IN_TEXT, code="identity_number")
