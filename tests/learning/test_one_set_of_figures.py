"""One set of figures (issue 19): for one data set with every edge, the learner's dashboard,
Mitt team, the managers' weekly digest and the daily reminders agree on who has how many
overdue modules, person by person, read through the real pages and the real outbox tasks.

The edges: due today (not overdue), due yesterday (overdue, and yesterday's overdue reminder),
completed late (no longer overdue), an unpublished module with a passed deadline (never
counted), a withdrawn enrolment (never counted), a course due date without module deadlines
(each module is due with its course), a changed start date (the plan's dates follow it), and a
person in two units of the same manager (one row in Mitt team, the same figure in both units of
the digest).
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from learning import reminders, services, tasks
from learning.models import (
    Enrolment,
    ModuleDeadline,
    ModuleProgress,
    OnboardingPlan,
    PlanCourse,
)
from learning.selectors import figures
from learning.services.onboarding import apply_onboarding_plan
from people.models import Membership, Role
from people.services import add_membership
from people.staff import change_membership
from tests.factories import UnitFactory, UserFactory, add_module

DAY = datetime.timedelta(days=1)


def _person(name, role, *units, start):
    user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org")
    for unit in units:
        add_membership(None, user=user, role=role, unit=unit, start_date=start)
    return user


def _dates(enrolment, modules, *days):
    for module, day in zip(modules, days, strict=True):
        ModuleDeadline.objects.create(enrolment=enrolment, module=module, due_date=day)


@pytest.fixture
def world(course, enhet_a, chef, kommunadmin):
    """Six people in the manager's two units, each with their edge; the expected overdue
    counts (by name) and today's expected reminders as (name, kind, module title)."""
    today = timezone.localdate()
    modules = list(course.get_children().specific().order_by("path"))
    draft = add_module(course, title="Modul 4 (utkast)")
    draft.unpublish()
    second = UnitFactory(organisation=enhet_a.organisation, name="Barn och unga – insats")
    add_membership(None, user=chef, role=Role.MANAGER, unit=second, start_date=today)
    start = today - 30 * DAY

    # Due yesterday, due today, due in three days; a passed deadline on an unpublished module.
    anna = _person("Anna Ahl", Role.NEW_HIRE, enhet_a, start=start)
    enrolment = services.enrol_in_course(
        None, learner=anna, course=course, due_date=today + 10 * DAY
    )
    _dates(enrolment, modules, today - DAY, today, today + 3 * DAY)
    ModuleDeadline.objects.create(enrolment=enrolment, module=draft, due_date=today - DAY)

    # In two units; the course is due yesterday and its modules have no deadlines of their
    # own; the first module was completed late, today.
    bo = _person("Bo Berg", Role.NEW_HIRE, enhet_a, second, start=start)
    enrolment = services.enrol_in_course(None, learner=bo, course=course, due_date=today - DAY)
    ModuleProgress.objects.create(
        enrolment=enrolment, module=modules[0], completed_at=timezone.now()
    )

    # Withdrawn from a course long overdue.
    cia = _person("Cia Ck", Role.SOCIAL_SECRETARY, enhet_a, start=start)
    enrolment = services.enrol_in_course(
        None, learner=cia, course=course, due_date=today - 10 * DAY
    )
    _dates(enrolment, modules, *[today - 10 * DAY] * 3)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    # The onboarding plan dated everything 20 days ago; then the start date moved 25 days on.
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=10)
    dan = _person("Dan Dahl", Role.NEW_HIRE, second, start=start)
    membership = Membership.objects.get(user=dan)
    apply_onboarding_plan(membership)
    assert figures.overdue_counts(on=today, users=[dan.pk]) == {dan.pk: 3}
    membership = change_membership(
        kommunadmin,
        membership=membership,
        role=Role.NEW_HIRE,
        unit=second,
        start_date=start + 25 * DAY,
    )
    apply_onboarding_plan(membership)  # what the re-dating task does after the change

    # A mentor is part of the team too, and one module two days late.
    eva = _person("Eva Ek", Role.MENTOR, enhet_a, start=start)
    enrolment = services.enrol_in_course(
        None, learner=eva, course=course, due_date=today + 30 * DAY
    )
    _dates(enrolment, modules, today - 2 * DAY, today + 30 * DAY, today + 30 * DAY)

    # Nothing but the reminders and the digest is left for the outbox.
    OutboxMessage.objects.exclude(handler=tasks.reminder_email.outbox_name).update(
        status=OutboxMessage.Status.DELIVERED
    )
    people = {"Anna Ahl": anna, "Bo Berg": bo, "Cia Ck": cia, "Dan Dahl": dan, "Eva Ek": eva}
    expected = {"Anna Ahl": 1, "Bo Berg": 2, "Cia Ck": 0, "Dan Dahl": 0, "Eva Ek": 1}
    reminders_today = {
        ("Anna Ahl", reminders.Kind.OVERDUE, modules[0].title),
        ("Anna Ahl", reminders.Kind.DUE_SOON, modules[2].title),
        ("Bo Berg", reminders.Kind.OVERDUE, modules[1].title),
        ("Bo Berg", reminders.Kind.OVERDUE, modules[2].title),
    }
    return people, expected, reminders_today, modules


