"""Reads and writes of supervision sessions, and role changes, go to the audit log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Mentorship, SupervisionSession
from people.audit import describe
from people.models import AuditEvent, Role
from people.services import add_membership


@pytest.fixture
def active(mentor, ny, kommun_a):
    return Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )


@pytest.mark.django_db
def test_logging_reading_and_confirming_a_session_is_audited(client, active, mentor, ny):
    session = services.log_session(
        mentor,
        mentorship=active,
        kind=SupervisionSession.Kind.MENTORING,
        date=timezone.localdate(),
        duration_minutes=45,
        format=SupervisionSession.Format.IN_PERSON,
        notes="Vi gick igenom utredningsplanen.",
    )
    client.force_login(ny)
    assert client.get(reverse("mentoring:session", args=[session.pk])).status_code == 200
    services.confirm_session(ny, session=session, reflection="Bra samtal.")
    lines = AuditEvent.objects.filter(
        object_type="mentoring.supervisionsession", object_id=str(session.pk)
    ).order_by("id")
    assert [(e.action, e.actor_id) for e in lines] == [
        ("create", mentor.pk),
        ("read", ny.pk),
        ("update", ny.pk),
    ]
    assert all("igenom" not in e.summary for e in lines)  # never the notes themselves


@pytest.mark.django_db
def test_a_new_role_is_audited(kommunadmin, ny, enhet_a):
    add_membership(
        kommunadmin, user=ny, role=Role.MENTOR, unit=enhet_a, start_date=datetime.date(2027, 1, 1)
    )
    line = AuditEvent.objects.filter(action="role_change", actor=kommunadmin).get()
    assert line.details["role"] == Role.MENTOR
    assert "gav Ny Testsson rollen mentor i " in describe(line)
    # Saving the same role again changes nothing and writes nothing.
    add_membership(
        kommunadmin, user=ny, role=Role.MENTOR, unit=enhet_a, start_date=datetime.date(2027, 1, 1)
    )
    assert AuditEvent.objects.filter(action="role_change", actor=kommunadmin).count() == 1
