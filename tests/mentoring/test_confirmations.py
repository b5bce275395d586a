"""Issue 17, things noticed on the pages: "Byt mentor" on a proposal starts from the proposed
mentor, and removing a booked meeting is confirmed first (GET shows what goes, POST removes,
a second POST changes nothing, someone else gets a 404) and is written in the log."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import format_date
from mentoring import services
from mentoring.models import MatchProposal, Mentorship
from people.audit import details_text
from people.models import AuditAction, AuditEvent
from tests.mentoring.factories import MentorProfileFactory, MentorshipFactory, mentor_in, person
from tests.queries import exact_queries


def selected_option(body: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    chosen = re.search(r'<option value="(\d+)"[^>]*\bselected\b', select)
    return chosen and chosen.group(1)


@pytest.mark.django_db
def test_change_of_mentor_on_a_proposal_starts_from_the_proposed_mentor(
    client, kommunadmin, enhet_a
):
    mentor_in(enhet_a, full_name="Första Mentorn")
    mentor_in(enhet_a, full_name="Andra Mentorn")
    person(enhet_a, full_name="Nya Nilsson")
    run = services.run_matching(kommunadmin, organisation=enhet_a.organisation)
    proposal = MatchProposal.objects.get(run=run)
    client.force_login(kommunadmin)
    body = client.get(reverse("mentoring:adjust", args=[proposal.pk])).content.decode()
    assert selected_option(body, "mentor") == str(proposal.mentor_id)


@pytest.fixture
def booked(mentor, ny):
    MentorProfileFactory(user=mentor, capacity=10)
    mentorship = MentorshipFactory(mentor=mentor, mentee=ny)
    return services.book_meeting(
        mentor,
        mentorship=mentorship,
        date=timezone.localdate() + datetime.timedelta(days=3),
        time=datetime.time(10, 30),
        place="Rum Ekan",
    )


@pytest.mark.django_db
def test_the_booked_meeting_page_asks_before_removing(client, booked, mentor):
    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentorship", args=[booked.pk])).content.decode()
    url = reverse("mentoring:cancel_meeting", args=[booked.pk])
    # The mentorship page links to the confirmation; it holds no form that removes at once.
    assert f'href="{url}"' in page and f'action="{url}"' not in page
    body = client.get(url).content.decode()
    assert "Rum Ekan" in body and "10:30" in body and "Ja, ta bort träffen" in body
    booked.refresh_from_db()
    assert booked.next_meeting_date is not None  # looking removes nothing


@pytest.mark.django_db
def test_removing_is_logged_once_and_a_second_post_is_harmless(client, booked, ny):
    day = booked.next_meeting_date
    url = reverse("mentoring:cancel_meeting", args=[booked.pk])
    client.force_login(ny)
    response = client.post(url)
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.next_meeting_date, booked.next_meeting_time, booked.next_meeting_place) == (
        None,
        None,
        "",
    )
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(booked.pk))
    assert event.object_type == "mentoring.mentorship" and event.actor == ny
    assert event.subject_id == ny.pk
    with translation.override("sv"):
        assert details_text(event) == f"Bokad träff {format_date(day)} borttagen"
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "Ingen träff är bokad." in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1
    assert "Ingen träff är bokad." in client.get(url).content.decode()


@pytest.mark.django_db
def test_someone_elses_meeting_is_a_404(client, booked, chef, utomstaende, enhet_a):
    other_mentor = mentor_in(enhet_a, full_name="Annan Mentor")
    url = reverse("mentoring:cancel_meeting", args=[booked.pk])
    for outsider in (chef, utomstaende, other_mentor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    booked.refresh_from_db()
    assert booked.next_meeting_date is not None
    assert not Mentorship.objects.filter(next_meeting_date__isnull=True).exists()


# The session, the user, and the mentorship with both people in one query (the chrome reads
# its roles from the cache).
CANCEL_PAGE_QUERIES = 3


@pytest.mark.django_db
def test_the_confirmation_page_runs_a_fixed_number_of_queries(client, booked, mentor):
    client.force_login(mentor)
    url = reverse("mentoring:cancel_meeting", args=[booked.pk])
    client.get(url)  # warm the chrome's cache, as in production
    with exact_queries(CANCEL_PAGE_QUERIES):
        assert client.get(url).status_code == 200
