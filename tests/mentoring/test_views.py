import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import MatchProposal, Mentorship, SupervisionSession
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT
from people.models import Role
from tests.mentoring.factories import (
    MentorProfileFactory,
    MentorshipFactory,
    SessionFactory,
    mentor_in,
    person,
)
from tests.mentoring.test_case_views import assert_constant
from tests.queries import exact_queries

NOTES = "Hemlig anteckning om ärendeplanering."


@pytest.fixture
def active(mentor, ny):
    MentorProfileFactory(user=mentor, capacity=10)
    return MentorshipFactory(mentor=mentor, mentee=ny)


@pytest.fixture
def session(active):
    return SessionFactory(mentorship=active)


def private_urls(active, session):
    return [
        reverse("mentoring:mentorship", args=[active.pk]),
        reverse("mentoring:respond", args=[active.pk]),
        reverse("mentoring:log_session", args=[active.pk]),
        reverse("mentoring:session", args=[session.pk]),
        reverse("mentoring:confirm_session", args=[session.pk]),
    ]


@pytest.mark.django_db
def test_outsiders_get_404_for_mentorships_and_sessions(
    client, active, session, utomstaende, enhet_a, chef, kommunadmin
):
    other_hire = person(enhet_a)
    other_mentor = mentor_in(enhet_a)
    MentorshipFactory(mentor=other_mentor, mentee=other_hire)
    for user in (utomstaende, other_hire, other_mentor, chef, kommunadmin):
        client.force_login(user)
        for url in private_urls(active, session):
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {}).status_code == 404, (user, url)


@pytest.mark.django_db
def test_participants_see_notes_and_mentee_cannot_log(client, active, session, mentor, ny):
    for user in (mentor, ny):
        client.force_login(user)
        body = client.get(reverse("mentoring:session", args=[session.pk])).content.decode()
        assert NOTES in body
        assert client.get(reverse("mentoring:mentorship", args=[active.pk])).status_code == 200
    assert client.get(reverse("mentoring:log_session", args=[active.pk])).status_code == 404
    client.force_login(mentor)
    assert client.get(reverse("mentoring:confirm_session", args=[session.pk])).status_code == 404


@pytest.mark.django_db
def test_manager_sees_dates_and_counts_never_notes(client, active, session, chef, utomstaende):
    SessionFactory(mentorship=active, confirmed_at=timezone.now())
    client.force_login(chef)
    body = client.get(reverse("mentoring:units")).content.decode()
    assert active.mentee.full_name in body
    assert session.date.strftime("%Y") in body
    assert NOTES not in body and "Läsa på" not in body
    assert client.get(reverse("mentoring:session", args=[session.pk])).status_code == 404
    client.force_login(utomstaende)
    assert client.get(reverse("mentoring:units")).status_code == 404


