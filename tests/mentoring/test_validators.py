import pytest
from django.core.exceptions import ValidationError

from mentoring.validators import (
    IDENTITY_NUMBER_IN_TEXT,
    find_identity_numbers,
    luhn_ok,
    validate_no_identity_number,
)

# Skatteverket's published test numbers (valid Luhn) in every written form.
VALID = [
    "811218-9876",
    "8112189876",
    "19811218-9876",
    "198112189876",
    "811218+9876",
    "811218 9876",
    "701063-2391",  # samordningsnummer: day 03 + 60
    "19701063-2391",
]
INVALID = [
    "811218-9875",  # wrong check digit
    "811318-9876",  # month 13
    "811232-9878",  # day 32, not a samordningsnummer
    "Ärende BoU-2024-0113",
    "ring 0701234567 om du undrar" if not luhn_ok("0701234567") else "ring 070-123 45",
    "",
]


def test_luhn():
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")


@pytest.mark.parametrize("number", VALID)
def test_identity_numbers_are_found_in_text(number):
    text = f"Pojken med nummer {number} berättade om hemmet."
    assert find_identity_numbers(text)
    with pytest.raises(ValidationError) as caught:
        validate_no_identity_number(text)
    assert caught.value.messages == [str(IDENTITY_NUMBER_IN_TEXT)]


@pytest.mark.parametrize("text", INVALID)
def test_other_numbers_pass(text):
    assert find_identity_numbers(text) == []
    validate_no_identity_number(text)


def test_message_is_the_swedish_one():
    assert "Skriv inte personnummer eller samordningsnummer" in str(IDENTITY_NUMBER_IN_TEXT)
    assert "pseudonyma referens" in str(IDENTITY_NUMBER_IN_TEXT)
