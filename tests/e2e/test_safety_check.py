"""Journey 8 (issue 22): before a home visit the new hire makes a safety check
(säkerhetsbedömning) that says "two together"; in her first year her manager and mentor are
told by email; later she records an incident (händelse), her manager is told, reads the check
and offers the debrief; the mentor logs the debrief session. Every page is checked with axe."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mentoring.models import SupervisionSession
from safety.models import Incident, IncidentKind, Recommendation, SafetyCheck
from tests.mentoring.factories import MentorshipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_safety_check_then_incident_and_the_managers_debrief(journey, ny, mentor, chef):
    page = journey.page
    MentorshipFactory(mentor=mentor, mentee=ny)

    journey.log_in_as(ny)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Hot och våld"
    ).click()
    journey.check("hot och våld")
    page.get_by_role("link", name="Ny säkerhetsbedömning").click()
    journey.check("ny säkerhetsbedömning")

    planned = timezone.localdate() + datetime.timedelta(days=2)
    page.get_by_label("När är besöket eller mötet?").fill(planned.isoformat())

    def answer(question: str, choice: str) -> None:
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()

    answer("Var ska ni träffas?", "Hembesök")
    answer("Finns det kända hot mot personal", "Vet inte")
    answer("Finns det uppgifter om vapen", "Nej")
    answer("Kan det finnas djur på platsen", "Ja")
    answer("Har det förekommit hot, våld eller otillåten påverkan tidigare?", "Nej")
    answer("Vem vet var du är?", "En kollega vet var jag är och när jag ska vara tillbaka")
    page.get_by_role("button", name="Se rekommendationen").click()
    page.get_by_text("Säkerhetsbedömningen är sparad.").wait_for()
    page.get_by_role("heading", name="Rekommendation: Gå två tillsammans").wait_for()
    journey.check("rekommendationen")
    # At phone width every answer is in view (a two-column table pushed them out of sight).
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    answer_box = page.get_by_text("En kollega vet var jag är", exact=False).last.bounding_box()
    assert answer_box is not None and answer_box["x"] + answer_box["width"] <= 375
    page.set_viewport_size(size)

    check = SafetyCheck.objects.get()
    assert (check.person, check.recommendation) == (ny, Recommendation.TWO_TOGETHER)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chef.email, mentor.email])

    journey.goto("/sakerhet/")
    page.get_by_role("link", name="Registrera en händelse").click()
    journey.check("registrera händelse")
    page.get_by_role("group", name="Vad hände?").get_by_label("Hot om våld", exact=True).check()
    page.get_by_label("Min mentor får också veta").check()
    page.get_by_role("button", name="Registrera händelsen").click()
    page.get_by_text("Händelsen är registrerad. Din chef har fått veta.").wait_for()
    journey.check("händelsen registrerad")
    incident = Incident.objects.get()
    assert incident.kind == IncidentKind.THREAT_OF_VIOLENCE and incident.tell_mentor
    assert [m.to[0] for m in mail.outbox[2:]].count(chef.email) == 1

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/accounts/login/")
    journey.log_in_as(chef)
    journey.goto("/sakerhet/", check="chefens översikt")
    page.get_by_role("cell", name=ny.get_full_name()).first.wait_for()
    journey.goto(f"/sakerhet/bedomning/{check.pk}/")
    page.get_by_role("heading", name="Rekommendation: Gå två tillsammans").wait_for()
    journey.check("chefen läser bedömningen")
    journey.goto(f"/sakerhet/handelse/{incident.pk}/")
    page.get_by_role("link", name="Jag har erbjudit avlastningssamtal").click()
    journey.check("bekräfta avlastningssamtal")
    page.get_by_role("button", name="Bekräfta").click()
    page.get_by_text("Avlastningssamtalet är markerat som erbjudet.").wait_for()
    journey.check("avlastningssamtal erbjudet")
    incident.refresh_from_db()
    assert incident.debrief_offered_by == chef

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/accounts/login/")
    journey.log_in_as(mentor)
    journey.goto(f"/sakerhet/handelse/{incident.pk}/", check="mentorn ser händelsen")
    page.get_by_role("link", name="Logga avlastningssamtal").click()
    journey.check("logga avlastningssamtal")
    page.get_by_label("Hur mår du?").fill("Skakig första dagarna, bättre nu.")
    page.get_by_label("Vilket stöd behöver du?").fill("Vara två vid nästa möte med familjen.")
    page.get_by_role("button", name="Logga samtalet").click()
    page.get_by_text("Avlastningssamtalet är loggat i handledningen.").wait_for()
    journey.check("avlastningssamtalet loggat")
    incident.refresh_from_db()
    assert incident.debrief_session.kind == SupervisionSession.Kind.DEBRIEF
    assert "Skakig första dagarna" in incident.debrief_session.notes
