"""Rounds (omgångar): the new hire's pulse opens at 1, 3, 6 and 12 months after the start date
(also with the clock years ahead), the quarterly one for everyone in the units; one email per
invitation through the outbox, exactly once; and at close nothing links an answer to a person."""

import datetime
from email.header import decode_header, make_header

import pytest
import time_machine
from django.db import models
from django.utils import timezone

from core import outbox
from core.dates import add_months
from core.models import OutboxMessage
from people.models import Role
from pulse import services
from pulse.models import (
    MILESTONE_MONTHS,
    PulseAnswer,
    PulseInvitation,
    PulseRound,
    quarter_start,
)
from tests.core.smtp import LocalSMTPServer
from tests.factories import UnitFactory
from tests.mentoring.factories import person
from tests.pulse.conftest import open_round_for

HANDLER = "pulse.tasks.invitation_email"


def _day_off_the_quarterly_window(day: datetime.date) -> datetime.date:
    """The same month's 20th: no quarterly round is open then (days 1–14 of a quarter)."""
    return day.replace(day=20)


def milestone_invitations(user):
    return list(
        PulseInvitation.objects.filter(person=user, months__isnull=False)
        .select_related("round")
        .order_by("months")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("years_ahead", [0, 3])
def test_a_new_hire_is_asked_at_1_3_6_and_12_months(years_ahead):
    now = timezone.now() + datetime.timedelta(days=365 * years_ahead)
    with time_machine.travel(now, tick=False):
        today = timezone.localdate()
        start = _day_off_the_quarterly_window(today)
        unit = UnitFactory()
        new_hire = person(unit, Role.NEW_HIRE, start=start)
        colleague = person(unit, Role.SOCIAL_SECRETARY, start=start - datetime.timedelta(400))
        day = start
        while day <= add_months(start, 12) + datetime.timedelta(days=30):
            services.run_daily(day)
            day += datetime.timedelta(days=1)
    asked = [(i.months, i.round.opens_on, i.round.kind) for i in milestone_invitations(new_hire)]
    assert asked == [
        (months, add_months(start, months), PulseRound.Kind.MILESTONE)
        for months in MILESTONE_MONTHS
    ]
    assert milestone_invitations(colleague) == []
    # Both were asked every quarter in between (four or five quarter starts in the time).
    quarterly = PulseInvitation.objects.filter(round__kind=PulseRound.Kind.QUARTERLY)
    assert quarterly.filter(person=new_hire).count() == quarterly.filter(person=colleague).count()
    assert quarterly.filter(person=new_hire).count() >= 4


@pytest.mark.django_db
def test_a_missed_milestone_is_caught_up_then_given_up():
    today = _day_off_the_quarterly_window(timezone.localdate())
    unit = UnitFactory()
    missed_by_days = person(
        unit, Role.NEW_HIRE, start=add_months(today, -1) - datetime.timedelta(3)
    )
    # A first month that ended the catch-up days ago: the start one month before that day. (A
    # month back from today and then the catch-up days back landed on the 29th-31st of a month
    # whose next month is shorter: the milestone then came a day or two later, inside the
    # catch-up days, on 20 December.) A month with fewer days can move it earlier, never later.
    too_late = person(
        unit,
        Role.NEW_HIRE,
        start=add_months(today - datetime.timedelta(services.MILESTONE_CATCH_UP_DAYS), -1),
    )
    late = (today - add_months(too_late.memberships.get().start_date, 1)).days
    assert late >= services.MILESTONE_CATCH_UP_DAYS
    services.open_due_rounds(today)
    assert [i.months for i in milestone_invitations(missed_by_days)] == [1]
    assert milestone_invitations(too_late) == []


@pytest.mark.django_db
def test_a_milestone_during_the_quarterly_pulse_waits_until_it_closes():
    quarter = quarter_start(timezone.localdate())
    unit = UnitFactory()
    # The 3-month milestone falls on the quarter's fifth day, inside the quarterly round.
    new_hire = person(unit, Role.NEW_HIRE, start=add_months(quarter + datetime.timedelta(4), -3))
    closes = quarter + datetime.timedelta(days=services.ROUND_DAYS)
    day = quarter
    while day <= closes:
        services.run_daily(day)
        day += datetime.timedelta(days=1)
    invitations = PulseInvitation.objects.filter(person=new_hire).select_related("round")
    assert sorted((i.round.kind, i.round.opens_on) for i in invitations) == sorted(
        [(PulseRound.Kind.MILESTONE, closes), (PulseRound.Kind.QUARTERLY, quarter)]
    )


@pytest.mark.django_db
def test_the_quarterly_round_asks_everyone_in_the_units_once(
    ny, mentor, chef, kommunadmin, redaktor, utomstaende
):
    quarter = quarter_start(timezone.localdate() + datetime.timedelta(days=92))
    gone = person(ny.memberships.first().unit, Role.SOCIAL_SECRETARY, start=quarter)
    gone.is_active = False
    gone.save()
    assert services.open_due_rounds(quarter) == 4
    assert services.open_due_rounds(quarter) == 0
    assert services.open_due_rounds(quarter + datetime.timedelta(days=1)) == 0
    asked = set(PulseInvitation.objects.values_list("person__email", flat=True))
    assert asked == {ny.email, mentor.email, chef.email, utomstaende.email}
    assert PulseRound.objects.filter(kind=PulseRound.Kind.QUARTERLY).count() == 2  # A and B


@pytest.mark.django_db
def test_a_quarter_whose_first_fortnight_was_missed_waits_for_the_next(ny):
    quarter = quarter_start(timezone.localdate() + datetime.timedelta(days=92))
    late = quarter + datetime.timedelta(days=services.QUARTERLY_OPEN_DAYS)
    # The quarterly invitations only: ny is a new hire, and a milestone of hers can fall due
    # within these days, depending on the day the tests run (it did 60 days on).
    asked = PulseInvitation.objects.filter(round__kind=PulseRound.Kind.QUARTERLY, person=ny)
    services.open_due_rounds(late)
    assert not asked.exists()
    services.open_due_rounds(late - datetime.timedelta(days=1))
    assert asked.get().round.period_start == quarter


@pytest.fixture
def smtp(settings):
    server = LocalSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"]))).strip()


@pytest.mark.django_db
def test_one_email_per_invitation_exactly_once_in_the_persons_language(
    smtp, django_capture_on_commit_callbacks
):
    # The job runs on the day it is: an invitation's email goes out while its round is open
    # (pulse.tasks.invitation_email), so the clock is on that day too. Without it the test
    # passed only from the 20th of a month to the round's last day (it failed on 1 December).
    today = _day_off_the_quarterly_window(timezone.localdate())
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    with time_machine.travel(noon, tick=True):
        unit = UnitFactory()
        swedish = person(unit, Role.NEW_HIRE, start=add_months(today, -3))
        english = person(unit, Role.NEW_HIRE, start=add_months(today, -6), preferred_language="en")
        for _ in range(2):  # the daily job run twice (a retried task)
            with django_capture_on_commit_callbacks(execute=True):
                services.run_daily(today)
        rows = OutboxMessage.objects.filter(handler=HANDLER)
        recipients = sorted(rows.values_list("recipient_id", flat=True))
        assert recipients == sorted([swedish.pk, english.pk])
        for row in rows:  # a duplicated delivery task finds the row delivered
            assert outbox.deliver(row.pk) is False
    by_recipient = {message["To"]: message for message in smtp.messages}
    assert len(smtp.messages) == 2 and set(by_recipient) == {swedish.email, english.email}
    assert subject(by_recipient[swedish.email]) == "Tre snabba frågor: hur har du det på jobbet?"
    assert subject(by_recipient[english.email]) == "Three quick questions: how are things at work?"
    body = by_recipient[swedish.email].get_payload()[0].get_payload(decode=True).decode()
    assert "3 månader" in body
    token = PulseInvitation.objects.get(person=swedish).token
    assert f"/puls/{token}/" in body


@pytest.mark.django_db
def test_no_email_once_answered_or_closed(ny, enhet_a, mailoutbox):
    round_ = open_round_for((ny, enhet_a))
    invitation = PulseInvitation.objects.get(round=round_)
    services.answer_pulse(ny, invitation=invitation, workload=3, support=3, stay=3)
    from pulse.tasks import invitation_email

    assert invitation_email(invitation.pk) is None
    PulseInvitation.objects.filter(pk=invitation.pk).update(answered_at=None)
    services.close_due_rounds(round_.closes_on)
    assert invitation_email(invitation.pk) is None


def _links_to(model, targets) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
        and field.related_model in targets
    ]


