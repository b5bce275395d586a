""" "Mina adepter" at scale (issue 23): the sessions per mentorship are counted by a subquery,
not by joining every session row to the mentorships and grouping them (which also evaluated the
knowledge-check subqueries once per session row). The figures stay the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from core.links import pk_url
from mentoring.models import Mentorship
from mentoring.selectors import mentorship as selectors
from people.models import Role
from tests.factories import MembershipFactory, UnitFactory
from tests.mentoring.factories import (
    MentorshipFactory,
    SessionFactory,
    mentor_in,
    person,
)

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_sessions_are_counted_without_joining_them(mentor, enhet_a):
    busy = MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Ada Adept"))
    for days in (40, 20, 5):
        SessionFactory(mentorship=busy, date=TODAY - datetime.timedelta(days=days))
    MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Bo Adept"))

    with CaptureQueriesContext(connection) as queries:
        summaries = selectors.mentees_for_mentor(mentor)

    assert [
        (s.mentorship.mentee.full_name, s.session_count, s.last_session) for s in summaries
    ] == [
        ("Ada Adept", 3, TODAY - datetime.timedelta(days=5)),
        ("Bo Adept", 0, None),
    ]
    [main] = [q["sql"] for q in queries if 'FROM "mentoring_mentorship"' in q["sql"]]
    assert 'JOIN "mentoring_supervisionsession"' not in main


# --------------------------------------------------------------------------------------------
# Session 31 of issue 23: one query, compiled once per process, the mentee's start date in SQL
# --------------------------------------------------------------------------------------------
def _add_membership(user, unit, role, *, days_ago):
    MembershipFactory(
        user=user, unit=unit, role=role, start_date=TODAY - datetime.timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_the_check_in_rhythm_is_the_reminders_own_from_one_query(mentor, enhet_a, kommun_a):
    """What the overview's "next check-in" is computed from changed: the mentee's start date
    comes from SQL with the mentorships instead of their membership rows in Python. It must
    be what the reminders use (`frequency_days`, over the memberships) in every case the rule
    has: a new hire's earliest new-hire start even when another role started earlier, the
    earliest start of any role when none is a new hire's, and the pair's own plan first."""
    second = UnitFactory(organisation=kommun_a, name="Enhet två")
    # A new hire for 3 weeks (weekly), with an older colleague membership elsewhere (which
    # would give monthly): the new-hire start wins.
    hire = person(enhet_a, full_name="Ada", start=TODAY - datetime.timedelta(days=21))
    _add_membership(hire, second, Role.SOCIAL_SECRETARY, days_ago=400)
    # No new-hire membership: the earliest of the others (100 days: every other week).
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY, full_name="Bo")
    _add_membership(colleague, second, Role.SOCIAL_SECRETARY, days_ago=100)
    # Two new-hire memberships: the earlier (300 days: monthly).
    twice = person(enhet_a, full_name="Cy", start=TODAY - datetime.timedelta(days=10))
    _add_membership(twice, second, Role.NEW_HIRE, days_ago=300)
    planned = person(enhet_a, full_name="Di")
    mentorships = [
        MentorshipFactory(mentor=mentor, mentee=hire),
        MentorshipFactory(mentor=mentor, mentee=colleague),
        MentorshipFactory(mentor=mentor, mentee=twice),
        MentorshipFactory(mentor=mentor, mentee=planned, planned_frequency_days=10),
    ]
    SessionFactory(mentorship=mentorships[0], date=TODAY - datetime.timedelta(days=2))

    with CaptureQueriesContext(connection) as queries:
        summaries = selectors.mentees_for_mentor(mentor)
        figures = [(s.frequency_days, s.next_due) for s in summaries]

    assert len(queries) == 1  # the memberships were a second query
    expected = []
    for mentorship in mentorships:
        mentorship = Mentorship.objects.get(pk=mentorship.pk)
        days = selectors.frequency_days(mentorship, on=TODAY)
        last = mentorship.sessions.order_by("-date").values_list("date", flat=True).first()
        expected.append((days, (last or mentorship.start_date) + datetime.timedelta(days=days)))
    assert figures == expected
    assert [f[0] for f in figures] == [7, 14, 30, 10]


@pytest.mark.django_db
def test_each_mentor_gets_their_own_rows_from_the_compiled_query(mentor, enhet_a, enhet_b):
    """Compiled once per process with the mentor's id as its only request parameter: a second
    mentor's request reuses it and sees only their own mentees."""
    other = mentor_in(enhet_b, full_name="Annan Mentor")
    MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Ada Adept"))
    MentorshipFactory(mentor=other, mentee=person(enhet_b, full_name="Bo Adept"))
    MentorshipFactory(
        mentor=other,
        mentee=person(enhet_b, full_name="Cy Adept"),
        status=Mentorship.Status.ENDED,
        end_date=TODAY,
    )

    first = selectors.mentees_for_mentor(mentor)
    compiled = dict(selectors._MENTEES._templates)
    second = selectors.mentees_for_mentor(other)

    assert compiled and selectors._MENTEES._templates == compiled  # not compiled again
    assert all(isinstance(entry, tuple) for entry in compiled.values())  # compiled, not per call
    assert [s.mentorship.mentee.get_full_name() for s in first] == ["Ada Adept"]
    assert [s.mentorship.mentee.get_full_name() for s in second] == ["Bo Adept"]
    assert second[0].mentorship.mentor == other