@pytest.mark.django_db
def test_mentor_logs_a_session_and_mentee_confirms(client, active, mentor, ny):
    client.force_login(mentor)
    url = reverse("mentoring:log_session", args=[active.pk])
    data = {
        "kind": "case",
        "date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "duration_minutes": "60",
        "format": "video",
        "notes": "Vi pratade om 811218-9876.",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Datumet kan inte ligga i framtiden." in body
    assert str(IDENTITY_NUMBER_IN_TEXT) in body
    assert not SupervisionSession.objects.exists()
    data["duration_minutes"] = "0"
    assert "Ett samtal är mellan 1 och 480 minuter" in client.post(url, data).content.decode()
    data.update(
        date=timezone.localdate().isoformat(), duration_minutes="75", notes="Ärende BoU-17."
    )
    response = client.post(url, data)
    session = SupervisionSession.objects.get()
    assert response.status_code == 302
    confirm = reverse("mentoring:confirm_session", args=[session.pk])
    mentor_view = client.get(reverse("mentoring:mentorship", args=[active.pk])).content.decode()
    assert confirm not in mentor_view  # only the mentee confirms
    client.force_login(ny)
    assert f'href="{confirm}"' in client.get(reverse("mentoring:my_mentor")).content.decode()
    assert client.post(confirm, {"reflection": "Bra samtal."}).status_code == 302
    session.refresh_from_db()
    assert session.confirmed_at is not None and session.mentee_reflection == "Bra samtal."


def _mentees(mentor, unit, count):
    for number in range(count):
        hire = person(unit, full_name=f"Adept {number}")
        mentorship = MentorshipFactory(mentor=mentor, mentee=hire)
        SessionFactory(mentorship=mentorship)


# Exact (tests/queries.py), the same for 1 and 20 mentees, sessions or proposals.
# "Mina adepter" opens with "Väntar på mig" (issue 18): one query for all its groups since
# issue 23 (people.waiting; it was + 5: the mentorship group 2, reviews to sign, open cases
# and the mentor's own courses 1 each). 9 until session 31 of issue 23: the mentees' start
# dates come with the mentorships, not from a second query for their memberships.
MY_MENTEES_QUERIES = 8
# + 1 the mentee's earlier mentorships (history after a change of mentor).
# 12 before the cached chrome (issue 23: 3 fewer), 9 before the start date came in SQL (1 fewer).
MY_MENTOR_QUERIES = 8
RUN_PAGE_QUERIES = 7  # 10 before the cached chrome (issue 23: 3 fewer)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_my_mentees_runs_constant_queries(client, enhet_a, count):
    mentor = mentor_in(enhet_a, capacity=10)
    mentor.mentor_profile.capacity = 10
    _mentees(mentor, enhet_a, count)
    client.force_login(mentor)
    with exact_queries(MY_MENTEES_QUERIES):
        body = client.get(reverse("mentoring:my_mentees")).content.decode()
    assert body.count("Logga samtal") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_my_mentor_runs_constant_queries(client, active, ny, course, count):
    for _number in range(count):
        SessionFactory(mentorship=active)
    client.force_login(ny)
    # Warm Wagtail's cached site root paths (with i18n on they take one more query when cold;
    # in production they stay cached), so the count below is the page's own.
    client.get(reverse("mentoring:my_mentor"))
    with exact_queries(MY_MENTOR_QUERIES):
        body = client.get(reverse("mentoring:my_mentor")).content.decode()
    assert active.mentor.full_name in body
    assert body.count("min</td>") == count


@pytest.mark.django_db
def test_admin_runs_adjusts_and_confirms_on_the_matching_page(
    client, kommunadmin, kommun_a, enhet_a, utomstaende, chef, mailoutbox
):
    first = mentor_in(enhet_a, full_name="Första Mentorn")
    second = mentor_in(enhet_a, full_name="Andra Mentorn")
    hire = person(enhet_a, full_name="Nya Nilsson")
    client.force_login(kommunadmin)
    page = client.get(reverse("mentoring:matching")).content.decode()
    assert "Kör matchning" in page
    response = client.post(reverse("mentoring:matching"), {"scope": f"o{kommun_a.pk}"})
    assert response.status_code == 302
    run_url = response["Location"]
    body = client.get(run_url).content.decode()
    assert "Samma enhet" in body and "Nya Nilsson" in body
    proposal = Mentorship._meta.apps.get_model("mentoring", "MatchProposal").objects.get()
    other = second if proposal.mentor_id == first.pk else first
    adjust = reverse("mentoring:adjust", args=[proposal.pk])
    response = client.post(adjust, {"mentor": hire.pk})
    assert response.status_code == 200  # not a mentor choice: form error, no 500
    assert client.post(adjust, {"mentor": other.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.mentor_id == other.pk and proposal.adjusted_by == kommunadmin
    for outsider in (utomstaende, chef):
        client.force_login(outsider)
        assert client.get(run_url).status_code == 404
        assert client.post(adjust, {"mentor": first.pk}).status_code == 404
    client.force_login(kommunadmin)
    with_confirm = reverse("mentoring:confirm_run", args=[proposal.run_id])
    assert client.post(with_confirm).status_code == 302
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor_id, mentorship.mentee_id, mentorship.status) == (
        other.pk,
        hire.pk,
        "proposed",
    )
    client.force_login(hire)
    respond = reverse("mentoring:respond", args=[mentorship.pk])
    body = client.post(respond, {"accept": "no", "reason": ""}).content.decode()
    assert "Skriv kort varför du tackar nej." in body
    assert client.post(respond, {"accept": "yes"}).status_code == 302
    client.force_login(other)
    assert client.post(respond, {"accept": "yes"}).status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


@pytest.mark.django_db
def test_run_page_queries_do_not_grow(client, kommunadmin, enhet_a):
    mentor = mentor_in(enhet_a, capacity=10)
    mentor_in(enhet_a, capacity=10)
    person(enhet_a, full_name="Adept 0")
    run = services.run_matching(kommunadmin, organisation=enhet_a.organisation)

    def grow():
        for number in range(1, 50):
            hire = person(enhet_a, full_name=f"Adept {number}")
            MatchProposal.objects.create(run=run, mentor=mentor, mentee=hire, score=10)

    client.force_login(kommunadmin)
    url = reverse("mentoring:run", args=[run.pk])
    assert_constant(client, url, grow, queries=RUN_PAGE_QUERIES)
    assert client.get(url).content.decode().count("Byt mentor</button>") == 50


@pytest.mark.django_db
def test_matching_page_is_404_for_people_who_may_not_match(client, ny, mentor, utomstaende):
    for user in (ny, mentor, utomstaende):
        client.force_login(user)
        assert client.get(reverse("mentoring:matching")).status_code == 404


@pytest.mark.django_db
def test_pages_render_for_their_users(client, ny, mentor, chef, kommunadmin, active, session):
    client.force_login(mentor)
    for name in ("home", "my_mentees", "profile"):
        assert client.get(reverse(f"mentoring:{name}")).status_code == 200
    body = client.post(
        reverse("mentoring:profile"),
        {"years_experience": "9", "capacity": "0", "languages": ["sv"]},
    ).content.decode()
    assert "1" in body and mentor.mentor_profile.capacity == 10
    client.force_login(ny)
    for name in ("home", "my_mentor", "needs"):
        assert client.get(reverse(f"mentoring:{name}")).status_code == 200
    body = client.post(
        reverse("mentoring:needs"), {"wishes": "Prata om 8112189876"}
    ).content.decode()
    assert str(IDENTITY_NUMBER_IN_TEXT) in body
    client.force_login(chef)
    assert "Mentorskap i mina enheter" in client.get(reverse("mentoring:home")).content.decode()
    assert Role.MANAGER in {m.role for m in chef.memberships.all()}
