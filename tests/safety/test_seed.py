"""The demo data for threats and violence: seed_safety runs the mentoring seed and adds the demo
new hire's two safety checks and two incidents (one followed up, one waiting), once."""

import pytest
from django.core.management import call_command

from safety.management.commands.seed_safety import DEMO_REPORTING_URL
from safety.models import Incident, Recommendation, SafetyCheck, SafetySettings


@pytest.mark.django_db
def test_seed_safety_shows_both_states_and_is_idempotent(client, settings):
    settings.DEBUG = True
    call_command("seed_safety", "--password", "demo-losen-123")
    call_command("seed_safety", "--password", "demo-losen-123")
    checks = SafetyCheck.objects.filter(person__email="ny@example.org").order_by("planned_on")
    assert [(c.recommendation, c.case_id is not None) for c in checks] == [
        (Recommendation.AS_PLANNED, False),
        (Recommendation.TWO_TOGETHER, True),
    ]
    incidents = Incident.objects.filter(person__email="ny@example.org").order_by("occurred_on")
    assert [
        (i.debrief_offered_at is not None, i.debrief_session_id is not None, i.is_done)
        for i in incidents
    ] == [(True, True, True), (False, False, False)]
    client.force_login(checks[1].person)
    body = client.get("/sakerhet/").content.decode()
    assert "Gå två tillsammans" in body and "Gå som planerat" in body
    assert "Trakasserier på nätet" in body and "Hot om våld" in body
    # The demo municipality has its own reporting routine, shown where incidents are recorded.
    routine = SafetySettings.objects.get()
    assert routine.organisation.memberships.filter(user__email="ny@example.org").exists()
    assert routine.reporting_url == DEMO_REPORTING_URL
    new_incident = client.get("/sakerhet/handelse/ny/").content.decode()
    assert f'href="{DEMO_REPORTING_URL}"' in new_incident
