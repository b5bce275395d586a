"""The follow-up pages and exports: who sees which area (404 outside it), disclosure control on
the page, in CSV and in XLSX (a small unit's figure appears nowhere), exports in the audit log,
cooperation groups, and a constant number of queries."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from followup import services
from followup.models import CooperationGroup
from mentoring.models import Mentorship
from people.audit import describe, details_text
from people.models import AuditEvent, Role
from tests import cast, replay
from tests.factories import OrganisationFactory, UnitFactory
from tests.followup.conftest import day_in, hires
from tests.mentoring.factories import person
from tests.queries import exact_queries

pytestmark = pytest.mark.django_db

MENTOR_COLUMN = "Mentor inom 4 veckor från start"


def _with_mentors(unit, previous, *, count: int, mentored: int, name_prefix="fu"):
    """`count` new hires who started in the last quarter, `mentored` of them with a mentor
    within a week."""
    mentor = person(unit, Role.MENTOR, start=day_in(previous, -3000))
    people = hires(unit, count, start=day_in(previous, 5))
    for mentee in people[:mentored]:
        Mentorship.objects.create(
            mentor=mentor,
            mentee=mentee,
            organisation=unit.organisation,
            status=Mentorship.Status.ACTIVE,
            start_date=day_in(previous, 8),
        )
    return people


def _build_figures(previous) -> dict:
    """Kommun A: a big unit (6 hires, 5 mentored: 83 %), a middling one (5, 2: 40 %) and a
    small one (2, 1: 50 %). Kommun B (Skåne): 2 hires, 1 mentored. Kommun D (Skåne): 6, 3.
    Kommun C in another county: 5, 5."""
    kommun_a, kommun_b = cast.kommun_a(), cast.kommun_b()
    enhet_a = cast.enhet_a(kommun_a)
    _with_mentors(enhet_a, previous, count=6, mentored=5)
    _with_mentors(
        UnitFactory(organisation=kommun_a, name="Mellanenheten"), previous, count=5, mentored=2
    )
    _with_mentors(
        UnitFactory(organisation=kommun_a, name="Liten enhet"), previous, count=2, mentored=1
    )
    _with_mentors(UnitFactory(organisation=kommun_b, name="Lilla B"), previous, count=2, mentored=1)
    kommun_d = OrganisationFactory(name="Kommun D", county="Skåne län")
    _with_mentors(UnitFactory(organisation=kommun_d, name="Stora D"), previous, count=6, mentored=3)
    kommun_c = OrganisationFactory(name="Kommun C", county="Norrbottens län")
    _with_mentors(UnitFactory(organisation=kommun_c, name="Norr"), previous, count=5, mentored=5)
    services.refresh_quarter_facts()
    return {"kommun_a": kommun_a, "kommun_b": kommun_b, "enhet_a": enhet_a}


def _figures_key(previous) -> str:
    return f"followup-figures-{previous.slug}"


@pytest.fixture
def _figures_world(db, previous):
    """The figures' municipalities, units, 32 people and their quarter facts: built once per
    test process and replayed after (tests/replay.py), as the access matrix's world. Building
    them took ~1.4 s of each of the 24 tests that read figures. The people a test names
    (kommunadmin, lanssamordnare...) are made for each test, in the replayed municipalities
    (kommun_a, kommun_b and enhet_a below), after the facts, which count unit staff who started
    in the previous quarter only."""
    return replay.build_once(_figures_key(previous), lambda: _build_figures(previous))


# With figures, the conftest's municipalities and unit are the replayed ones; without, made as
# the conftest makes them (a test that counts queries builds its own data on an empty
# municipality).
@pytest.fixture
def kommun_a(request, db):
    if "figures" in request.fixturenames:
        return request.getfixturevalue("_figures_world")["kommun_a"]
    return cast.kommun_a()


@pytest.fixture
def kommun_b(request, db):
    if "figures" in request.fixturenames:
        return request.getfixturevalue("_figures_world")["kommun_b"]
    return cast.kommun_b()


@pytest.fixture
def enhet_a(request, kommun_a):
    if "figures" in request.fixturenames:
        return request.getfixturevalue("_figures_world")["enhet_a"]
    return cast.enhet_a(kommun_a)


@pytest.fixture
def figures(_figures_world, previous):
    return previous


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _page(user, **params):
    return _client(user).get(reverse("followup:overview"), params)


def _row(html: str, name: str) -> list[str]:
    """The cells of the table row headed `name`, as text."""
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
    return next(i for i, h in enumerate(headers) if MENTOR_COLUMN in h) - 1


def _no_figure(cells) -> bool:
    return not any(re.search(r"\d", cell.replace("färre än 5", "")) for cell in cells)


# --------------------------------------------------------------------------------------------
# Who sees what
# --------------------------------------------------------------------------------------------
def test_municipal_admin_sees_own_municipality_per_unit_and_in_total(
    kommunadmin, kommun_b, figures
):
    # The figures are recorded for replay (or 24 tests build them anew), and the test's people
    # are made in the replayed municipality.
    assert not replay.ENABLED or replay.replayable(_figures_key(figures))
    kommun_a = kommunadmin.memberships.get().organisation
    assert kommun_a.units.count() == 3 and kommun_a.name == "Kommun A"
    response = _page(kommunadmin, kvartal=figures.slug)
    assert response.status_code == 200
    html = response.content.decode()
    column = _column(html)
    assert _row(html, "Barn och unga – utredning")[column] == "83"
    assert _row(html, "Totalt: Kommun A")[column] == "62"  # 8 of 13
    # The small unit (2 people) and, so that it cannot be had from the total, the next
    # smallest (5 people) are hidden.
    assert _row(html, "Liten enhet")[column].startswith("–")
    assert _row(html, "Mellanenheten")[column].startswith("–")
    assert "färre än 5" in html
    assert (
        _client(kommunadmin)
        .get(reverse("followup:overview"), {"omrade": f"kommun-{kommun_b.pk}"})
        .status_code
        == 404
    )


def test_a_small_units_figures_appear_nowhere_on_the_page(kommunadmin, figures):
    html = _page(kommunadmin, kvartal=figures.slug).content.decode()
    assert _no_figure(_row(html, "Liten enhet"))


@pytest.mark.parametrize(
    "area", ["riket", "lan-{skane}", "lan-{norr}", "kommun-{b}", "kommun-999999"]
)
def test_municipal_admin_gets_404_outside_the_municipality(kommunadmin, kommun_b, figures, area):
    from people.models import County

    slug = area.format(
        skane=County.objects.get(name="Skåne län").pk,
        norr=County.objects.get(name="Norrbottens län").pk,
        b=kommun_b.pk,
    )
    assert _page(kommunadmin, omrade=slug).status_code == 404


def test_county_coordinator_sees_the_countys_municipalities_and_nothing_else(
    lanssamordnare, kommun_a, figures
):
    from people.models import County

    html = _page(lanssamordnare, kvartal=figures.slug).content.decode()
    column = _column(html)
    assert "Skåne län" in html
    assert _row(html, "Kommun A")[column] == "62"
    assert _no_figure(_row(html, "Kommun B"))  # 2 people
    assert _no_figure(_row(html, "Kommun D"))  # its complement
    assert "Kommun C" not in html
    assert "Barn och unga" not in html  # no units, no people
    assert "@example.org" not in html.replace("lanssamordnare@example.org", "")
    norr = County.objects.get(name="Norrbottens län")
    for slug in (f"lan-{norr.pk}", "riket", f"kommun-{kommun_a.pk}"):
        assert _page(lanssamordnare, omrade=slug).status_code == 404


def test_national_follow_up_sees_counties_and_municipalities_figure_by_figure(nationell, figures):
    html = _page(nationell, kvartal=figures.slug).content.decode()
    column = _column(html)
    assert _row(html, "Skåne län")[column] == "57"  # 12 of 21
    assert _row(html, "Norrbottens län")[column] == "100"
    assert _row(html, "Totalt: Hela landet")[column] == "65"  # 17 of 26
    listed = html.split('id="kommuner"')[1]
    assert _row(listed, "Kommun A")[column] == "62"  # 8 of 13, as on the county page
    assert _row(listed, "Kommun C")[column] == "100"
    # Kommun B's 2 people are hidden, and Kommun D's figure as its complement within the
    # county (Skåne's total is published); a municipality with nothing to show is not listed.
    for small in ("Kommun B", "Kommun D"):
        if f"{small}</th>" in listed:
            assert _no_figure([_row(listed, small)[column]])
    assert "Liten enhet" not in html


@pytest.mark.parametrize("who", ["ny", "mentor", "chef", "redaktor", "utomstaende"])
def test_everyone_else_gets_a_404(request, who, figures):
    user = request.getfixturevalue(who)
    assert _page(user).status_code == 404
    assert _client(user).get(reverse("followup:export", args=["csv"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get(reverse("followup:overview"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_bad_quarter_or_format_is_not_an_error(kommunadmin, figures):
    assert _page(kommunadmin, kvartal="2020-K9").status_code == 200
    assert _page(kommunadmin, kvartal="9999-K1").status_code == 200
    assert _client(kommunadmin).get(reverse("followup:export", args=["doc"])).status_code == 404


# --------------------------------------------------------------------------------------------
# Exports: the same disclosure, and logged
# --------------------------------------------------------------------------------------------
def _export(user, fmt, **params):
    response = _client(user).get(reverse("followup:export", args=[fmt]), params)
    assert response.status_code == 200
    return response


def test_csv_export_hides_the_small_unit_and_is_audited(kommunadmin, kommun_a, figures):
    body = _export(kommunadmin, "csv", kvartal=figures.slug).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    column = next(i for i, h in enumerate(rows[0]) if MENTOR_COLUMN in h)
    by_name = {row[2]: row for row in rows[1:] if len(row) > 2}
    assert by_name["Barn och unga – utredning"][column] == "83"
    assert _no_figure(by_name["Liten enhet"][3:])
    event = AuditEvent.objects.get(organisation=kommun_a, object_type="followup.area")
    assert event.actor == kommunadmin
    assert event.action == "export"


def test_xlsx_export_hides_the_small_unit(kommunadmin, figures):
    body = _export(kommunadmin, "xlsx", kvartal=figures.slug).content
    sheet = load_workbook(io.BytesIO(body)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_name = {row[2]: row for row in rows[1:] if row[2]}
    assert _no_figure([str(value) for value in by_name["Liten enhet"][3:]])
    assert "83" in by_name["Barn och unga – utredning"]


def test_county_export_is_logged_in_every_municipality_of_the_county(
    lanssamordnare, kommun_a, kommun_b, figures
):
    _export(lanssamordnare, "pdf", kvartal=figures.slug)
    logged = set(
        AuditEvent.objects.filter(object_type="followup.area").values_list(
            "organisation__name", flat=True
        )
    )
    assert logged == {"Kommun A", "Kommun B", "Kommun D"}


def test_pdf_is_one_page(lanssamordnare, figures):
    body = _export(lanssamordnare, "pdf", kvartal=figures.slug).content
    assert body.startswith(b"%PDF")
    assert re.findall(rb"/Count (\d+)", body) == [b"1"]


# --------------------------------------------------------------------------------------------
# Cooperation groups (samverkansgrupper)
# --------------------------------------------------------------------------------------------
def test_coordinator_groups_small_municipalities_and_the_group_shows_when_safe(
    lanssamordnare, kommun_b, figures
):
    from people.models import Organisation

    kommun_d = Organisation.objects.get(name="Kommun D")
    client = _client(lanssamordnare)
    response = client.post(
        reverse("followup:group_new"),
        {"name": "Sydost", "organisations": [kommun_b.pk, kommun_d.pk]},
    )
    assert response.status_code == 302
    group = CooperationGroup.objects.get(name="Sydost")
    html = _page(lanssamordnare, kvartal=figures.slug).content.decode()
    # B and D are hidden one by one, but together (8 people) they say no more than the
    # county total minus Kommun A: 4 of 8.
    assert _row(html, "Sydost")[_column(html)] == "50"
    assert client.get(reverse("followup:group_edit", args=[group.pk])).status_code == 200


def test_a_group_that_would_reveal_a_hidden_municipality_is_hidden(
    lanssamordnare, kommun_a, kommun_b, figures
):
    kommun_a.refresh_from_db()
    kommun_b.refresh_from_db()
    services.save_cooperation_group(
        lanssamordnare, county=kommun_a.county_area, name="Väst", organisations=[kommun_a, kommun_b]
    )
    html = _page(lanssamordnare, kvartal=figures.slug).content.decode()
    # A is shown, B is hidden, D (outside the group) is hidden: the group would give B.
    assert _row(html, "Väst")[_column(html)].startswith("–")


def test_groups_are_the_coordinators_only(kommunadmin, lanssamordnare, kommun_a, kommun_c, figures):
    kommun_a.refresh_from_db()
    group = services.save_cooperation_group(
        lanssamordnare,
        county=kommun_a.county_area,
        name="Grupp",
        organisations=[kommun_a, *type(kommun_a).objects.filter(name="Kommun B")],
    )
    for url in (reverse("followup:groups"), reverse("followup:group_edit", args=[group.pk])):
        assert _client(kommunadmin).get(url).status_code == 404
    # A municipality of another county is not among the choices: a form error, nothing saved.
    response = _client(lanssamordnare).post(
        reverse("followup:group_new"), {"name": "Fel", "organisations": [kommun_c.pk]}
    )
    assert response.status_code == 200
    assert not CooperationGroup.objects.filter(name="Fel").exists()


# --------------------------------------------------------------------------------------------
# A constant number of queries
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("units", [1, 6])
def test_the_page_runs_a_constant_number_of_queries(kommunadmin, kommun_a, previous, units):
    for number in range(units):
        _with_mentors(
            UnitFactory(organisation=kommun_a, name=f"Enhet {number}"),
            previous,
            count=5,
            mentored=3,
        )
    services.refresh_quarter_facts()
    client = _client(kommunadmin)
    with exact_queries(sqlite=13, postgresql=13):
        response = client.get(reverse("followup:overview"), {"kvartal": previous.slug})
    assert response.status_code == 200


@pytest.mark.parametrize("counties", [1, 4])
def test_the_national_page_runs_a_constant_number_of_queries(nationell, previous, counties):
    for number in range(counties):
        organisation = OrganisationFactory(name=f"Kommun {number}", county=f"Län {number}")
        _with_mentors(
            UnitFactory(organisation=organisation, name="Enheten"), previous, count=5, mentored=3
        )
    services.refresh_quarter_facts()
    client = _client(nationell)
    with exact_queries(sqlite=16, postgresql=16):
        response = client.get(reverse("followup:overview"), {"kvartal": previous.slug})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "line", "not_there"),
    [
        ("sv", "Uppföljning som CSV: Kommun A, {year} K{number}", "Q"),
        ("en", "Follow-up as CSV: Kommun A, Q{number} {year}", "Uppföljning"),
    ],
)
def test_an_export_line_reads_in_the_readers_language(
    kommunadmin, kommun_a, figures, previous, language, line, not_there
):
    """Issue 17: the export's note was a Swedish-only f-string."""
    _export(kommunadmin, "csv", kvartal=figures.slug)
    event = AuditEvent.objects.get(organisation=kommun_a, object_type="followup.area")
    with translation.override(language):
        text = details_text(event)
        assert text == line.format(year=previous.year, number=previous.number)
        assert not_there not in text
        assert "followup.area" not in describe(event)


def test_the_nations_export_names_the_nation_in_the_readers_language(
    nationell, kommun_a, figures, previous
):
    _export(nationell, "csv", kvartal=figures.slug, omrade="riket")
    event = AuditEvent.objects.filter(object_type="followup.area").first()
    with translation.override("en"):
        assert "The whole country" in details_text(event)
    with translation.override("sv"):
        assert "Hela landet" in details_text(event)
