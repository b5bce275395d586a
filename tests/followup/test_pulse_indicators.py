"""The pulse survey's three questions on the follow-up pages and in the exports: the mean
scores of released answers per quarter, read from the results page's sums, small groups
hidden by disclosure control as every other cell, and the comments nowhere."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from followup import services
from followup.indicators import BY_KEY, PULSE_INDICATORS
from followup.models import QuarterFact
from pulse import selectors as pulse_selectors
from pulse.models import PulseAnswer, PulseRound
from tests.factories import OrganisationFactory, UnitFactory
from tests.pulse.conftest import released_answers

pytestmark = pytest.mark.django_db

WORKLOAD = "Pulsenkät: arbetsbelastningen är hanterbar"
SECRET = "Chefen på enheten lyssnar aldrig"


@pytest.fixture
def pulse(kommun_a, kommun_b, enhet_a, previous, lan_skane):
    """Last quarter's closed rounds. Kommun A: enhet_a 6 answers (2, 4, 5) with comments, a
    middling unit 5 (3, 3, 3) and a small one 3 (4, 4, 4); Kommun B 2 answers, Kommun D
    (Skåne) 6, Kommun C (Norrbotten) 5. One answer of an open round, not yet released."""
    period = previous.start
    released_answers(enhet_a, 6, period=period, scores=(2, 4, 5), comment=SECRET)
    middle = UnitFactory(organisation=kommun_a, name="Mellanenheten")
    released_answers(middle, 5, period=period, scores=(3, 3, 3))
    small = UnitFactory(organisation=kommun_a, name="Liten enhet")
    released_answers(small, 3, period=period, scores=(4, 4, 4), comment=SECRET)
    released_answers(UnitFactory(organisation=kommun_b, name="Lilla B"), 2, period=period)
    kommun_d = OrganisationFactory(name="Kommun D", county="Skåne län")
    released_answers(UnitFactory(organisation=kommun_d, name="Stora D"), 6, period=period)
    kommun_c = OrganisationFactory(name="Kommun C", county="Norrbottens län")
    released_answers(UnitFactory(organisation=kommun_c, name="Norr"), 5, period=period)
    still_open = PulseRound.objects.create(
        organisation=kommun_a,
        kind=PulseRound.Kind.MILESTONE,
        opens_on=period,
        closes_on=period.replace(day=20),
        period_start=period,
    )
    PulseAnswer.objects.create(
        organisation=kommun_a,
        unit=enhet_a,
        period_start=period,
        round=still_open,
        workload=5,
        support=5,
        stay=5,
    )
    services.refresh_quarter_facts()
    return previous


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _page(user, quarter, **params) -> str:
    response = _client(user).get(reverse("followup:overview"), {"kvartal": quarter.slug, **params})
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, name: str) -> list[str]:
    match = re.search(
        rf'<th scope="row">{re.escape(name)}[^<]*(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>',
        html,
        re.S,
    )
    assert match, f"no row {name}"
    cells = re.findall(r"<td>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def _column(html: str) -> int:
    headers = re.findall(r'<th scope="col">(.*?)</th>', html, re.S)
    return next(i for i, h in enumerate(headers) if WORKLOAD in h) - 1


def test_the_mean_scores_of_released_answers_per_unit(pulse, enhet_a):
    counts = BY_KEY["puls_arbetsbelastning"].compute(pulse)[enhet_a.pk]
    # The open round's answer is not counted; the answers are what disclosure counts.
    assert (counts.numerator, counts.denominator, counts.headcount) == (12, 6, 6)
    assert BY_KEY["puls_kvar"].compute(pulse)[enhet_a.pk].numerator == 30
    fact = QuarterFact.objects.get(unit=enhet_a, quarter=pulse.start, indicator="puls_stod")
    assert (fact.numerator, fact.denominator, fact.people, fact.values) == (24, 6, 6, [])
    assert BY_KEY["puls_stod"].figure(numerator=24, denominator=6, values=[]) == Decimal("4.0")
    assert {i.key for i in PULSE_INDICATORS} == {"puls_arbetsbelastning", "puls_stod", "puls_kvar"}


def test_the_municipal_page_shows_and_hides_as_the_pulse_results_page(kommunadmin, enhet_a, pulse):
    html = _page(kommunadmin, pulse)
    column = _column(html)
    assert _row(html, enhet_a.name)[column] == "2,0"
    assert _row(html, "Liten enhet")[column].startswith("–")  # 3 answers
    assert _row(html, "Mellanenheten")[column].startswith("–")  # its complement
    assert _row(html, "Totalt: Kommun A")[column] == "2,8"  # (12 + 15 + 12) / 14
    # The results page hides the same units and prints the same means.
    (table,) = [
        t for t in pulse_selectors.results_for(kommunadmin).tables if t.period_start == pulse.start
    ]
    figures = {item.name: item.figure for item in table.units}
    assert {name for name, figure in figures.items() if figure.hidden} == {
        "Liten enhet",
        "Mellanenheten",
    }
    assert figures[enhet_a.name].workload == 2.0
    assert table.total.workload == 2.8


def test_county_and_nation_show_municipalities_that_pass(lanssamordnare, nationell, pulse):
    html = _page(lanssamordnare, pulse)
    column = _column(html)
    assert _row(html, "Kommun A")[column] == "2,8"
    assert _row(html, "Kommun B")[column].startswith("–")  # 2 answers
    assert _row(html, "Kommun D")[column].startswith("–")  # its complement
    html = _page(nationell, pulse)
    assert _row(html, "Norrbottens län")[_column(html)] == "3,0"


def _texts(user, quarter) -> list[str]:
    client = _client(user)
    texts = [_page(user, quarter)]
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("followup:export", args=[fmt]), {"kvartal": quarter.slug})
        assert response.status_code == 200
        if fmt == "csv":
            texts.append(response.content.decode("utf-8-sig"))
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            texts.append(repr([[c.value for c in row] for row in sheet.iter_rows()]))
    return texts


def test_comments_never_leave_the_municipality(
    kommunadmin, lanssamordnare, nationell, pulse, kommun_a
):
    assert PulseAnswer.objects.filter(comment=SECRET).count() == 9
    for user in (lanssamordnare, nationell, kommunadmin):
        for text in _texts(user, pulse):
            assert SECRET not in text
    # The facts every page and export reads hold counts and score sums only.
    for fact in QuarterFact.objects.filter(indicator__startswith="puls_"):
        assert fact.values == []
    # The county's CSV carries the pulse figure itself.
    body = _texts(lanssamordnare, pulse)[1]
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    column = next(i for i, h in enumerate(rows[0]) if WORKLOAD in h)
    by_name = {row[2]: row for row in rows[1:] if len(row) > 2}
    assert by_name["Kommun A"][column] == "2,8"
    assert by_name["Kommun B"][column].startswith("–")
