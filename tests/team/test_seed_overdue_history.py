"""The demo's "Försenade moduler" history on Mitt team (issue 17): the follow-up seed's
introductions are dated from each hire's start, so earlier weeks show the modules that were
overdue then instead of 0, and the chart's last week agrees with today's figure. Seeded on
any day, late in the evening too."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from people.models import User
from team.selectors import team_overview_for


def history_of_the_demo_manager():
    chef = User.objects.get(email="chef@example.org")
    team = team_overview_for(chef)
    return team, [count for _day, count in team.overdue_history]


def assert_plausible(team, counts):
    earlier = counts[:-1]
    assert sum(1 for count in earlier if count) >= len(earlier) - 2, counts
    # Not one flat line: modules fall due and are done over the weeks.
    assert len(set(counts)) > 1, counts
    assert counts[-1] == sum(member.overdue for member in team.members)


# The demo as seeded today, twice (idempotent), is checked in tests/followup/test_seed.py
# (test_the_seeded_demo_shows_overdue_modules_in_earlier_weeks), on the seed that module runs
# once for all its tests: seeding it here as well took ~20 s.


@pytest.mark.django_db
def test_seeded_late_in_the_evening_weeks_ahead_the_history_still_holds(settings):
    settings.DEBUG = True
    later = timezone.localdate() + datetime.timedelta(days=45)
    # 23:30 UTC is 00:30 or 01:30 in Stockholm: the next local day.
    with time_machine.travel(
        datetime.datetime.combine(later, datetime.time(23, 30), tzinfo=datetime.UTC), tick=False
    ):
        call_command("seed_followup", "--password", "demo-losen-123")
        team, counts = history_of_the_demo_manager()
        assert_plausible(team, counts)
