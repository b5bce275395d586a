"""Matching (issue 18): the run page lists everyone without a mentor who got no proposal, and
why, by start date and only with a plausible start date; a second run agrees with Mitt team on
who has no mentor (both read mentoring.selectors.mentored); the proposed mentor sees what they
need to decide."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.dates import format_date
from mentoring import matching, services
from mentoring.models import MatchingRun, MatchProposal, Mentorship, Specialisation
from mentoring.selectors import NO_PROPOSAL_REASONS
from mentoring.services import save_mentee_needs
from people.models import Role
from people.services import add_membership
from tests.factories import UnitFactory
from tests.mentoring.factories import MentorshipFactory, mentor_in, person
from tests.mentoring.test_case_views import assert_constant

DAY = datetime.timedelta(days=1)
WHY = {key: str(label) for key, label in NO_PROPOSAL_REASONS.items()}


def _run_page(client, admin, scope) -> str:
    client.force_login(admin)
    response = client.post(reverse("mentoring:matching"), {"scope": scope})
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def _listed(body: str) -> list[tuple[str, str]]:
    """(name, reason) per row of the run page's "no proposal" table, in order."""
    table = body.split("Fick inget förslag", 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        rows.append((cells[0], cells[3]))
    return rows


@pytest.mark.django_db
def test_run_page_lists_who_got_no_proposal_and_why_by_start_date(
    client, kommunadmin, kommun_a, enhet_a
):
    today = timezone.localdate()
    other_unit = UnitFactory(organisation=kommun_a, name="Barn och unga – insats")
    mentor = mentor_in(enhet_a, capacity=1, full_name="Mia Mentor")
    busy = mentor_in(enhet_a, capacity=1, full_name="Mats Mentor")
    person(enhet_a, full_name="Ada Ahl", start=today - 10 * DAY)  # same unit: gets Mia
    person(other_unit, full_name="Ben Berg", start=today - 20 * DAY)  # no place left
    cai = person(other_unit, full_name="Cai Carlsson", start=today - 40 * DAY)
    MentorshipFactory(mentor=mentor, mentee=cai, status=Mentorship.Status.DECLINED)
    MentorshipFactory(mentor=busy, mentee=cai, status=Mentorship.Status.DECLINED)
    eli = person(other_unit, full_name="Eli Ek", start=today - 5 * DAY)
    MentorshipFactory(mentor=busy, mentee=eli, status=Mentorship.Status.PROPOSED)
    # Started four years ago (or a mistyped year): not a new hire waiting for a mentor.
    person(other_unit, full_name="Dag Dahl", start=today - 4 * 365 * DAY)

    body = _run_page(client, kommunadmin, f"o{kommun_a.pk}")

    assert "Ada Ahl – Mia Mentor" in body
    assert _listed(body) == [
        ("Cai Carlsson", WHY[matching.NoProposal.ALL_DECLINED]),
        ("Ben Berg", WHY[matching.NoProposal.NO_FREE_PLACE]),
        ("Eli Ek", WHY[matching.NoProposal.WAITING_FOR_ANSWER]),
    ]
    assert "Dag Dahl" not in body
    assert "ingen nyanställd utan mentor" not in body


@pytest.mark.django_db
def test_no_mentor_nearby_is_said_when_no_mentor_may_meet_them(
    client, kommunadmin_b, kommun_b, enhet_a, enhet_b
):
    mentor_in(enhet_a)  # another municipality, and does not take mentees from others
    fia = person(enhet_b, full_name="Fia Fors")
    body = _run_page(client, kommunadmin_b, f"o{kommun_b.pk}")
    assert _listed(body) == [("Fia Fors", WHY[matching.NoProposal.NO_MENTOR_NEARBY])]
    run = MatchingRun.objects.get(organisation=kommun_b)
    assert run.parameters["no_proposal"] == [[fia.pk, matching.NoProposal.NO_MENTOR_NEARBY]]


@pytest.mark.django_db
def test_the_second_run_and_mitt_team_agree_on_who_has_no_mentor(
    client, kommunadmin, kommun_a, enhet_a, chef
):
    mentor_in(enhet_a, capacity=2)
    person(enhet_a, full_name="Ada Ahl")
    person(enhet_a, full_name="Ben Berg")
    first = services.run_matching(kommunadmin, organisation=kommun_a)
    services.confirm_run(kommunadmin, run=first)  # two proposals now wait for an answer

    body = _run_page(client, kommunadmin, f"o{kommun_a.pk}")
    listed = {name for name, _why in _listed(body)}
    assert listed == {"Ada Ahl", "Ben Berg"}
    assert "ingen nyanställd utan mentor" not in body

    client.force_login(chef)
    team = client.get(reverse("team:overview")).context["team"]
    assert {m.name for m in team.members if m.is_new_hire and not m.mentor_name} == listed
    assert team.without_mentor == len(listed)


@pytest.mark.django_db
def test_the_proposed_mentor_sees_unit_start_date_wishes_and_reasons(
    client, kommunadmin, kommun_a, enhet_a
):
    today = timezone.localdate()
    heder = Specialisation.objects.get(code="hedersrelaterat-vald")
    mentor = mentor_in(enhet_a, full_name="Mia Mentor")
    hire = person(enhet_a, full_name="Ada Ahl", start=today - 10 * DAY)
    second = UnitFactory(organisation=kommun_a, name="Barn och unga – insats")
    add_membership(None, user=hire, role=Role.NEW_HIRE, unit=second, start_date=today)
    save_mentee_needs(
        hire, mentee=hire, wishes="Vill prata om placeringar.", specialisations=[heder]
    )
    run = services.run_matching(kommunadmin, organisation=kommun_a)
    (mentorship,) = services.confirm_run(kommunadmin, run=run)
    reasons = MatchProposal.objects.get(run=run).reasons
    assert reasons

    client.force_login(mentor)
    body = client.get(reverse("mentoring:respond", args=[mentorship.pk])).content.decode()
    assert "Barn och unga – insats, Barn och unga – utredning" in body
    with translation.override("sv"):
        assert format_date(today - 10 * DAY) in body
    assert "Vill prata om placeringar." in body and heder.name in body
    with translation.override("sv"):
        for reason in reasons:
            assert escape(matching.render_reason(reason)) in body
    assert "girig" not in body.lower()


# Exact (tests/queries.py): the run page with its "no proposal" list (one query), at 1 and at
# 30 people; a run without proposals reads no mentor choices.
RUN_PAGE_WITH_LIST_QUERIES = 6  # before the cached chrome (issue 23): 9
# The answer page for the proposed mentor, whatever the mentee's units and wishes.
RESPOND_PAGE_QUERIES = 8  # before the cached chrome (issue 23): 11


@pytest.mark.django_db
def test_run_page_lists_no_proposals_in_a_fixed_number_of_queries(
    client, kommunadmin, kommun_a, enhet_a
):
    first = person(enhet_a, full_name="Adept 0")
    run = services.run_matching(kommunadmin, organisation=kommun_a)  # no mentors at all
    assert run.parameters["no_proposal"] == [[first.pk, matching.NoProposal.NO_MENTOR_NEARBY]]

    def grow():
        hires = [person(enhet_a, full_name=f"Adept {n:02d}") for n in range(1, 30)]
        run.parameters["no_proposal"] += [[h.pk, matching.NoProposal.NO_FREE_PLACE] for h in hires]
        run.save(update_fields=["parameters"])

    client.force_login(kommunadmin)
    url = reverse("mentoring:run", args=[run.pk])
    assert_constant(client, url, grow, queries=RUN_PAGE_WITH_LIST_QUERIES)
    assert len(_listed(client.get(url).content.decode())) == 30


@pytest.mark.django_db
def test_respond_page_runs_a_fixed_number_of_queries(client, kommunadmin, kommun_a, enhet_a):
    mentor = mentor_in(enhet_a)
    hire = person(enhet_a, full_name="Ada Ahl")
    run = services.run_matching(kommunadmin, organisation=kommun_a)
    (mentorship,) = services.confirm_run(kommunadmin, run=run)

    def grow():
        for n in range(5):
            unit = UnitFactory(organisation=kommun_a, name=f"Enhet {n}")
            add_membership(None, user=hire, role=Role.NEW_HIRE, unit=unit, start_date=today())
        save_mentee_needs(
            hire, mentee=hire, wishes="Placeringar.", specialisations=Specialisation.objects.all()
        )

    client.force_login(mentor)
    url = reverse("mentoring:respond", args=[mentorship.pk])
    assert_constant(client, url, grow, queries=RESPOND_PAGE_QUERIES)
    assert "Enhet 4" in client.get(url).content.decode()


def today():
    return timezone.localdate()
