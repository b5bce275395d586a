"""A person's own data export, and anonymisation of a departed employee."""

import datetime
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrolment
from people.models import AuditEvent, Membership, User
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_a_person_downloads_everything_about_themself(client, ny, course, kommunadmin):
    Enrolment.objects.create(user=ny, course=course)
    client.force_login(ny)
    response = client.get(reverse("people:my_data"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "Läs mig.txt" in names
    assert "LASMIG.txt" not in names
    person = json.loads(archive.read("person.json"))
    assert person[0]["email"] == ny.email
    assert any(name.startswith("learning.enrolment") for name in names)
    assert any(name.startswith("people.membership") for name in names)
    everything = b"".join(archive.read(name) for name in names).decode()
    assert "password" not in everything
    assert kommunadmin.email not in everything  # nobody else's data
    assert AuditEvent.objects.filter(action="export", object_id=str(ny.pk)).exists()


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    assert client.get(reverse("people:my_data")).status_code == 302


@pytest.mark.django_db
def test_admin_anonymises_a_departed_employee_and_figures_stay(client, kommunadmin, ny, course):
    Enrolment.objects.create(user=ny, course=course)
    old_email = ny.email
    client.force_login(kommunadmin)
    confirm = client.get(reverse("people:anonymise", args=[ny.pk]))
    assert "Det går inte att ångra" in confirm.content.decode()
    response = client.post(reverse("people:anonymise", args=[ny.pk]), follow=True)
    assert "är anonymiserad" in response.content.decode()
    ny.refresh_from_db()
    assert ny.full_name == "Anonymiserad person"
    assert not ny.is_active and not ny.has_usable_password()
    assert not User.objects.filter(email=old_email).exists()
    # The municipality's figures: the enrolment and the role are still counted.
    assert Enrolment.objects.filter(user=ny).count() == 1
    assert Membership.objects.filter(user=ny).count() == 1
    assert AuditEvent.objects.filter(action="anonymise", object_id=str(ny.pk)).count() == 1
    # The person can no longer log in.
    login = Client().post(reverse("account_login"), {"login": old_email, "password": PASSWORD})
    assert login.status_code == 200
    assert "_auth_user_id" not in login.client.session
    # Anonymising again: the person is no longer on the list.
    assert client.post(reverse("people:anonymise", args=[ny.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "chef", "mentor", "utomstaende"])
def test_only_the_persons_municipal_admin_may_anonymise(client, request, cast, ny, kommunadmin):
    target = kommunadmin if cast == "ny" else ny
    client.force_login(request.getfixturevalue(cast))
    assert client.post(reverse("people:anonymise", args=[target.pk])).status_code == 404
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
def test_an_admin_cannot_anonymise_themself(client, kommunadmin):
    client.force_login(kommunadmin)
    assert client.post(reverse("people:anonymise", args=[kommunadmin.pk])).status_code == 404


@pytest.mark.django_db
def test_the_export_writes_one_audit_line_per_tracked_record_type(client, mentor, ny):
    from tests.mentoring.factories import (
        CaseFactory,
        MentorshipFactory,
        ReviewFactory,
        SessionFactory,
    )

    first = CaseFactory(holder=ny, supervisor=mentor)
    second = CaseFactory(holder=ny, supervisor=mentor, case_type=first.case_type)
    review = ReviewFactory(case=first, supervisor=mentor)
    mentorship = MentorshipFactory(mentor=mentor, mentee=ny)
    sessions = [SessionFactory(mentorship=mentorship, logged_by=mentor) for _ in range(2)]
    client.force_login(mentor)
    assert client.get(reverse("people:my_data")).status_code == 200
    lines = {
        event.object_type: event
        for event in AuditEvent.objects.filter(action="export", actor=mentor)
        if event.object_type.startswith("mentoring.")
    }
    assert set(lines) == {
        "mentoring.supervisedcase",
        "mentoring.casereview",
        "mentoring.supervisionsession",
    }
    assert AuditEvent.objects.filter(action="export", actor=mentor).count() == 4  # + person
    assert lines["mentoring.supervisedcase"].summary.endswith(f"(id {first.pk}, {second.pk})")
    assert lines["mentoring.casereview"].summary.endswith(f"(id {review.pk})")
    assert lines["mentoring.supervisionsession"].summary.startswith("Registerutdrag: 2 st")
    assert {line.organisation_id for line in lines.values()} == {first.organisation_id}
    ids = ", ".join(str(session.pk) for session in sessions)
    assert lines["mentoring.supervisionsession"].summary.endswith(f"(id {ids})")


@pytest.mark.django_db
def test_the_export_holds_every_field_of_the_account_and_the_membership(client, ny, enhet_a):
    ended = timezone.localdate() - datetime.timedelta(days=3)
    User.objects.filter(pk=ny.pk).update(employment_ended_on=ended)
    client.force_login(ny)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("people:my_data")).content))
    person = json.loads(archive.read("person.json"))[0]
    assert person["employment_ended_on"] == ended.isoformat()
    assert {"is_active", "last_login", "is_staff", "is_superuser"} <= set(person)
    assert {"id", "password"}.isdisjoint(person)
    html = archive.read("mina-uppgifter.html").decode()
    assert "Anställningen upphörde" in html
    membership = json.loads(archive.read("people.membership_user.json"))[0]["fields"]
    assert membership["role"] == ny.memberships.get().role
    assert membership["unit"] == enhet_a.pk
    assert membership["start_date"] == ny.memberships.get().start_date.isoformat()
