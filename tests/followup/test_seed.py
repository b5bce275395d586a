"""The follow-up's demo data (the last link of `make demo`'s chain): two counties, figures that
show and figures hidden by disclosure control, the two follow-up accounts, and a history of
incidents that was handled then, so the managers' "Väntar på mig" holds today's work only.
Idempotent."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.dates import add_months
from followup.indicators import current_quarter
from followup.models import QuarterFact
from people.models import County, Membership, Role
from pulse.models import PulseAnswer
from safety.models import Incident
from tests.seeded import seeded_for_the_module
from tests.team.test_seed_overdue_history import (
    assert_plausible,
    history_of_the_demo_manager,
)


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker):
    """`seed_followup` run twice, once for the module: the counts after the first run, to show
    the second added nothing. (tests/team/test_seed_overdue_history.py reads the same seed
    here instead of running it twice more, ~20 s.)"""

    def seed():
        call_command("seed_followup", "--password", "demo-losen-123")
        first = {
            "facts": QuarterFact.objects.count(),
            "incidents": Incident.objects.count(),
            "answers": PulseAnswer.objects.count(),
            "overdue_history": history_of_the_demo_manager()[1],
        }
        call_command("seed_followup", "--password", "demo-losen-123")
        return first

    with seeded_for_the_module(django_db_blocker, seed) as first:
        yield first


@pytest.mark.django_db
def test_seed_followup_shows_and_hides_figures_and_leaves_no_old_incident_waiting(
    client, settings, seeded_twice
):
    settings.DEBUG = True
    assert QuarterFact.objects.count() == seeded_twice["facts"] > 0
    assert Incident.objects.count() == seeded_twice["incidents"] > 0
    assert PulseAnswer.objects.count() == seeded_twice["answers"] > 0
    assert set(County.objects.values_list("name", flat=True)) >= {
        "Skåne län",
        "Norrbottens län",
    }

    two_weeks_ago = timezone.localdate() - datetime.timedelta(days=14)
    assert not Incident.objects.filter(
        occurred_on__lt=two_weeks_ago, followed_up_at__isnull=True
    ).exists()
    assert Incident.objects.filter(debrief_offered_at__isnull=True).exists()  # seed_safety's

    client.login(email="nationell@example.org", password="demo-losen-123")
    body = client.get(reverse("followup:overview")).content.decode()
    listed = body.split('id="kommuner"')[1]
    assert "Lunds kommun" in listed  # a figure that passes
    assert "färre än 5" in body  # and figures that do not


@pytest.mark.django_db
def test_seed_followup_has_dated_leavers_and_pulse_cells_that_show_and_hide(
    client, settings, seeded_twice
):
    """Leavers with the day they left, some before their year was up and some after it, so
    retention is counted by end dates; pulse rounds whose figures show for the large units
    and municipalities and are hidden for the small ones, on the county's page too."""
    settings.DEBUG = True
    today = timezone.localdate()
    leavers = list(
        Membership.objects.filter(
            role=Role.NEW_HIRE, user__is_active=False, user__email__startswith="uppfoljning-"
        ).values_list("start_date", "user__employment_ended_on")
    )
    assert leavers and all(ended is not None and ended < today for _start, ended in leavers)
    assert any(ended < add_months(start, 12) for start, ended in leavers)
    assert any(ended >= add_months(start, 12) for start, ended in leavers)
    retention = QuarterFact.objects.filter(indicator="kvar_efter_12_man", denominator__gt=0)
    assert retention.filter(numerator__lt=F("denominator")).exists()

    previous = current_quarter().shifted(-1)
    pulse = QuarterFact.objects.filter(indicator="puls_arbetsbelastning", quarter=previous.start)
    assert pulse.filter(people__gte=5).exists() and pulse.filter(people__lt=5).exists()

    client.login(email="lanssamordnare@example.org", password="demo-losen-123")
    html = client.get(reverse("followup:overview"), {"kvartal": previous.slug}).content.decode()
    headers = re.findall(r'<th scope="col">(.*?)</th>', html, re.S)
    column = next(i for i, h in enumerate(headers) if "arbetsbelastningen" in h) - 1

    def cell(name):
        row = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', html, re.S)
        return re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[column])

    assert re.fullmatch(r"\d,\d", cell("Lunds kommun").strip())
    assert cell("Hörby kommun").strip().startswith("–")
    assert PulseAnswer.objects.exclude(comment="").exists()
    assert "Fler kollegor" not in html


@pytest.mark.django_db
def test_the_seeded_demo_shows_overdue_modules_in_earlier_weeks(client, settings, seeded_twice):
    """tests/team/test_seed_overdue_history.py's first case, on this module's seed: the demo
    manager's "Försenade moduler" history, the same after the second run (idempotent)."""
    settings.DEBUG = True
    team, counts = history_of_the_demo_manager()
    assert_plausible(team, counts)
    assert counts == seeded_twice["overdue_history"]
    client.login(email="chef@example.org", password="demo-losen-123")
    assert client.get(reverse("team:overview")).status_code == 200