@pytest.mark.django_db
def test_the_overview_links_and_labels_are_the_views_own(client, mentor, enhet_a):
    """The page's links come from core.links.pk_url (reversed once) and its session counts
    from the summary: the same URLs as reverse() and the same words, in English too."""
    active = MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Ada Adept"))
    for days in (9, 2):
        SessionFactory(mentorship=active, date=TODAY - datetime.timedelta(days=days))
    proposed = MentorshipFactory(
        mentor=mentor, mentee=person(enhet_a, full_name="Bo Adept"), status="proposed"
    )
    client.force_login(mentor)

    body = client.get(reverse("mentoring:my_mentees")).content.decode()
    mentor.preferred_language = "en"
    mentor.save(update_fields=["preferred_language"])
    english = client.get(reverse("mentoring:my_mentees")).content.decode()

    for url in (
        reverse("mentoring:mentorship", args=[active.pk]),
        reverse("mentoring:log_session", args=[active.pk]),
        reverse("mentoring:mentorship", args=[proposed.pk]),
        reverse("mentoring:respond", args=[proposed.pk]),
    ):
        assert f'href="{url}"' in body
    assert "<li>2 samtal</li>" in body and "<li>0 samtal</li>" in body
    with translation.override("sv"):
        labels = [s.session_count_label for s in selectors.mentees_for_mentor(mentor)]
    assert labels == [
        "2 samtal",
        "0 samtal",
    ]
    assert "<li>2 conversations</li>" in english and "<li>0 conversations</li>" in english


def test_pk_url_is_reverse_for_any_key_and_falls_back_for_other_patterns():
    for name in ("mentoring:mentorship", "mentoring:log_session", "mentoring:respond"):
        for pk in (1, 7, 2_147_483_629, 10**12):
            assert pk_url(name, pk) == reverse(name, args=[pk])
    # Not one integer key followed by a slash: reverse() as always, errors included.
    with pytest.raises(NoReverseMatch):
        pk_url("mentoring:mentorship", -1)
    with pytest.raises(NoReverseMatch):
        pk_url("mentoring:my_mentees", 3)


@pytest.mark.django_db
def test_built_per_request_the_rows_are_the_compiled_ones(mentor, enhet_a):
    """Where the query cannot be compiled once (it depends on more than the mentor), it is
    built for each request: the same rows, converted the same way."""
    busy = MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Ada Adept"))
    SessionFactory(mentorship=busy, date=TODAY - datetime.timedelta(days=4))
    MentorshipFactory(mentor=mentor, mentee=person(enhet_a, full_name="Bo Adept"))
    compiled = selectors._mentee_rows(mentor.pk)
    built = list(selectors._mentees_query(mentor.pk))
    assert built == compiled
    assert [(r["mentee__full_name"], r["session_count"], r["last_session"]) for r in built] == [
        ("Ada Adept", 1, TODAY - datetime.timedelta(days=4)),
        ("Bo Adept", 0, None),
    ]
