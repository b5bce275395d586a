"""Issue 18's journey: the new hire lands on "Väntar på mig", books the next meeting and asks
privately for another mentor; the manager sees the request waiting and changes mentor; the
new mentor corrects a session and the pages fit 375 px with no accessibility faults."""

import datetime

import pytest
from django.utils import timezone

from mentoring.models import EndReason, Mentorship
from tests.factories import PASSWORD
from tests.mentoring.factories import MentorshipFactory, SessionFactory, mentor_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_booked_meeting_change_request_and_change_of_mentor(journey, mentor, ny, chef, enhet_a):
    page = journey.page
    old = MentorshipFactory(mentor=mentor, mentee=ny)
    new_mentor = mentor_in(enhet_a, full_name="Nils Nymentor")
    new_mentor.set_password(PASSWORD)
    new_mentor.save()

    journey.log_in_as(ny)
    journey.goto("/start/")
    page.get_by_role("heading", name="Väntar på mig").wait_for()
    journey.check("min introduktion med väntar på mig")
    journey.goto(f"/mentorskap/{old.pk}/nasta-traff/", check="boka nästa träff")
    day = timezone.localdate() + datetime.timedelta(days=4)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Tid").fill("10:30")
    page.get_by_label("Plats eller länk").fill("Rum Ekan")
    page.get_by_role("button", name="Boka träffen").click()
    page.get_by_text("Nästa träff är bokad").wait_for()
    journey.goto("/min-introduktion/")
    page.get_by_text("Nästa mentorsträff med").wait_for()
    journey.goto(f"/mentorskap/{old.pk}/onska-byte/", check="önska byte av mentor")
    page.get_by_label("Vad vill du att vi ska veta?").fill("Vi hittar inga tider.")
    page.get_by_role("button", name="Skicka önskemålet").click()
    page.get_by_text("Ditt önskemål är skickat").wait_for()
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/accounts/login/")

    journey.log_in_as(chef)
    journey.goto("/start/")
    page.get_by_text("önskar byta mentor").first.wait_for()
    journey.goto("/mentorskap/att-folja/", check="mentorskap att följa")
    journey.goto(f"/mentorskap/{old.pk}/byt-mentor/", check="byt mentor")
    page.get_by_label("Ny mentor").select_option(label="Nils Nymentor")
    page.get_by_role("button", name="Ja, byt mentor").click()
    page.get_by_text("Mentorn är bytt").wait_for()
    old.refresh_from_db()
    assert old.end_reason == EndReason.CHANGE_OF_MENTOR
    successor = Mentorship.objects.get(mentee=ny, status=Mentorship.Status.ACTIVE)
    assert successor.mentor == new_mentor
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/accounts/login/")

    session = SessionFactory(mentorship=successor, date=timezone.localdate())
    journey.log_in_as(new_mentor)
    journey.goto("/start/")
    page.get_by_role("heading", name="Väntar på mig").wait_for()
    journey.goto(f"/mentorskap/samtal/{session.pk}/andra/", check="ändra samtal")
    page.get_by_label("Längd (minuter)").fill("50")
    page.get_by_role("button", name="Spara ändringen").click()
    page.get_by_text("Samtalet är ändrat").wait_for()
    journey.goto(f"/mentorskap/{successor.pk}/avsluta/", check="avsluta mentorskap")
