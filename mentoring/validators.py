"""The identity-number guard moved to people.validators (the lowest app) so every app can use
it; this module stays because migrations 0001 and 0005 import the validator from here."""

from people.validators import (
    IDENTITY_NUMBER_IN_TEXT,
    find_identity_numbers,
    luhn_ok,
    validate_no_identity_number,
)

__all__ = [
    "IDENTITY_NUMBER_IN_TEXT",
    "find_identity_numbers",
    "luhn_ok",
    "validate_no_identity_number",
]
