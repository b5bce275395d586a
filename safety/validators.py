"""A street address has no place in a safety check: the check is about the situation, and the
municipality's case system already holds where the family lives."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.validators import normalise

ADDRESS_IN_TEXT = _("Skriv ingen adress i bedömningen. Beskriv situationen, inte var familjen bor.")

# A Swedish street name (Storgatan, Lilla vägen, Ekgränd …) followed by a house number, or a
# postcode (123 45) next to a word: the two shapes an address takes in running text.
_STREET = re.compile(
    r"\b\w*(gata|gatan|väg|vägen|gränd|gränden|stig|stigen|torg|torget|allé|allén|backe|backen"
    r"|plan|platsen|led|leden|gången|stråket|esplanaden|promenaden)\s+\d{1,4}\s?[a-zA-Z]?\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(?<!\d)\d{3} ?\d{2}(?!\d)\s+[A-ZÅÄÖ][a-zåäö]+")


def validate_no_street_address(value: str) -> None:
    text = normalise(value or "")
    if _STREET.search(text) or _POSTCODE.search(text):
        raise ValidationError(ADDRESS_IN_TEXT, code="address")
