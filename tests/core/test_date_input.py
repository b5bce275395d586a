"""Typed dates (issue 17): where a browser has no date picker the date field is a text box, so
it shows the format ("ÅÅÅÅ-MM-DD", "YYYY-MM-DD" in English), takes the ways a date is written
in Sweden, and refuses anything else with a sentence naming the format, never a 500. Through
a real page: booking the next mentoring meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.forms import DateField
from mentoring import services
from tests.mentoring.factories import MentorProfileFactory, MentorshipFactory

REFUSED = "Ange datumet som ÅÅÅÅ-MM-DD."


@pytest.fixture
def mentorship(mentor, ny):
    MentorProfileFactory(user=mentor, capacity=10)
    return MentorshipFactory(mentor=mentor, mentee=ny)


def book(client, mentorship, typed: str):
    url = reverse("mentoring:book_meeting", args=[mentorship.pk])
    return client.post(url, {"date": typed, "time": "10:30", "place": "Rum Ekan"})


@pytest.mark.django_db
def test_the_date_box_shows_the_format_to_type(client, mentorship, mentor):
    client.force_login(mentor)
    body = client.get(reverse("mentoring:book_meeting", args=[mentorship.pk])).content.decode()
    assert 'type="date"' in body and 'placeholder="ÅÅÅÅ-MM-DD"' in body
    with translation.override("en"):
        assert DateField().widget.render("d", None).count('placeholder="YYYY-MM-DD"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ["%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", " %Y-%m-%d "])
def test_a_date_typed_the_swedish_way_is_accepted(client, mentorship, mentor, pattern):
    day = timezone.localdate() + datetime.timedelta(days=10)
    client.force_login(mentor)
    response = book(client, mentorship, day.strftime(pattern))
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.next_meeting_date == day


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["29 november", "2026-13-45", "11/29/2026", "igår"])
def test_anything_else_is_refused_in_swedish_and_nothing_is_booked(
    client, mentorship, mentor, typed
):
    client.force_login(mentor)
    response = book(client, mentorship, typed)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.next_meeting_date is None


@pytest.mark.django_db
def test_a_booked_date_comes_back_as_iso_for_the_date_picker(client, mentorship, mentor):
    day = timezone.localdate() + datetime.timedelta(days=3)
    services.book_meeting(
        mentor, mentorship=mentorship, date=day, time=datetime.time(9), place="Teams"
    )
    client.force_login(mentor)
    with translation.override("en"):
        body = client.get(
            reverse("mentoring:book_meeting", args=[mentorship.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert f'value="{day.isoformat()}"' in body
