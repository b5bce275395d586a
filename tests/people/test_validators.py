"""The identity-number guard reads text as a person would see it: every dash, minus sign,
slash, dot, grouping and invisible character that leaves a personnummer recognisable is caught;
dates, times, amounts, case references and phone numbers written the usual way pass."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from people.validators import (
    IDENTITY_NUMBER_IN_TEXT,
    find_identity_numbers,
    luhn_ok,
    normalise,
    validate_no_identity_number,
)

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
DASHES = [
    "-",
    "\u2010",  # hyphen
    "\u2011",  # non-breaking hyphen
    "\u2012",  # figure dash
    "\u2013",  # en dash
    "\u2014",  # em dash
    "\u2015",  # horizontal bar
    "\u2212",  # minus sign
    "\ufe58",  # small em dash
    "\ufe63",  # small hyphen-minus
    "\uff0d",  # full-width hyphen-minus
]

# Skatteverket's test number 121212-1212 (Luhn-valid) and others, in every spelling the issue
# found slipping through, plus the 12-digit and samordningsnummer forms.
CAUGHT = [
    "121212\u20131212",  # en dash
    "121212\u20111212",  # non-breaking hyphen
    "121212\u22121212",  # minus sign
    "121212\u20141212",  # em dash
    "121212\ufe581212",  # small em dash
    "121212\ufe631212",  # small hyphen-minus
    "121212\uff0d1212",  # full-width hyphen-minus
    "121212\u20101212",  # hyphen
    "121212\u20121212",  # figure dash
    "121212\u20151212",  # horizontal bar
    "121212/1212",
    "121212.1212",
    "121212--1212",
    "121212\u2013\u20131212",
    "12-12-12-1212",
    "12.12.12.1212",
    "12/12/12/1212",
    "12\u201312\u201312\u20131212",
    "121212 - 1212",
    "121212 -- 1212",
    "1212\u200b12-1212",  # zero-width space
    "12\u200c1212-1212",  # zero-width non-joiner
    "121212\u200d-1212",  # zero-width joiner
    "121212-\u20601212",  # word joiner
    "\ufeff121212-12\ufeff12",  # byte-order mark
    "1212\u00ad12-1212",  # soft hyphen
    "121212\u00ad1212",  # soft hyphen where the hyphen would be
    "\uff11\uff12\uff11\uff12\uff11\uff12\uff0d\uff11\uff12\uff11\uff12",  # full-width
    "121212\u00a01212",  # no-break space
    "19121212-1212",
    "191212121212",
    "19121212\u20131212",
    "1912-12-12-1212",
    "20121212\u20111212",
    "19121212/1212",
    "811218-9876",
    "701063\u20132391",  # samordningsnummer (day 03 + 60), en dash
    "19701063.2391",
    "0701234502",  # born 2007, Luhn-valid: a plausible child's personnummer, not a phone
]


def test_the_test_numbers_are_luhn_valid():
    assert luhn_ok("1212121212")
    assert luhn_ok("0701234502")
    assert luhn_ok("7010632391")


@pytest.mark.parametrize("text", CAUGHT)
def test_every_spelling_is_caught(text):
    assert find_identity_numbers(f"Barnet ({text}) bor hos mamma.")
    with pytest.raises(ValidationError) as caught:
        validate_no_identity_number(f"Barnet ({text}) bor hos mamma.")
    assert caught.value.messages == [str(IDENTITY_NUMBER_IN_TEXT)]
    assert caught.value.error_list[0].code == "identity_number"


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_and_minus_becomes_a_hyphen(dash):
    assert normalise(f"121212{dash}1212") == "121212-1212"


@pytest.mark.parametrize("invisible", ZERO_WIDTH)
def test_invisible_characters_are_removed(invisible):
    assert normalise(f"12{invisible}1212-1212") == "121212-1212"


PASSES = [
    "2026-11-29",
    "Möte 2026-11-29 kl. 12.30, nästa 2026-12-13 kl 09:15.",
    "Möte 2026-11-29 1230",
    "2026-11-29 - 2026-12-01",
    "2026-11-29--2026-12-01",
    "29/11 2026, 29.11.2026",
    "Kostnad 1 250 kr, 12 500,50 kr, 3 400:-",
    "Ärende BoU-2026-0042",
    "Dnr SN 2026/0042",
    "Ring 070-123 45 02 eller 08-123 456 78",
    "+46 70-123 45 02",
    "070 123 45 02",
    "121212-1213",  # wrong check digit
    "121312-1212",  # month 13
]


@pytest.mark.parametrize("text", PASSES)
def test_ordinary_text_passes(text):
    assert find_identity_numbers(text) == []
    validate_no_identity_number(text)


def test_a_phone_number_written_as_the_message_says_passes_and_the_digits_alone_do_not():
    with pytest.raises(ValidationError):
        validate_no_identity_number("Ring mig på 0701234502")
    validate_no_identity_number("Ring mig på 070-123 45 02")


def test_the_message_says_how_to_write_a_phone_number_in_swedish_and_english():
    swedish = str(IDENTITY_NUMBER_IN_TEXT)
    assert "Skriv inte personnummer eller samordningsnummer" in swedish
    assert "070-123 45 02" in swedish
    with translation.override("en"):
        english = str(IDENTITY_NUMBER_IN_TEXT)
    assert english != swedish
    assert "phone number" in english
    assert "070-123 45 02" in english


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------
PROPERTY = settings(database=None, max_examples=400, deadline=None)
LETTERS = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzåäöÅÄÖ ,;:()"), max_size=20)
FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


def check_digit(nine: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(nine + d))


@st.composite
def spelled_identity_numbers(draw) -> str:
    """A valid personnummer or samordningsnummer (born 1900-2025, Luhn-valid), 10 or 12
    digits, spelled with random dashes, slashes, dots, spaces, groupings and invisible
    characters."""
    born = draw(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))
    )
    day = born.day + (60 if draw(st.booleans()) else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    yy, mm, dd, tail = nine[:2], nine[2:4], nine[4:6], nine[6:] + check_digit(nine)
    if draw(st.booleans()):
        yy = f"{born.year // 100}{yy}"
    grouped = draw(st.booleans())
    if grouped:
        group = draw(st.sampled_from(["dash", ".", "/", " "]))

        def glue():
            return draw(st.sampled_from(DASHES)) if group == "dash" else group

        date = f"{yy}{glue()}{mm}{glue()}{dd}"
        separator = draw(st.sampled_from(["", "+", "/", ".", *DASHES, "--", "\u2013\u2013"]))
    else:
        date = f"{yy}{mm}{dd}"
        separator = draw(
            st.sampled_from(
                ["", "+", "/", ".", " ", "  ", " - ", " -- ", " \u2013 ", *DASHES, "--"]
            )
        )
    number = f"{date}{separator}{tail}"
    if draw(st.booleans()):
        number = "".join(FULL_WIDTH.get(c, c) for c in number)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(number)))
        number = number[:at] + draw(st.sampled_from(ZERO_WIDTH)) + number[at:]
    return number


@PROPERTY
@given(number=spelled_identity_numbers(), before=LETTERS, after=LETTERS)
def test_every_spelling_of_every_valid_number_is_refused(number, before, after):
    with pytest.raises(ValidationError) as caught:
        validate_no_identity_number(f"{before}{number}{after}")
    assert caught.value.messages == [str(IDENTITY_NUMBER_IN_TEXT)]


@st.composite
def ordinary_snippets(draw) -> str:
    day = draw(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2035, 12, 31)))
    at = draw(st.times())
    kind = draw(st.sampled_from(["date", "time", "amount", "reference", "phone"]))
    if kind == "date":
        form = draw(st.sampled_from(["%Y-%m-%d", "%d/%m %Y", "%d.%m.%Y", "%-d/%-m", "%d %b %Y"]))
        return day.strftime(form)
    if kind == "time":
        return draw(st.sampled_from([f"kl. {at:%H.%M}", f"{at:%H:%M}", f"kl {at:%H%M}"]))
    if kind == "amount":
        kronor = draw(st.integers(1, 999_999))
        grouped = f"{kronor:,}".replace(",", " ")
        return draw(st.sampled_from([f"{grouped} kr", f"{grouped},50 kr", f"{kronor}:-"]))
    if kind == "reference":
        prefix = draw(st.sampled_from(["BoU", "ÄK", "Dnr SN", "IFO"]))
        glue = draw(st.sampled_from(["-", " ", "/"]))
        return f"{prefix}-{day.year}{glue}{draw(st.integers(1, 9999)):04d}"
    area = draw(st.sampled_from(["070", "072", "073", "076", "079", "08", "031", "040"]))
    digits = f"{draw(st.integers(0, 9_999_999)):07d}"
    return f"{area}-{digits[:3]} {digits[3:5]} {digits[5:]}"


@PROPERTY
@given(
    snippets=st.lists(ordinary_snippets(), min_size=1, max_size=6),
    glue=st.sampled_from([" ", ", ", " och ", ". ", "; ", "\n", " – "]),
)
def test_dates_times_amounts_references_and_phone_numbers_pass(snippets, glue):
    text = glue.join(snippets)
    assert find_identity_numbers(text) == [], text