@pytest.mark.django_db
def test_at_close_no_row_links_an_answer_to_a_person(ny, mentor, chef, enhet_a):
    from django.contrib.auth import get_user_model

    # By design: an answer never names its person or invitation, only (until close) its round.
    assert _links_to(PulseAnswer, {get_user_model(), PulseInvitation}) == []
    round_ = open_round_for((ny, enhet_a), (mentor, enhet_a), (chef, enhet_a))
    for user in (ny, mentor):
        invitation = PulseInvitation.objects.get(round=round_, person=user)
        services.answer_pulse(user, invitation=invitation, workload=2, support=4, stay=5)
    assert PulseAnswer.objects.filter(round=round_).count() == 2
    assert PulseInvitation.objects.filter(answered_at__isnull=False).count() == 2
    assert PulseAnswer.objects.released().count() == 0

    assert services.close_due_rounds(round_.closes_on - datetime.timedelta(days=1)) == 0
    assert services.close_due_rounds(round_.closes_on) == 1
    assert services.close_due_rounds(round_.closes_on) == 0

    assert PulseAnswer.objects.filter(round__isnull=False).count() == 0
    assert PulseInvitation.objects.filter(answered_at__isnull=False).count() == 0
    assert PulseAnswer.objects.released().count() == 2
    # What is left of an answer: the municipality, the unit and the quarter.
    answer = PulseAnswer.objects.first()
    assert (answer.organisation_id, answer.unit_id, answer.period_start) == (
        enhet_a.organisation_id,
        enhet_a.pk,
        round_.period_start,
    )
    round_.refresh_from_db()
    assert round_.closed_at is not None


@pytest.mark.django_db
def test_the_persons_own_data_lists_their_invitations_and_no_answer(ny, inbjudan):
    from people.personal_data import personal_data_for

    services.answer_pulse(ny, invitation=inbjudan, workload=1, support=2, stay=3, comment="Hemligt")
    data = personal_data_for(ny)
    assert [row["pk"] for row in data["pulse.pulseinvitation (person)"]] == [inbjudan.pk]
    assert "Hemligt" not in str(data)