def _dashboard(client, user) -> tuple[int, dict]:
    """The learner's own count, and their dated modules: {title: (due, overdue, due soon)}."""
    client.force_login(user)
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    courses = response.context["courses"]
    dated = {
        status.module.title: (status.due_date, status.is_overdue, status.due_soon)
        for course in courses
        for status in course.modules
        if status.due_date is not None
    }
    return sum(course.overdue_modules for course in courses), dated


def _team(client, chef) -> dict[str, int]:
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    assert response.status_code == 200
    return {member.name: member.overdue for member in response.context["team"].members}


LINE = re.compile(r"^\s*– (?P<name>[^:]+): (?P<n>\d+) försenade? modul(?:er)?$", re.MULTILINE)


def _digest(chef) -> list[tuple[str, int]]:
    """The overdue modules per person as the weekly digest's email states them, unit by unit."""
    mail.outbox.clear()
    assert reminders.queue_weekly_digests(timezone.localdate()) >= 1
    outbox.deliver_batch()
    (email,) = [m for m in mail.outbox if m.to == [chef.email]]
    return [(match["name"], int(match["n"])) for match in LINE.finditer(email.body)]


@pytest.mark.django_db
def test_dashboard_mitt_team_digest_and_reminders_agree_person_by_person(client, chef, world):
    people, expected, reminders_today, modules = world
    today = timezone.localdate()

    dashboard = {}
    for name, user in people.items():
        count, dated = _dashboard(client, user)
        dashboard[name] = count
        if name == "Anna Ahl":
            # Due today is due soon, not overdue; the unpublished module is not listed.
            assert dated == {
                modules[0].title: (today - DAY, True, False),
                modules[1].title: (today, False, True),
                modules[2].title: (today + 3 * DAY, False, True),
            }
        if name == "Bo Berg":
            # Due with the course; the first was completed late and is not overdue.
            assert dated == {m.title: (today - DAY, m != modules[0], False) for m in modules}
    assert dashboard == expected

    team = _team(client, chef)
    assert team == expected  # Bo, in both units, is one row

    digest = _digest(chef)
    behind = {name: n for name, n in expected.items() if n}
    assert dict(digest) == behind
    # Bo is behind in both of the manager's units, with the same figure in each.
    assert sorted(name for name, _n in digest) == sorted([*behind, "Bo Berg"])

    mail.outbox.clear()
    reminders.queue_daily_reminders(today)
    outbox.deliver_batch()
    names = {user.pk: name for name, user in people.items()}
    titles = {m.pk: m.title for m in modules}
    sent = {
        (names[row.args["user_id"]], row.args["kind"], titles[int(row.args["subject"][7:])])
        for row in OutboxMessage.objects.filter(
            handler=tasks.reminder_email.outbox_name, status=OutboxMessage.Status.DELIVERED
        ).exclude(args__kind=reminders.Kind.DIGEST)
    }
    assert sent == reminders_today
    assert len(mail.outbox) == len(reminders_today)
    # Yesterday's overdue reminders are exactly the modules the dashboard shows as overdue
    # since yesterday; the due-soon ones exactly those it shows due in three days.
    for name, user in people.items():
        _count, dated = _dashboard(client, user)
        assert {
            (name, reminders.Kind.OVERDUE, title)
            for title, (due, overdue, _soon) in dated.items()
            if overdue and due == today - DAY
        } | {
            (name, reminders.Kind.DUE_SOON, title)
            for title, (due, _overdue, soon) in dated.items()
            if soon and due == today + 3 * DAY
        } == {r for r in reminders_today if r[0] == name}


@pytest.mark.django_db
def test_a_module_is_overdue_after_its_day_until_the_day_it_is_completed(course, ny):
    today = timezone.localdate()
    module = course.get_children().specific().order_by("path").first()
    enrolment = services.enrol_in_course(None, learner=ny, course=course, due_date=today)
    ModuleDeadline.objects.create(enrolment=enrolment, module=module, due_date=today - 2 * DAY)

    def overdue(day):
        return sorted(
            figures.overdue_modules(on=day, users=[ny.pk]).values_list("module_id", flat=True)
        )

    assert overdue(today - 2 * DAY) == []  # due that day: not yet
    assert overdue(today - DAY) == [module.pk]
    # The course's other modules are due with the course, today: overdue from tomorrow.
    assert len(overdue(today + DAY)) == 3
    ModuleProgress.objects.create(enrolment=enrolment, module=module, completed_at=timezone.now())
    assert overdue(today) == []
    assert overdue(today - DAY) == [module.pk]  # completed late: it was overdue yesterday
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    assert overdue(today + 5 * DAY) == []
