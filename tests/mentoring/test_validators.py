import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

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
    "BoU-811218-9876",  # a reference that hides a personnummer
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


# --------------------------------------------------------------------------------------------
# Property tests: every valid number in every written form is refused; ordinary text and
# ordinary dates pass.
# --------------------------------------------------------------------------------------------
PROPERTY = settings(database=None, max_examples=300, deadline=None)
NO_DIGITS = st.characters(blacklist_categories=("Nd", "Cs"))


def check_digit(nine: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(nine + d))


@st.composite
def identity_numbers(draw) -> str:
    """A valid personnummer or samordningsnummer (day + 60), 10 or 12 digits, with or without
    a separator (- or +)."""
    born = draw(
        st.dates(min_value=datetime.date(1890, 1, 1), max_value=datetime.date(2026, 12, 31))
    )
    day = born.day + (60 if draw(st.booleans()) else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    date_part = f"{born.year // 100}{nine[:6]}" if draw(st.booleans()) else nine[:6]
    separator = draw(st.sampled_from(["", "-", "+"]))
    return f"{date_part}{separator}{nine[6:]}{check_digit(nine)}"


@PROPERTY
@given(number=identity_numbers())
def test_every_valid_number_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_no_identity_number(number)
    assert caught.value.messages == [str(IDENTITY_NUMBER_IN_TEXT)]


@PROPERTY
@given(
    number=identity_numbers(),
    before=st.text(alphabet=NO_DIGITS, max_size=30),
    after=st.text(alphabet=NO_DIGITS, max_size=30),
)
def test_every_valid_number_is_refused_inside_text(number, before, after):
    assert find_identity_numbers(f"{before}{number}{after}") == [number]


@PROPERTY
@given(text=st.text(alphabet=NO_DIGITS, max_size=200))
def test_ordinary_text_is_accepted(text):
    validate_no_identity_number(text)


DATE_FORMATS = ["%Y-%m-%d", "%d/%m %Y", "%d.%m.%Y", "%-d/%-m", "%d %b %Y", "%Y%m%d"]


@PROPERTY
@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    at=st.times(),
    form=st.sampled_from(DATE_FORMATS),
    words=st.text(alphabet=NO_DIGITS, max_size=20),
)
def test_ordinary_dates_are_accepted(day, at, form, words):
    validate_no_identity_number(f"Möte {day.strftime(form)} kl. {at:%H.%M}{words}")
    validate_no_identity_number(f"Från {day:%Y-%m-%d} till {day:%d/%m %Y}, ärende BoU-24-7")


@pytest.mark.parametrize("text", ["2026-11-23", "23/11 2026", "Ärende BoU-2026-014, 2026-11-23"])
def test_the_dates_named_in_the_issue_are_accepted(text):
    validate_no_identity_number(text)
