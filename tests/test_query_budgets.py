"""Query budgets (issue 10) on the scale data set: each of the four everyday pages runs no more
SQL queries for a person with a lot of data than for one with little, within its budget.

Factory-built variants of the same rule live next to each page's tests:
tests/learning/test_views.py (dashboard, module page), tests/team/test_overview.py ("Mitt team"
at 5 and 500 staff, at most 15 queries) and tests/mentoring/test_views.py ("Mina adepter").
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.models import Enrolment
from mentoring.models import OPEN_STATUSES
from people.models import Role, User
from team.management.commands.seed_scale import BIG_UNIT, BIG_UNIT_MANAGER, EMAIL_DOMAIN

# The budgets: the for "Mitt team", and today's counts. The learner pages read module
# deadlines only for enrolments with a due date (an onboarding plan's), so the new hire with
# little data may run one query more than the colleague with a lot, never the other way round.
BUDGETS = {"dashboard": 8, "module": 13, "team": 15, "mentor": 8}


def queries(client, user, path) -> int:
    client.force_login(user)
    assert client.get(path).status_code == 200  # warms the site and session caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def most_progress(*roles):
    return (
        User.objects.filter(email__endswith=EMAIL_DOMAIN, memberships__role__in=roles)
        .annotate(rows=Count("enrolments__progress"))
        .order_by("-rows", "pk")
        .first()
    )


@pytest.mark.django_db
def test_everyday_pages_run_the_same_queries_for_little_and_much_data(client):
    call_command("seed_scale", staff=300, stdout=None)
    few = User.objects.get(email="ny@example.org")  # the demo new hire: one course, one module
    many = most_progress(Role.SOCIAL_SECRETARY)
    assert Enrolment.objects.filter(user=many).count() == 3

    dashboard = reverse("learning:dashboard")
    small, large = queries(client, few, dashboard), queries(client, many, dashboard)
    assert large <= small <= BUDGETS["dashboard"], (small, large)

    small_module = few.enrolments.get().course.specific.modules().first()
    large_module = (
        many.enrolments.filter(course__slug__startswith="fordjupning")
        .first()
        .course.specific.modules()
        .last()
    )
    small = queries(client, few, small_module.url)
    large = queries(client, many, large_module.url)
    assert large <= small <= BUDGETS["module"], (small, large)

    team = reverse("team:overview")
    small_manager = User.objects.filter(
        email__endswith=EMAIL_DOMAIN, memberships__role=Role.MANAGER
    ).exclude(memberships__unit__name=BIG_UNIT)[0]
    small = queries(client, small_manager, team)
    large = queries(client, User.objects.get(email=BIG_UNIT_MANAGER), team)
    assert small == large <= BUDGETS["team"], (small, large)

    mentors = (
        User.objects.filter(email__endswith=EMAIL_DOMAIN)
        .annotate(
            mentees=Count(
                "mentorships_as_mentor",
                filter=Q(mentorships_as_mentor__status__in=OPEN_STATUSES),
            )
        )
        .filter(mentees__gt=0)
        .order_by("mentees", "pk")
    )
    fewest, most = mentors.first(), mentors.last()
    assert (fewest.mentees, most.mentees) == (1, 10)
    my_mentees = reverse("mentoring:my_mentees")
    small, large = queries(client, fewest, my_mentees), queries(client, most, my_mentees)
    assert small == large <= BUDGETS["mentor"], (small, large)
