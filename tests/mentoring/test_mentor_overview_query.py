""" "Mina adepter" at scale (issue 23): the sessions per mentorship are counted by a subquery,
not by joining every session row to the mentorships and grouping them (which also evaluated the
knowledge-check subqueries once per session row). The figures stay the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.selectors import mentorship as selectors
from tests.mentoring.factories import MentorshipFactory, SessionFactory, person

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
