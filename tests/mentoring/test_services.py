import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning import services as learning
from mentoring import services
from mentoring.models import AgendaItem, MatchingRun, Mentorship, Reminder, Specialisation
from mentoring.selectors import agenda_for, default_frequency_days
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT
from people.models import Role
from tests.factories import right_answers
from tests.mentoring.factories import (
    MentorProfileFactory,
    MentorshipFactory,
    SessionFactory,
    mentor_in,
    person,
)
from tests.queries import exact_queries

PNR = "Flickan 19811218-9876 berättade"
TODAY = timezone.localdate


@pytest.fixture
def profile(mentor):
    return MentorProfileFactory(user=mentor, capacity=2)


@pytest.fixture
def active(mentor, ny, profile):
    return MentorshipFactory(mentor=mentor, mentee=ny)


def test_default_frequency_follows_the_first_year():
    start = datetime.date(2026, 1, 12)
    assert default_frequency_days(start, start) == 7
    assert default_frequency_days(start, start + datetime.timedelta(days=41)) == 7
    assert default_frequency_days(start, start + datetime.timedelta(days=42)) == 14
    assert default_frequency_days(start, datetime.date(2026, 7, 11)) == 14
    assert default_frequency_days(start, datetime.date(2026, 7, 12)) == 30


@pytest.mark.django_db
def test_capacity_below_current_mentees_is_refused(mentor, active):
    MentorshipFactory(mentor=mentor, mentee=person(active.mentee.memberships.first().unit))
    with pytest.raises(ValidationError) as caught:
        services.save_mentor_profile(mentor, user=mentor, years_experience=8, capacity=1)
    assert "de 2 adepter mentorn redan har" in caught.value.message_dict["capacity"][0]
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.capacity == 2


@pytest.mark.django_db
def test_someone_else_cannot_edit_a_mentor_profile(mentor, ny, utomstaende):
    with pytest.raises(PermissionDenied):
        services.save_mentor_profile(utomstaende, user=mentor, years_experience=8)


@pytest.mark.django_db
def test_identity_number_refused_in_every_free_text_field(mentor, ny, active):
    with pytest.raises(ValidationError) as caught:
        services.save_mentee_needs(ny, mentee=ny, wishes=PNR)
    assert caught.value.message_dict["wishes"] == [str(IDENTITY_NUMBER_IN_TEXT)]
    with pytest.raises(ValidationError):
        services.update_mentorship(
            mentor, mentorship=active, goals=PNR, planned_frequency_days=None
        )
    for field in ("notes", "agreed_actions"):
        with pytest.raises(ValidationError) as caught:
            services.log_session(
                mentor,
                mentorship=active,
                kind="mentoring",
                date=TODAY(),
                duration_minutes=60,
                format="video",
                **{field: PNR},
            )
        assert field in caught.value.message_dict
    session = SessionFactory(mentorship=active)
    with pytest.raises(ValidationError):
        services.confirm_session(ny, session=session, reflection=PNR)
    session.refresh_from_db()
    assert session.confirmed_at is None
    assert active.sessions.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "minutes", "field"),
    [(-1, 60, "date"), (100, 60, "date"), (1, 0, "duration_minutes"), (1, 481, "duration_minutes")],
)
def test_bad_sessions_are_refused(mentor, active, days, minutes, field):
    with pytest.raises(ValidationError) as caught:
        services.log_session(
            mentor,
            mentorship=active,
            kind="case",
            date=TODAY() - datetime.timedelta(days=days),
            duration_minutes=minutes,
            format="phone",
        )
    assert field in caught.value.message_dict
    assert not active.sessions.exists()


