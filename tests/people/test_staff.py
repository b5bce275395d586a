"""The staff list (Personal) and the staff lifecycle, through the pages: one row per person,
search and filters, changing a role, unit and start date, pending invitations, deactivating
and reactivating, and what is shown after anonymisation."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import format_date
from core.models import OutboxMessage
from learning.models import Enrolment, ModuleDeadline, OnboardingPlan, PlanCourse, PlanModule
from people import staff
from people.audit import describe
from people.models import AuditAction, AuditEvent, Membership, Role, User
from people.services import add_membership
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, person

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _invited(unit, email="inbjuden@example.org", name="Ida Inbjuden"):
    user = person(unit, Role.NEW_HIRE, start=TODAY, email=email, full_name=name)
    user.set_unusable_password()
    user.save()
    return user


# --------------------------------------------------------------------------------------------
# The list
# --------------------------------------------------------------------------------------------
def test_a_manager_of_two_units_is_one_row_with_both_units(client, kommunadmin, chef, enhet_a):
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxenenheten")
    add_membership(None, user=chef, role=Role.MANAGER, unit=other, start_date=TODAY)
    client.force_login(kommunadmin)
    body = client.get(reverse("people:staff")).content.decode()
    assert body.count(reverse("people:person", args=[chef.pk]) + '"') == 1
    assert "Vuxenenheten" in body and enhet_a.name in body


def test_search_and_filters_by_name_unit_role_and_status(
    client, kommunadmin, ny, mentor, chef, enhet_a
):
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxenenheten")
    vuxen = person(other, Role.SOCIAL_SECRETARY, email="vera@example.org", full_name="Vera Vuxen")
    invited = _invited(enhet_a)
    gone = person(enhet_a, Role.SOCIAL_SECRETARY, email="gone@example.org", full_name="Gustav Gått")
    gone.is_active = False
    gone.save()
    client.force_login(kommunadmin)

    def names(**query):
        body = client.get(reverse("people:staff"), query).content.decode()
        everyone = [ny, mentor, chef, vuxen, invited, gone]
        return {p.full_name for p in everyone if p.full_name in body}

    assert names(q="vera") == {"Vera Vuxen"}
    assert names(q="MENTOR@example") == {mentor.full_name}
    assert names(enhet=other.pk) == {"Vera Vuxen"}
    assert names(roll=Role.MANAGER) == {chef.full_name}
    assert names(status="inbjuden") == {"Ida Inbjuden"}
    assert names(status="avaktiverad") == {"Gustav Gått"}
    assert names(status="aktiv") == {ny.full_name, mentor.full_name, chef.full_name, "Vera Vuxen"}
    # A bad value in one filter is ignored rather than hiding everyone or failing.
    assert len(names(enhet="inte-ett-id", status="aktiv")) == 4


def _count_queries(client, path) -> int:
    client.get(path)  # warms the session and site caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# Session, user, memberships (permissions), units (the filter), the count, the page, the
# memberships of the page, and the failed-delivery count, among them; and "Väntar på mig"
# (issue 18): the mentees' change requests (the admin's only group that reads anything).
STAFF_LIST_QUERIES = 9  # 12 before the cached chrome (issue 23: 3 fewer)


def test_the_staff_list_runs_the_same_queries_for_few_and_many(client, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    path = reverse("people:staff")
    person(enhet_a, Role.NEW_HIRE, email="en@example.org")
    few = _count_queries(client, path)
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxenenheten")
    for number in range(40):
        someone = person(enhet_a, Role.MENTOR, email=f"p{number}@example.org")
        add_membership(None, user=someone, role=Role.MANAGER, unit=other, start_date=TODAY)
    _invited(enhet_a)
    many = _count_queries(client, path)
    assert few == many == STAFF_LIST_QUERIES


def test_staff_pages_are_404_outside_the_admins_municipality(
    client, kommunadmin, kommunadmin_b, ny, utomstaende, chef
):
    client.force_login(kommunadmin)
    for name in ("person", "leaver", "deactivate", "reactivate", "resend_pending", "revoke"):
        assert client.get(reverse(f"people:{name}", args=[utomstaende.pk])).status_code == 404
        assert client.post(reverse(f"people:{name}", args=[utomstaende.pk])).status_code == 404
    membership = utomstaende.memberships.get()
    path = reverse("people:membership_edit", args=[utomstaende.pk, membership.pk])
    assert client.get(path).status_code == 404
    # Another municipality's admin, and a manager, get the same answer for A's staff.
    for outsider in (kommunadmin_b, chef):
        client.force_login(outsider)
        assert client.get(reverse("people:person", args=[ny.pk])).status_code == 404
        assert client.post(reverse("people:deactivate", args=[ny.pk])).status_code == 404
    assert User.objects.get(pk=ny.pk).is_active


# --------------------------------------------------------------------------------------------
# Role, unit and start date
# --------------------------------------------------------------------------------------------
def test_changing_unit_and_role_is_audited(client, kommunadmin, mentor, enhet_a):
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxenenheten")
    membership = mentor.memberships.get()
    path = reverse("people:membership_edit", args=[mentor.pk, membership.pk])
    client.force_login(kommunadmin)
    assert client.get(path).status_code == 200
    data = {"role": Role.SOCIAL_SECRETARY, "unit": other.pk, "start_date": membership.start_date}
    response = client.post(path, data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.unit) == (Role.SOCIAL_SECRETARY, other)
    event = AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).latest("pk")
    description = describe(event)
    assert "från mentor i " in description
    assert "till socialsekreterare i Vuxenenheten" in description
    # The same again changes nothing and writes no second line.
    lines = AuditEvent.objects.count()
    client.post(path, data)
    assert AuditEvent.objects.count() == lines


def test_a_new_start_date_moves_the_onboarding_plan(
    client, kommunadmin, enhet_a, course, django_capture_on_commit_callbacks
):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=60)
    PlanModule.objects.create(plan=plan, module=course.modules().first(), due_days=14)
    with django_capture_on_commit_callbacks(execute=True):
        hire = person(enhet_a, Role.NEW_HIRE, start=TODAY, email="nyare@example.org")
    enrolment = Enrolment.objects.get(user=hire)
    assert enrolment.due_date == TODAY + datetime.timedelta(days=60)
    membership = hire.memberships.get()
    new_start = TODAY + datetime.timedelta(days=30)
    client.force_login(kommunadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:membership_edit", args=[hire.pk, membership.pk]),
            {"role": Role.NEW_HIRE, "unit": enhet_a.pk, "start_date": new_start},
        )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.due_date == new_start + datetime.timedelta(days=60)
    first = ModuleDeadline.objects.get(enrolment=enrolment, module=course.modules().first())
    assert first.due_date == new_start + datetime.timedelta(days=14)
    event = AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).latest("pk")
    assert (event.details["old_start"], event.details["start"]) == (
        TODAY.isoformat(),
        new_start.isoformat(),
    )
    assert f"(från {format_date(TODAY)}) till" in describe(event)
    assert f"(från {format_date(new_start)})" in describe(event)


def test_membership_changes_are_refused_with_swedish_messages(
    client, kommunadmin, chef, enhet_a, enhet_b
):
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxenenheten")
    add_membership(None, user=chef, role=Role.MANAGER, unit=other, start_date=TODAY)
    membership = chef.memberships.get(unit=enhet_a)
    path = reverse("people:membership_edit", args=[chef.pk, membership.pk])
    client.force_login(kommunadmin)
    far = TODAY - datetime.timedelta(days=365 * 5)
    cases = [
        ({"role": Role.MANAGER, "unit": enhet_a.pk, "start_date": far}, "år bakåt i tiden"),
        ({"role": Role.MANAGER, "unit": other.pk, "start_date": TODAY}, "redan den rollen"),
        ({"role": Role.MENTOR, "unit": "", "start_date": TODAY}, "kräver en enhet"),
        # Another municipality's unit is not even offered.
        ({"role": Role.MENTOR, "unit": enhet_b.pk, "start_date": TODAY}, "Välj ett giltigt"),
        ({"role": Role.EDITOR, "unit": enhet_a.pk, "start_date": TODAY}, "Välj ett giltigt"),
    ]
    for data, message in cases:
        response = client.post(path, data)
        assert response.status_code == 200
        assert message in response.content.decode(), data
    membership.refresh_from_db()
    assert (membership.role, membership.unit, membership.start_date) == (
        Role.MANAGER,
        enhet_a,
        membership.start_date,
    )


# --------------------------------------------------------------------------------------------
# Pending invitations
# --------------------------------------------------------------------------------------------
def test_resending_a_pending_invitation_goes_through_the_outbox_once_a_day(
    client, kommunadmin, enhet_a, ny
):
    invited = _invited(enhet_a)
    path = reverse("people:resend_pending", args=[invited.pk])
    client.force_login(kommunadmin)
    assert "Skicka inbjudan igen" in client.get(path).content.decode()
    before = OutboxMessage.objects.filter(handler="people.tasks.invitation_email").count()
    response = client.post(path)
    assert "har skickats igen" in " ".join(_messages(response))
    rows = OutboxMessage.objects.filter(
        handler="people.tasks.invitation_email", recipient_id=invited.pk
    )
    assert rows.count() == before + 1
    response = client.post(path)
    assert "redan skickats igen i dag" in " ".join(_messages(response))
    assert rows.count() == before + 1
    # Someone who has chosen a password has no invitation waiting.
    response = client.post(reverse("people:resend_pending", args=[ny.pk]))
    assert "har redan valt ett lösenord" in " ".join(_messages(response))


def test_revoking_an_invitation_closes_the_account_until_reactivated(client, kommunadmin, enhet_a):
    invited = _invited(enhet_a)
    client.force_login(kommunadmin)
    response = client.post(reverse("people:revoke", args=[invited.pk]))
    assert "är återkallad" in " ".join(_messages(response))
    invited.refresh_from_db()
    assert not invited.is_active
    lines = AuditEvent.objects.count()
    client.post(reverse("people:revoke", args=[invited.pk]))  # a second click
    assert AuditEvent.objects.count() == lines
    body = client.get(reverse("people:staff"), {"status": "avaktiverad"}).content.decode()
    assert invited.full_name in body
    client.post(reverse("people:reactivate", args=[invited.pk]))
    invited.refresh_from_db()
    assert invited.is_active and invited.is_invited


# --------------------------------------------------------------------------------------------
# Deactivate and reactivate
# --------------------------------------------------------------------------------------------
def test_deactivating_ends_login_keeps_records_and_can_be_undone(client, kommunadmin, ny, course):
    Enrolment.objects.create(user=ny, course=course)
    ny_client = type(client)()
    ny_client.force_login(ny)
    client.force_login(kommunadmin)
    path = reverse("people:deactivate", args=[ny.pk])
    assert "Ja, avaktivera" in client.get(path).content.decode()
    response = client.post(path)
    assert "är avaktiverad" in " ".join(_messages(response))
    ny.refresh_from_db()
    assert not ny.is_active
    assert Enrolment.objects.filter(user=ny).exists()
    # Her open session ends, and she cannot log in again.
    assert "/accounts/login/" in ny_client.get(reverse("learning:dashboard"))["Location"]
    assert not type(client)().login(email=ny.email, password=PASSWORD)
    lines = AuditEvent.objects.filter(summary="Avaktiverad").count()
    assert lines == 1
    client.post(path)  # a second click
    assert AuditEvent.objects.filter(summary="Avaktiverad").count() == 1

    response = client.post(reverse("people:reactivate", args=[ny.pk]))
    assert "är aktiverad igen" in " ".join(_messages(response))
    ny.refresh_from_db()
    assert ny.is_active
    assert type(client)().login(email=ny.email, password=PASSWORD)
    assert AuditEvent.objects.filter(summary="Aktiverad igen").count() == 1


def test_deactivating_or_anonymising_with_open_work_is_refused_with_a_list(
    client, kommunadmin, ny, mentor, kommun_a
):
    case = CaseFactory(holder=ny, case_type=CaseTypeFactory(organisation=kommun_a))
    client.force_login(kommunadmin)
    page = client.get(reverse("people:deactivate", args=[ny.pk])).content.decode()
    assert case.reference in page and "Ja, avaktivera" not in page
    response = client.post(reverse("people:deactivate", args=[ny.pk]))
    text = " ".join(_messages(response))
    assert "öppet arbete" in text and case.reference in text
    page = client.get(reverse("people:anonymise", args=[ny.pk])).content.decode()
    assert case.reference in page and "Ja, anonymisera" not in page
    response = client.post(reverse("people:anonymise", args=[ny.pk]))
    assert case.reference in " ".join(_messages(response))
    ny.refresh_from_db()
    assert ny.is_active and ny.full_name != "Anonymiserad person"


# --------------------------------------------------------------------------------------------
# After anonymisation
# --------------------------------------------------------------------------------------------
def test_after_anonymisation_no_page_shows_the_former_name(client, kommunadmin, ny, kommun_a):
    former = ny.full_name
    from people.audit import record_event

    record_event(ny, action=AuditAction.READ, organisation=kommun_a, object_type="x.case")
    client.force_login(kommunadmin)
    client.post(reverse("people:deactivate", args=[ny.pk]))
    response = client.post(reverse("people:anonymise", args=[ny.pk]))
    assert response.status_code == 302
    ny.refresh_from_db()
    assert ny.is_anonymised
    client.get(reverse("people:profile"))  # the one-time confirmation, which names her, read
    log = client.get(reverse("people:audit_log")).content.decode()
    assert former not in log
    assert f"Anonymiserad person (id {ny.pk})" in log
    assert not AuditEvent.objects.filter(actor_label=former).exists()
    listing = client.get(reverse("people:staff")).content.decode()
    assert "Anonymiserad person" in listing
    assert "anonymiserad.invalid" not in listing and former not in listing
    page = client.get(reverse("people:person", args=[ny.pk])).content.decode()
    assert "anonymiserad.invalid" not in page and former not in page
    response = client.post(reverse("people:reactivate", args=[ny.pk]))
    assert "kan inte aktiveras igen" in " ".join(_messages(response))
    assert not User.objects.get(pk=ny.pk).is_active


def test_the_service_refuses_an_admin_outside_the_municipality(kommunadmin_b, ny):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        staff.deactivate_person(kommunadmin_b, person=ny)
    with pytest.raises(PermissionDenied):
        staff.change_membership(
            kommunadmin_b,
            membership=ny.memberships.get(),
            role=Role.MENTOR,
            unit=ny.memberships.get().unit,
            start_date=TODAY,
        )
    assert Membership.objects.get(user=ny).role == Role.NEW_HIRE


def test_unused_user_factory_is_not_listed(client, kommunadmin):
    # A person with no membership in the municipality is nobody's staff here.
    stranger = UserFactory(full_name="Sven Främling")
    client.force_login(kommunadmin)
    assert stranger.full_name not in client.get(reverse("people:staff")).content.decode()
