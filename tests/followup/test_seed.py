"""The follow-up's demo data (the last link of `make demo`'s chain): two counties, figures that
show and figures hidden by disclosure control, the two follow-up accounts, and a history of
incidents that was handled then, so the managers' "Väntar på mig" holds today's work only.
Idempotent."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followup.models import QuarterFact
from people.models import County
from safety.models import Incident


@pytest.mark.django_db
def test_seed_followup_shows_and_hides_figures_and_leaves_no_old_incident_waiting(client, settings):
    settings.DEBUG = True
    call_command("seed_followup", "--password", "demo-losen-123")
    facts = QuarterFact.objects.count()
    incidents = Incident.objects.count()
    call_command("seed_followup", "--password", "demo-losen-123")
    assert QuarterFact.objects.count() == facts > 0
    assert Incident.objects.count() == incidents
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