@pytest.mark.django_db
def test_database_refuses_self_mentorship_and_two_open_per_mentee(mentor, ny, active):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(mentor=ny, mentee=ny, organisation=active.organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(mentor=mentor, mentee=ny, organisation=active.organisation)


@pytest.fixture
def team(enhet_a, kommunadmin):
    """Two mentors (one with LVU) and three new hires without a mentor."""
    lvu = Specialisation.objects.get(code="lvu")
    lisa = mentor_in(enhet_a, capacity=1, full_name="Lisa Lvu")
    lisa.mentor_profile.specialisations.add(lvu)
    olle = mentor_in(enhet_a, capacity=2, full_name="Olle Ordinär")
    hires = [person(enhet_a, full_name=f"Ny {n}") for n in range(3)]
    services.save_mentee_needs(hires[2], mentee=hires[2], specialisations=[lvu])
    return lisa, olle, hires


@pytest.mark.django_db
def test_run_confirm_accept_and_decline(
    kommunadmin, kommun_a, team, django_capture_on_commit_callbacks
):
    lisa, _olle, hires = team
    run = services.run_matching(kommunadmin, organisation=kommun_a)
    proposals = {p.mentee_id: p for p in run.proposals.all()}
    assert len(proposals) == 3
    assert proposals[hires[2].pk].mentor_id == lisa.pk
    assert "Delar inriktning: LVU" in proposals[hires[2].pk].reason_texts
    assert run.total_score >= run.greedy_total_score > 0
    assert run.parameters["mentors"] == 2 and run.run_by == kommunadmin

    with pytest.raises(ValidationError) as caught:
        services.adjust_proposal(kommunadmin, proposal=proposals[hires[0].pk], mentor=lisa)
    assert "inga lediga platser" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.adjust_proposal(kommunadmin, proposal=proposals[hires[0].pk], mentor=hires[0])
    assert caught.value.message_dict["mentor"] == [str(services.SELF_MATCH)]

    with pytest.raises(PermissionDenied):
        services.confirm_run(hires[0], run=run)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.confirm_run(kommunadmin, run=run)
    assert len(created) == 3 and all(m.status == "proposed" for m in created)
    assert len(mail.outbox) == 6
    message = next(m for m in mail.outbox if m.to == [lisa.email])
    assert "mentor för" in message.subject
    assert message.alternatives[0][1] == "text/html"

    lvu_pair = next(m for m in created if m.mentor_id == lisa.pk)
    services.respond_to_proposal(lisa, mentorship=lvu_pair, accept=True)
    lvu_pair = services.respond_to_proposal(hires[2], mentorship=lvu_pair, accept=True)
    assert lvu_pair.status == "active" and lvu_pair.start_date == TODAY()

    declined = next(m for m in created if m.mentee_id == hires[0].pk)
    with pytest.raises(ValidationError):
        services.respond_to_proposal(hires[0], mentorship=declined, accept=False, reason=" ")
    with pytest.raises(ValidationError) as caught:
        services.respond_to_proposal(hires[0], mentorship=declined, accept=False, reason=PNR)
    assert caught.value.message_dict["reason"] == [str(IDENTITY_NUMBER_IN_TEXT)]
    with pytest.raises(PermissionDenied):
        services.respond_to_proposal(hires[1], mentorship=declined, accept=False, reason="x")
    services.respond_to_proposal(
        hires[0], mentorship=declined, accept=False, reason="Vi känner varandra privat."
    )

    # Re-run: the active pair stays, the declined pair is never proposed again even though
    # olle has a free place, and the freed mentee can be matched with someone else.
    rerun = services.run_matching(kommunadmin, organisation=kommun_a)
    assert list(rerun.proposals.all()) == []
    kim = mentor_in(lisa.memberships.get().unit, full_name="Kim Kollega")
    rerun = services.run_matching(kommunadmin, organisation=kommun_a)
    assert [(p.mentor_id, p.mentee_id) for p in rerun.proposals.all()] == [(kim.pk, hires[0].pk)]
    assert Mentorship.objects.get(pk=lvu_pair.pk).status == "active"
    assert MatchingRun.objects.count() == 3


@pytest.mark.django_db
def test_who_may_run_matching(
    kommun_a, kommun_b, enhet_a, enhet_b, kommunadmin, chef, mentor, team
):
    with pytest.raises(PermissionDenied):
        services.run_matching(kommunadmin, organisation=kommun_b)
    with pytest.raises(PermissionDenied):
        services.run_matching(chef, organisation=kommun_a)
    with pytest.raises(PermissionDenied):
        services.run_matching(chef, organisation=kommun_b, unit=enhet_b)
    with pytest.raises(PermissionDenied):
        services.run_matching(mentor, organisation=kommun_a, unit=enhet_a)
    run = services.run_matching(chef, organisation=kommun_a, unit=enhet_a)
    assert run.proposals.count() == 3


@pytest.mark.django_db
def test_ineligible_mentors_are_not_used(kommunadmin, kommun_a, enhet_a):
    junior = mentor_in(enhet_a, years=2)
    person(enhet_a)
    assert services.run_matching(kommunadmin, organisation=kommun_a).proposals.count() == 0
    junior.mentor_profile.years_experience = 3
    junior.mentor_profile.save()
    assert services.run_matching(kommunadmin, organisation=kommun_a).proposals.count() == 1


@pytest.mark.django_db
def test_agenda_from_completed_modules_is_ticked_off(mentor, ny, active, course):
    learning.enrol_in_course(None, learner=ny, course=course)
    first, second = list(course.modules())[:2]
    learning.submit_knowledge_check(ny, module=first, answers=right_answers(first))
    agenda = agenda_for(active)
    assert [e.prompt for e in agenda] == ["Vad tar du med dig från Modul 1?"]
    session = services.log_session(
        mentor,
        mentorship=active,
        kind="mentoring",
        date=TODAY(),
        duration_minutes=45,
        format="in_person",
        modules=[first],
        discussed=[agenda[0].key],
    )
    assert AgendaItem.objects.get().discussed_in == session
    assert agenda_for(active) == []
    learning.submit_knowledge_check(ny, module=second, answers=right_answers(second))
    assert [e.prompt for e in agenda_for(active)] == ["Vad tar du med dig från Modul 2?"]
    services.log_session(
        mentor,
        mentorship=active,
        kind="mentoring",
        date=TODAY(),
        duration_minutes=45,
        format="video",
    )
    # Not discussed: it stays on the agenda for next time.
    assert [e.prompt for e in agenda_for(active)] == ["Vad tar du med dig från Modul 2?"]
    confirmed = services.confirm_session(ny, session=session, reflection="Jag tar med mig lugnet.")
    assert confirmed.confirmed_at is not None
    with pytest.raises(PermissionDenied):
        services.confirm_session(mentor, session=session)


@pytest.mark.django_db
def test_checkin_reminder_is_sent_once(mentor, ny, active, django_capture_on_commit_callbacks):
    active.planned_frequency_days = 14
    active.save()
    SessionFactory(mentorship=active, date=TODAY() - datetime.timedelta(days=20))
    assert services.send_due_checkin_reminders() == []
    later = TODAY() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_due_checkin_reminders(later)
    assert len(sent) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == [mentor.email]
    assert "Dags för samtal" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_checkin_reminders(later + datetime.timedelta(days=1)) == []
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().sent_at is not None


@pytest.mark.django_db
def test_mentee_role_is_new_hire(ny):
    assert ny.memberships.get().role == Role.NEW_HIRE


# Exact (tests/queries.py), for one mentorship or seventeen in two municipalities.
CHECKIN_SCAN_QUERIES = 3


@pytest.mark.django_db
def test_checkin_scan_queries_do_not_grow_with_mentorships(enhet_a, enhet_b):
    from mentoring.models import MentoringSettings

    MentoringSettings.objects.create(organisation=enhet_a.organisation, reminder_grace_days=3)
    MentoringSettings.objects.create(organisation=enhet_b.organisation, reminder_grace_days=9)

    def add_recent_mentorship(unit):
        mentorship = MentorshipFactory(mentor=mentor_in(unit), mentee=person(unit))
        SessionFactory(mentorship=mentorship, date=TODAY() - datetime.timedelta(days=1))

    add_recent_mentorship(enhet_a)
    with exact_queries(CHECKIN_SCAN_QUERIES):
        assert services.send_due_checkin_reminders() == []
    for unit in (enhet_a, enhet_b) * 8:
        add_recent_mentorship(unit)
    with exact_queries(CHECKIN_SCAN_QUERIES):
        assert services.send_due_checkin_reminders() == []
