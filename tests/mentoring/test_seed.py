import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mentoring.management.commands.seed_mentoring import CASES, case_reference
from mentoring.models import (
    AgendaItem,
    CaseReview,
    CaseType,
    EndReason,
    EntrustmentDecision,
    MentorChangeRequest,
    MentorProfile,
    Mentorship,
    SupervisedCase,
    SupervisionSession,
)
from mentoring.validators import find_identity_numbers
from tests.seeded import seeded_for_the_module

COUNTED = (
    MentorProfile,
    Mentorship,
    SupervisionSession,
    AgendaItem,
    CaseType,
    SupervisedCase,
    CaseReview,
    EntrustmentDecision,
    MentorChangeRequest,
)


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker):
    """`seed_mentoring` run twice, once for the module (the tests only read): the counts after
    the first run, to show the second added nothing."""

    def seed():
        call_command("seed_mentoring", "--password", "demo-losen-123")
        first = {model: model.objects.count() for model in COUNTED}
        call_command("seed_mentoring", "--password", "demo-losen-123")
        return first

    with seeded_for_the_module(django_db_blocker, seed) as first:
        yield first


def _unchanged_by_the_second_run(seeded_twice, models):
    counts = [m.objects.count() for m in models]
    assert counts == [seeded_twice[m] for m in models]
    assert all(counts), counts


@pytest.mark.django_db
def test_seed_mentoring_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_mentoring")


@pytest.mark.django_db
def test_seed_mentoring_is_idempotent(settings, client, seeded_twice):
    settings.DEBUG = True
    _unchanged_by_the_second_run(
        seeded_twice, (MentorProfile, Mentorship, SupervisionSession, AgendaItem)
    )
    assert set(MentorProfile.objects.values_list("user__email", flat=True)) == {
        "mentor@example.org",
        "socialsekreterare@example.org",
    }
    mentorship = Mentorship.objects.get(mentee__email="ny@example.org")
    assert mentorship.mentor.email == "mentor@example.org"
    assert mentorship.mentee.email == "ny@example.org"
    assert mentorship.status == "active" and "barnavårdsutredning" in mentorship.goals
    sessions = list(mentorship.sessions.all())
    assert len(sessions) == 2
    assert sum(1 for s in sessions if s.confirmed_at) == 1
    item = AgendaItem.objects.get(mentorship=mentorship)
    assert item.prompt in item.module.specific.reflection_prompts()
    for session in sessions:
        assert not find_identity_numbers(session.notes + session.agreed_actions)
        assert "{" not in session.notes
    # The note names the demo case by its reference, whose year is the one it was opened in.
    assert any(case_reference(CASES[0], timezone.localdate()) in s.notes for s in sessions)
    assert client.login(username="ny@example.org", password="demo-losen-123")
    body = client.get("/mentorskap/min-mentor/").content.decode()
    assert "Maria Melin" in body and item.prompt in body


@pytest.mark.django_db
def test_seed_mentoring_adds_case_types_and_demo_cases(settings, client, seeded_twice):
    settings.DEBUG = True
    _unchanged_by_the_second_run(
        seeded_twice, (CaseType, SupervisedCase, CaseReview, EntrustmentDecision)
    )
    lund = {c.name: c for c in CaseType.objects.filter(organisation__name="Lunds kommun")}
    assert {name: c.risk_level for name, c in lund.items()} == {
        "Förhandsbedömning": "low",
        "Barnavårdsutredning": "medium",
        "Placering i familjehem/HVB": "high",
        "Ansökan om vård enligt LVU": "high",
        "Omedelbart omhändertagande enligt 6 § LVU": "critical",
        "Riskbedömning vid hedersrelaterat våld": "high",
    }
    assert [n for n, c in lund.items() if c.honour_related] == [
        "Riskbedömning vid hedersrelaterat våld"
    ]
    assert CaseType.objects.filter(organisation__name="Eslövs kommun").count() == 6
    assert CaseReview.objects.filter(signed_at__isnull=False).exists()
    for review in CaseReview.objects.all():
        assert not find_identity_numbers(review.notes)
    references = {c["number"]: case_reference(c, timezone.localdate()) for c in CASES}
    assert set(SupervisedCase.objects.values_list("reference", flat=True)) == {*references.values()}
    assert client.login(username="ny@example.org", password="demo-losen-123")
    body = client.get("/mentorskap/arenden/").content.decode()
    assert references["021"] in body and "Uppföljning" in body
    assert client.login(username="chef@example.org", password="demo-losen-123")
    body = client.get("/mentorskap/arenden/belastning/").content.decode()
    assert "Nora Nyström" in body and references["027"] in body and references["002"] in body


@pytest.mark.django_db
def test_seed_mentoring_shows_the_lifecycle_states(settings, client, seeded_twice):
    settings.DEBUG = True
    _unchanged_by_the_second_run(seeded_twice, (Mentorship, MentorChangeRequest))
    current = Mentorship.objects.get(mentee__email="ny@example.org")
    assert current.has_booked_meeting
    assert current.next_meeting_date > timezone.localdate()
    request = MentorChangeRequest.objects.get()
    assert request.is_open and request.mentorship == current
    ended = Mentorship.objects.get(mentee__email="klar@example.org", status="ended")
    assert ended.end_reason == EndReason.CHANGE_OF_MENTOR
    assert ended.successor.mentor.email == "mentor@example.org"
    assert client.login(username="klar@example.org", password="demo-losen-123")
    body = client.get("/mentorskap/min-mentor/").content.decode()
    assert "Tidigare mentorskap" in body and "Samir Sandberg" in body
    assert client.login(username="admin@example.org", password="demo-losen-123")
    assert "Nora Nyström önskar byta mentor" in client.get("/personal/").content.decode()
