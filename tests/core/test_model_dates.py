"""Model names (__str__) show dates as people read them (issue 17): they appear in the Wagtail
admin, audit-log lines, select options and emails, so "29 nov. 2025" in Swedish and "29 Nov 2025"
in English, never ISO "2025-11-29" (ISO is for exports only). Unsaved instances: a name is built
from the fields alone, no database needed."""

import datetime

import pytest
from django.utils import timezone, translation

from content.models import ModulePage
from learning.models import Enrolment, ModuleDeadline, ModuleDue, RunSession
from mentoring.models import (
    CaseReview,
    MatchingRun,
    Mentorship,
    Reminder,
    SupervisedCase,
    SupervisionSession,
)
from people.models import AccessibilityReport, AuditEvent, Organisation, User
from pulse.models import PulseRound
from safety.models import Incident, IncidentReminder, SafetyCheck

# Last year's 29 November: a date that is never this year's, so the year must show.
DAY = datetime.date(timezone.localdate().year - 1, 11, 29)
NOON = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(12, 5)))
SV = f"29 nov. {DAY.year}"
EN = f"29 Nov {DAY.year}"


def named_things():
    person = User(full_name="Olle Olsson", email="olle@example.org")
    kommun = Organisation(name="Kommun A")
    incident = Incident(person=person, occurred_on=DAY)
    return {
        "safety check": SafetyCheck(person=person, planned_on=DAY),
        "incident": incident,
        "incident reminder": IncidentReminder(
            incident=incident, task=IncidentReminder.Task.FOLLOW_UP, day=DAY
        ),
        "supervision session": SupervisionSession(kind=SupervisionSession.Kind.MENTORING, date=DAY),
        "case review": CaseReview(case=SupervisedCase(reference="Ä-1"), date=DAY),
        "mentoring reminder": Reminder(
            mentorship=Mentorship(mentor=User(full_name="Maria Mentor"), mentee=person),
            kind=Reminder.Kind.CHECK_IN,
            date=DAY,
        ),
        "module deadline": ModuleDeadline(
            enrolment=Enrolment(user=person), module=ModulePage(title="Modul 1"), due_date=DAY
        ),
        "module due": ModuleDue(enrolment_id=1, module_id=2, due_date=DAY),
        "matching run": MatchingRun(organisation=kommun, created_at=NOON),
        "pulse round": PulseRound(
            organisation=kommun, kind=PulseRound.Kind.QUARTERLY, opens_on=DAY
        ),
        "run session": RunSession(
            date=DAY, start_time=datetime.time(9), end_time=datetime.time(12)
        ),
        "accessibility report": AccessibilityReport(created_at=NOON, description="Knappen"),
        "audit event": AuditEvent(at=NOON, actor_label="Anna Admin"),
    }


NAMES = (
    "safety check",
    "incident",
    "incident reminder",
    "supervision session",
    "case review",
    "mentoring reminder",
    "module deadline",
    "module due",
    "matching run",
    "pulse round",
    "run session",
    "accessibility report",
    "audit event",
)


def test_every_named_thing_is_checked(db):
    assert sorted(named_things()) == sorted(NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("language", "expected"), [("sv", SV), ("en", EN)])
def test_a_models_name_reads_its_date_in_the_readers_language(name, language, expected):
    with translation.override(language):
        text = str(named_things()[name])
    assert expected in text
    assert DAY.isoformat() not in text
    assert f"{DAY:%Y-%m}" not in text


@pytest.mark.django_db
def test_the_choice_label_not_the_code_and_the_time_in_local_time():
    things = named_things()
    with translation.override("en"):
        assert str(things["incident reminder"]) == f"Olle Olsson {EN} Follow up {EN}"
        assert str(things["matching run"]) == f"Kommun A {EN} at 12:05"
        assert str(things["run session"]).endswith(f"29 Nov {DAY.year} 09:00–12:00")
    with translation.override("sv"):
        assert str(things["incident reminder"]) == f"Olle Olsson {SV} Följ upp {SV}"
        assert str(things["matching run"]) == f"Kommun A {SV} kl. 12:05"
        assert str(things["supervision session"]) == f"Mentorsamtal {SV}"


@pytest.mark.parametrize(
    ("language", "expected"), [("sv", "Kommun A 2026 K3"), ("en", "Kommun A Q3 2026")]
)
def test_a_pulse_answer_is_named_by_its_quarter(language, expected):
    from pulse.models import PulseAnswer

    # The first day of the quarter's first month, as stored: once named "Kommun A 2026-07".
    answer = PulseAnswer(
        organisation=Organisation(name="Kommun A"), period_start=datetime.date(2026, 7, 1)
    )
    with translation.override(language):
        assert str(answer) == expected
