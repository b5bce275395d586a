"""'Mitt team': the manager's view of their units, its charts, exports and query budget."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning.models import Certificate, Enrolment, ModuleDeadline, ModuleProgress
from mentoring.models import Mentorship
from people.models import AuditEvent, Membership, Role, User
from people.services import add_membership
from team.selectors import progress_distribution, team_overview_for
from tests.factories import UnitFactory, UserFactory, add_course, add_module
from tests.queries import exact_queries

TODAY = timezone.localdate()


def _staff(unit, count, *, course, start=datetime.date(2026, 9, 1)):
    """`count` new hires in the unit, enrolled in the course, bulk-created so 500 stays fast."""
    users = User.objects.bulk_create(
        User(email=f"team{unit.pk}-{n}@example.org", full_name=f"Anställd {n:03d}")
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=unit.organisation,
            unit=unit,
            role=Role.NEW_HIRE,
            start_date=start,
        )
        for user in users
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=user, course=course, due_date=TODAY + datetime.timedelta(days=30))
        for user in users
    )
    return users


def _complete(user, module, *, when=None):
    enrolment = Enrolment.objects.get(user=user, course__path=module.path[: -module.steplen])
    ModuleProgress.objects.create(
        enrolment=enrolment, module=module, completed_at=when or timezone.now()
    )


@pytest.fixture
def team(course, chef, ny, mentor, enhet_a):
    """ny is enrolled in the three-module course, has finished one, and one is overdue."""
    modules = list(course.get_children().specific())
    enrolment = Enrolment.objects.create(user=ny, course=course, due_date=TODAY)
    _complete(ny, modules[0])
    ModuleDeadline.objects.create(
        enrolment=enrolment, module=modules[1], due_date=TODAY - datetime.timedelta(days=3)
    )
    return modules


@pytest.mark.django_db
def test_manager_sees_progress_overdue_mentor_and_certificate(client, chef, ny, mentor, team):
    Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=ny.memberships.get().organisation,
        status=Mentorship.Status.ACTIVE,
        start_date=TODAY,
    )
    enrolment = Enrolment.objects.get(user=ny)
    Certificate.objects.create(
        enrolment=enrolment, user=ny, course=enrolment.course, course_title="Yrkesintro", code="A1"
    )
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    assert response.status_code == 200
    row = next(m for m in response.context["team"].members if m.user_id == ny.pk)
    assert (row.completed, row.total, row.overdue) == (1, 3, 1)
    assert row.mentor_name == mentor.full_name
    assert row.certificate_title == "Yrkesintro"
    body = response.content.decode()
    assert 'max="3" value="1"' in body
    assert "Försenade moduler de senaste 12 veckorna" in body
    assert "<svg" in body and "cdn" not in body.lower()
    # SVG coordinates are numbers with a decimal point, whatever the language (sv uses a comma).
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert not re.search(r'(?:x|y|width|height|y1|y2)="\d+,\d', svg)
    # The manager is not a member of their own team; the mentor is.
    names = {m.name for m in response.context["team"].members}
    assert chef.full_name not in names and mentor.full_name in names


@pytest.mark.django_db
def test_each_person_shows_their_latest_certificate_on_its_local_day(
    client, catalog, chef, ny, mentor, team
):
    """The certificate comes with the members' rows (learning.latest_certificate_of): the
    latest of several, dated by the local day it was issued; none for someone without."""
    other = add_course(catalog, title="Fördjupning")
    add_module(other, title="Modul A")
    day = TODAY - datetime.timedelta(days=40)
    # 23:30 UTC the evening before is already `day` in Stockholm (UTC+1 or +2).
    late = datetime.datetime.combine(
        day - datetime.timedelta(days=1), datetime.time(23, 30), tzinfo=datetime.UTC
    )
    Certificate.objects.create(
        enrolment=Enrolment.objects.create(user=ny, course=other),
        user=ny,
        course=other,
        course_title="Nyare",
        code="B2",
        issued_at=late,
    )
    first = Enrolment.objects.get(user=ny, course__title="Yrkesintroduktion")
    Certificate.objects.create(
        enrolment=first,
        user=ny,
        course=first.course,
        course_title="Äldre",
        code="A1",
        issued_at=late - datetime.timedelta(days=100),
    )
    members = {m.user_id: m for m in team_overview_for(chef).members}
    assert (members[ny.pk].certificate_title, members[ny.pk].certificate_issued) == ("Nyare", day)
    assert (members[mentor.pk].certificate_title, members[mentor.pk].certificate_issued) == (
        "",
        None,
    )


@pytest.mark.django_db
def test_course_due_date_counts_for_modules_without_their_own_deadline(chef, ny, team):
    # Through save(), as the onboarding service changes it: the stored module counts
    # (learning.tallies) follow the enrolment's due date on its post_save.
    enrolment = Enrolment.objects.get(user=ny)
    enrolment.due_date = TODAY - datetime.timedelta(days=1)
    enrolment.save(update_fields=["due_date", "updated_at"])
    member = next(m for m in team_overview_for(chef).members if m.user_id == ny.pk)
    # Module 2 by its own deadline, module 3 by the course's; module 1 is done.
    assert member.overdue == 2


@pytest.mark.django_db
def test_filters_and_sorting(client, chef, ny, mentor, team):
    client.force_login(chef)
    overdue = client.get(reverse("team:overview"), {"visa": "forsenade"}).context["team"]
    assert [m.user_id for m in overdue.members] == [ny.pk]
    without = client.get(reverse("team:overview"), {"visa": "utan-mentor"}).context["team"]
    assert [m.user_id for m in without.members] == [ny.pk]
    by_overdue = client.get(reverse("team:overview"), {"sortera": "forsenade"}).context["team"]
    assert by_overdue.members[0].user_id == ny.pk
    by_name = client.get(reverse("team:overview"), {"sortera": "namn"}).context["team"]
    assert [m.name for m in by_name.members] == sorted(m.name for m in by_name.members)
    # An unknown sort or filter falls back to the defaults instead of failing.
    response = client.get(reverse("team:overview"), {"sortera": "<x>", "visa": "'; drop"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_empty_filter_says_so(client, chef, mentor, enhet_a):
    client.force_login(chef)
    body = client.get(reverse("team:overview"), {"visa": "forsenade"}).content.decode()
    assert "Ingen i teamet matchar filtret" in body


@pytest.mark.django_db
def test_a_manager_sees_only_the_units_they_manage(client, chef, enhet_a, enhet_b, team):
    other_unit_same_municipality = UnitFactory(organisation=enhet_a.organisation, name="Vuxen")
    client.force_login(chef)
    assert client.get(reverse("team:unit", args=[enhet_a.pk])).status_code == 200
    for unit in (enhet_b, other_unit_same_municipality):
        assert client.get(reverse("team:unit", args=[unit.pk])).status_code == 404
        assert client.get(reverse("team:unit_export", args=[unit.pk, "csv"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "mentor", "kommunadmin", "redaktor", "utomstaende"])
def test_everyone_but_managers_gets_a_404(client, request, cast, enhet_a):
    client.force_login(request.getfixturevalue(cast))
    assert client.get(reverse("team:overview")).status_code == 404
    assert client.get(reverse("team:export", args=["csv"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, enhet_a):
    response = client.get(reverse("team:overview"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_manager_of_two_units_sees_both_and_can_pick_one(client, chef, ny, enhet_a, team):
    second = UnitFactory(organisation=enhet_a.organisation, name="Mottagning")
    add_membership(None, user=chef, role=Role.MANAGER, unit=second, start_date=TODAY)
    other = UserFactory(full_name="Ö Mottagningsson")
    add_membership(None, user=other, role=Role.SOCIAL_SECRETARY, unit=second, start_date=TODAY)
    client.force_login(chef)
    everyone = client.get(reverse("team:overview"))
    assert {ny.pk, other.pk} <= {m.user_id for m in everyone.context["team"].members}
    assert "Mottagning" in everyone.content.decode()
    one = client.get(reverse("team:unit", args=[second.pk])).context["team"]
    assert [m.user_id for m in one.members] == [other.pk]


@pytest.mark.django_db
def test_csv_and_xlsx_export_the_same_rows_and_are_audited(client, chef, ny, mentor, team):
    client.force_login(chef)
    response = client.get(reverse("team:export", args=["csv"]), {"visa": "forsenade"})
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Namn" and rows[0][8] == "Försenade moduler"
    assert [row[0] for row in rows[1:]] == [ny.full_name]
    assert rows[1][5:9] == ["1", "3", "33", "1"]

    response = client.get(reverse("team:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Namn"
    assert {row[0] for row in values[1:]} == {ny.full_name, mentor.full_name}

    assert AuditEvent.objects.filter(action="export", object_type="team.overview").count() == 2
    assert client.get(reverse("team:export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_exports_do_not_let_a_name_become_a_spreadsheet_formula(client, chef, enhet_a):
    user = UserFactory(full_name="=HYPERLINK(1)")
    add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=TODAY)
    client.force_login(chef)
    response = client.get(reverse("team:export", args=["csv"]))
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_progress_distribution_buckets():
    from team.selectors import TeamMember

    def member(completed, total):
        return TeamMember(1, "x", "x@e", "u", [], TODAY, True, completed=completed, total=total)

    members = [member(0, 4), member(1, 4), member(3, 4), member(4, 4), member(0, 0)]
    assert progress_distribution(members) == [
        ("0–24 %", 1),
        ("25–49 %", 1),
        ("50–74 %", 0),
        ("75–99 %", 1),
        ("100 %", 1),
        ("Inga moduler", 1),
    ]


@pytest.mark.django_db
def test_overdue_history_counts_what_was_overdue_on_each_day(chef, ny, mentor, course):
    week = datetime.timedelta(weeks=1)
    first, second, third = course.get_children().specific().order_by("path")

    def noon(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    long_ago = Enrolment.objects.create(
        user=ny, course=course, due_date=TODAY + 10 * week, enrolled_at=noon(TODAY - 20 * week)
    )
    # Overdue for the last 5 weeks, still open; overdue for 3 weeks, then done.
    ModuleDeadline.objects.create(enrolment=long_ago, module=first, due_date=TODAY - 5 * week)
    ModuleDeadline.objects.create(enrolment=long_ago, module=second, due_date=TODAY - 5 * week)
    ModuleProgress.objects.create(
        enrolment=long_ago, module=second, completed_at=noon(TODAY - 2 * week)
    )
    # Enrolled today, due 30 weeks ago: only today counts.
    today = Enrolment.objects.create(user=mentor, course=course, enrolled_at=noon(TODAY))
    ModuleDeadline.objects.create(enrolment=today, module=third, due_date=TODAY - 30 * week)
    points = dict(team_overview_for(chef).overdue_history)
    assert len(points) == 12
    assert points[TODAY - 11 * week] == 0
    assert points[TODAY - 4 * week] == 2
    assert points[TODAY - week] == 1
    assert points[TODAY] == 2


# Exact (tests/queries.py): "Mitt team" whatever the team's size; one of them counts the
# incidents this quarter per unit (safety, issue 22). The introductions waiting for the
# manager's sign-off (issue 19) come with the enrolments the progress is read from.
# "Väntar på mig" (issue 18) opens the page: one query for all its groups since issue 23
# (people.waiting; it was + 7: mentorships 2, change requests, reviews, cases, incidents and
# the manager's own courses 1 each).
# 12 before each person's latest certificate came with the memberships (issue 23, session 32).
TEAM_QUERIES = 11  # 21 before the cached chrome (issue 23: 3 fewer), then 18


@pytest.mark.django_db
def test_query_count_is_the_same_for_5_and_500_staff(client, chef, course, enhet_a):
    modules = list(course.get_children().specific())
    add_module(course, title="Modul 4")
    client.force_login(chef)
    _staff(enhet_a, 5, course=course)
    client.get(reverse("team:overview"))  # warm the site and session caches
    with exact_queries(TEAM_QUERIES):  # issue 10: 15; issue 18: + the waiting block
        assert client.get(reverse("team:overview")).status_code == 200
    big = UnitFactory(organisation=enhet_a.organisation, name="Stor enhet")
    add_membership(None, user=chef, role=Role.MANAGER, unit=big, start_date=TODAY)
    users = _staff(big, 495, course=course)
    ModuleProgress.objects.bulk_create(
        ModuleProgress(
            enrolment=enrolment,
            module=modules[0],
            completed_at=timezone.now(),
        )
        for enrolment in Enrolment.objects.filter(user__in=users[:200])
    )
    with exact_queries(TEAM_QUERIES):
        response = client.get(reverse("team:overview"))
    assert len(response.context["team"].members) == 500


@pytest.mark.django_db
def test_case_alerts_show_on_the_managers_dashboard(client, chef, ny, kommun_a, enhet_b):
    from mentoring.models import RiskLevel
    from tests.mentoring.factories import CaseFactory, CaseTypeFactory

    placering = CaseTypeFactory(organisation=kommun_a, name="Placering", risk_level=RiskLevel.HIGH)
    CaseFactory(holder=ny, case_type=placering, reference="BoU-2026-777")
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    alerts = response.context["team"].case_alerts
    assert {alert.kind for alert in alerts} >= {"no_supervisor"}
    body = response.content.decode()
    assert "BoU-2026-777" in body
    assert reverse("mentoring:caseload") in body


@pytest.mark.django_db
def test_no_alerts_says_so(client, chef, enhet_a):
    client.force_login(chef)
    assert "Inga varningar" in client.get(reverse("team:overview")).content.decode()
