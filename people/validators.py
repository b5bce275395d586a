"""The identity-number guard: Swedish personal identity numbers (personnummer) and coordination
numbers (samordningsnummer) never belong in the platform's free text; clients are named by
pseudonymous case references only (DESIGN.md, "Privacy by design").

It lives in people, the lowest app, so that every app's models can put the one validator on
their free-text fields; a model validator runs in every path that calls full_clean (services,
ModelForms, the Wagtail admin, CSV import), so no path can skip it.
"""

import calendar
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IDENTITY_NUMBER_IN_TEXT = _(
    "Skriv inte personnummer eller samordningsnummer i texten. "
    "Använd ärendets pseudonyma referens i stället. "
    "Ett telefonnummer går bra om du skriver det med mellanslag, till exempel 070-123 45 02."
)

# Minus signs that are not Unicode dash punctuation (category Pd); every Pd character, among
# them U+2010-U+2015, U+2011 non-breaking hyphen, U+FE58, U+FE63 and U+FF0D, is a dash too.
_MINUS_SIGNS = frozenset("\u2212\u2796\u02d7\u207b\u208b")

# YYMMDD or CCYYMMDD, optionally grouped with one repeated separator (12-12-12, 1912.12.12),
# then the four last digits (NNNC). Only a digit may not precede: "BoU-8112189876" still hides
# a personnummer.
_CANDIDATE = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<yy>\d{2})(?P<group>[-/. ]?)(?P<mm>\d{2})(?P=group)(?P<dd>\d{2})"
    # Between the date and the last four: nothing, - -- + with a space either side, / . or
    # one or two spaces.
    r"(?P<separator>\s?(?:--?|\+)\s?|[/.]|\s{1,2})?"
    r"(?P<tail>\d{4})(?!\d)"
    # "2026-11-29-2026-12-01" is a date range, not a personnummer followed by "-12-01".
    r"(?![-/.]\d{1,2}[-/.]\d{1,2}(?!\d))"
)


def normalise(text: str) -> str:
    """The text as the guard reads it: invisible characters (zero-width spaces and joiners,
    word joiner, byte-order mark, soft hyphen, combining marks) removed, each character in
    Unicode NFKC (full-width slashes and spaces become ASCII), every decimal digit of any
    script an ASCII digit, and every dash and minus sign a plain "-".

    A character that is not a digit but whose NFKC form holds one (superscript ², circled ⑫,
    "㏩") becomes a space: nobody types it as part of a number, so it must not glue digits on.
    """
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Nd":
            out.append(str(unicodedata.digit(char)))
            continue
        if category in ("Cf", "Mn", "Me"):
            continue
        if category == "Pd" or char in _MINUS_SIGNS:
            out.append("-")
            continue
        compatible = unicodedata.normalize("NFKC", char)
        if any(c.isdigit() for c in compatible):
            out.append(" ")
        elif compatible != char:
            # NFKC can itself yield a dash (U+FE58 small em dash -> U+2014 em dash).
            out.extend("-" if unicodedata.category(c) == "Pd" else c for c in compatible)
        else:
            out.append(char)
    return "".join(out)


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


def _is_identity_number(match: re.Match) -> bool:
    century, yy, mm, dd, tail = match.group("century", "yy", "mm", "dd", "tail")
    if century and century not in ("18", "19", "20"):
        return False
    # A grouped date followed by a space is a date and a number ("2026-11-29 1230",
    # "2026-11-29 - 2026-12-01"); a grouped personnummer is joined to its last four by a
    # separator ("12-12-12-1212", "1912-12-12-1212").
    separator = match.group("separator") or ""
    if match.group("group") and separator != separator.strip():
        return False
    return _date_ok(century, yy, mm, dd) and luhn_ok(f"{yy}{mm}{dd}{tail}")


def find_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in the text (date-checked and Luhn-checked),
    as it reads after normalise()."""
    return [
        match.group(0)
        for match in _CANDIDATE.finditer(normalise(text or ""))
        if _is_identity_number(match)
    ]


def validate_no_identity_number(value: str) -> None:
    """The one validator for personnummer and samordningsnummer in free text: 10 or 12 digits,
    written with any dash, minus, slash, dot, plus or space between the parts, with invisible
    characters inside; the date and the check digit are verified."""
    if find_identity_numbers(value):
        raise ValidationError(IDENTITY_NUMBER_IN_TEXT, code="identity_number")
