"""Results per unit and municipality per quarter through disclosure control: a unit with fewer
than 5 answers is hidden, and so is the next-smallest unit when the municipality's total is
printed; only closed rounds count; comments only for the municipal admin, grouped, never for a
group under 5 answers; scoping and the page's query count."""

import pytest
from django.urls import reverse

from core.disclosure import MIN_N
from people.models import Role
from pulse import selectors, services
from pulse.models import PulseInvitation
from tests.factories import UnitFactory
from tests.mentoring.factories import person
from tests.pulse.conftest import open_round_for, released_answers
from tests.queries import exact_queries


@pytest.fixture
def units(enhet_a, kommun_a):
    """enhet_a small (3 answers), two larger units (12 and 8) in the same municipality."""
    return {
        "small": enhet_a,
        "large": UnitFactory(organisation=kommun_a, name="Försörjningsstöd"),
        "middle": UnitFactory(organisation=kommun_a, name="Familjerätt"),
    }


@pytest.fixture
def answered(units, last_quarter):
    released_answers(units["small"], 3, period=last_quarter, scores=(1, 1, 1), comment="Liten")
    released_answers(units["large"], 12, period=last_quarter, scores=(4, 3, 5), comment="Stor")
    released_answers(units["middle"], 8, period=last_quarter, scores=(2, 2, 2))
    return last_quarter


def table_for(page, period):
    return next(table for table in page.tables if table.period_start == period)


def by_name(table):
    return {item.name: item.figure for item in table.units}


@pytest.mark.django_db
def test_a_small_unit_and_its_complement_are_hidden_the_rest_and_the_total_shown(
    kommunadmin, units, answered
):
    table = table_for(selectors.results_for(kommunadmin), answered)
    figures = by_name(table)
    assert figures[units["small"].name].hidden
    assert figures[units["middle"].name].hidden  # else it would be the total minus the rest
    assert figures[units["large"].name] == selectors.Figure(n=12, workload=4, support=3, stay=5)
    assert table.total.n == 23
    assert table.total.workload == round((3 * 1 + 12 * 4 + 8 * 2) / 23, 1)


@pytest.mark.django_db
def test_answers_of_an_open_round_do_not_count(
    kommunadmin, ny, mentor, chef, enhet_a, this_quarter
):
    round_ = open_round_for((ny, enhet_a), (mentor, enhet_a), (chef, enhet_a))
    for user in (ny, mentor, chef):
        services.answer_pulse(
            user,
            invitation=PulseInvitation.objects.get(round=round_, person=user),
            workload=3,
            support=3,
            stay=3,
        )
    released_answers(enhet_a, MIN_N - 3, period=this_quarter)
    assert table_for(selectors.results_for(kommunadmin), this_quarter).total.n is None  # 2
    services.close_due_rounds(round_.closes_on)
    assert table_for(selectors.results_for(kommunadmin), this_quarter).total.n == MIN_N


@pytest.mark.django_db
def test_the_manager_sees_own_units_with_the_same_suppression_no_total_no_comments(
    client, chef, units, answered
):
    other_chef = person(units["large"], Role.MANAGER)
    page = selectors.results_for(other_chef)
    table = table_for(page, answered)
    assert [item.name for item in table.units] == [units["large"].name]
    assert table.units[0].figure.n == 12
    assert table.total is None and table.comment_groups == []
    assert not page.sees_comments
    mine = table_for(selectors.results_for(chef), answered)
    assert [item.figure.hidden for item in mine.units] == [True]
    client.force_login(other_chef)
    body = client.get(reverse("pulse:results")).content.decode()
    assert "Stor" not in body and "Hela kommunen" not in body


@pytest.mark.django_db
def test_comments_are_grouped_and_never_shown_for_fewer_than_five(
    client, kommunadmin, units, answered
):
    table = table_for(selectors.results_for(kommunadmin), answered)
    groups = {group.name: group for group in table.comment_groups}
    assert set(groups) == {units["large"].name}  # small (3) pooled alone stays under 5
    assert groups[units["large"].name].comments == ["Stor"] * 12
    client.force_login(kommunadmin)
    body = client.get(reverse("pulse:results")).content.decode()
    assert "Stor" in body and "Liten" not in body

    # Two small units together reach five: their comments show, as "other units".
    other_small = UnitFactory(organisation=units["small"].organisation, name="Mottagning")
    released_answers(other_small, 2, period=answered, comment="Också liten")
    table = table_for(selectors.results_for(kommunadmin), answered)
    groups = {group.name: group for group in table.comment_groups}
    assert groups[str(selectors.OTHER_UNITS)].n == 5
    assert (
        sorted(groups[str(selectors.OTHER_UNITS)].comments) == ["Liten"] * 3 + ["Också liten"] * 2
    )


@pytest.mark.django_db
def test_other_municipalities_see_none_of_it(kommunadmin_b, utomstaende, answered, units):
    page = selectors.results_for(kommunadmin_b)
    assert page.organisation == utomstaende.memberships.first().organisation
    assert all(table.total.n == 0 for table in page.tables)
    assert units["large"].name not in {item.name for t in page.tables for item in t.units}


@pytest.mark.django_db
def test_people_without_the_role_get_a_404(client, ny, mentor, redaktor, utomstaende):
    for user in (ny, mentor, redaktor, utomstaende):
        client.force_login(user)
        assert client.get(reverse("pulse:results")).status_code == 404


@pytest.mark.django_db
def test_municipality_figures_suppress_across_municipalities(kommun_a, kommun_b, this_quarter):
    big = UnitFactory(organisation=kommun_a)
    small = UnitFactory(organisation=kommun_b)
    third = UnitFactory()
    released_answers(big, 20, period=this_quarter)
    released_answers(small, 2, period=this_quarter)
    released_answers(third, 9, period=this_quarter)
    ids = [kommun_a.pk, kommun_b.pk, third.organisation_id]
    figures = selectors.municipality_figures(ids, periods=[this_quarter])[this_quarter]
    assert figures[kommun_b.pk].hidden and figures[third.organisation_id].hidden
    assert figures[kommun_a.pk].n == 20


# session, user, memberships, the municipality, its units, the answers' sums, the comments,
# and the base template's three page-tree lookups.
RESULTS_PAGE_QUERIES = 7  # before the cached chrome (issue 23): 10


@pytest.mark.django_db
def test_the_results_page_runs_the_same_queries_for_little_and_much_data(
    client, kommunadmin, units, last_quarter, kommun_a
):
    client.force_login(kommunadmin)
    url = reverse("pulse:results")
    released_answers(units["large"], 5, period=last_quarter, comment="En")
    client.get(url)
    with exact_queries(RESULTS_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(50):
        unit = UnitFactory(organisation=kommun_a, name=f"Enhet {n}")
        released_answers(unit, 6, period=last_quarter, comment=f"Kommentar {n}")
    with exact_queries(RESULTS_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert "Kommentar 49" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("sv", "K"), ("en", "Q")])
def test_a_quarter_is_named_as_follow_up_names_it(kommunadmin, answered, language, word):
    """One way to write a quarter: the pulse results once said "2026 kvartal 3" beside
    follow-up's "2026 K3"."""
    from django.utils import translation

    from followup.indicators import Quarter

    table = table_for(selectors.results_for(kommunadmin), answered)
    with translation.override(language):
        label = table.label
        assert label == Quarter.of(answered).label
    assert f"{word}{Quarter.of(answered).number}" in label
