"""Journey 2: the mentor logs a supervision session (handledningssamtal) and the mentee
confirms it."""

import pytest

from mentoring.models import SupervisionSession
from tests.mentoring.factories import MentorshipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_mentor_logs_a_session_and_the_mentee_confirms_it(journey, mentor, ny):
    page = journey.page
    mentorship = MentorshipFactory(mentor=mentor, mentee=ny)

    journey.log_in_as(mentor)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mentorskap").click()
    journey.check("mentorskap")
    journey.goto("/mentorskap/mina-adepter/", check="mina adepter")
    journey.goto(f"/mentorskap/{mentorship.pk}/", check="mentorskapet")
    page.get_by_role("link", name="Logga samtal").click()
    journey.check("logga samtal")

    page.get_by_label("Längd (minuter)").fill("45")
    page.get_by_label("Anteckningar").fill("Vi gick igenom barnsamtalet inför hembesöket.")
    page.get_by_label("Överenskomna åtgärder").fill("Läsa BBIC-materialet.")
    page.get_by_role("button", name="Logga samtalet").click()
    page.get_by_text("Samtalet är loggat").wait_for()
    journey.check("samtalet loggat")
    session = SupervisionSession.objects.get()
    assert session.duration_minutes == 45
    assert session.confirmed_at is None

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/accounts/login/")
    journey.log_in_as(ny)
    journey.goto("/mentorskap/min-mentor/", check="min mentor")
    journey.goto(f"/mentorskap/{mentorship.pk}/", check="mentorskapet för adepten")
    page.get_by_role("link", name="Bekräfta").click()
    journey.check("bekräfta samtal")
    page.get_by_label("Din reflektion").fill("Bra att öva på frågorna innan.")
    page.get_by_role("button", name="Bekräfta").click()
    page.get_by_text("Tack! Samtalet är bekräftat.").wait_for()
    journey.check("samtalet bekräftat")
    session.refresh_from_db()
    assert session.confirmed_at is not None
    assert session.mentee_reflection == "Bra att öva på frågorna innan."
