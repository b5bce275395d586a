"""The audit log (granskningslogg) for people, not developers (issue 17): lines in words in the
reader's language, invitations as invitations, anonymised people as such, filters by person,
record type and dates, a CSV export that is itself logged, and a constant number of queries."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.dates import format_date
from people.audit import record_event
from people.models import AuditAction, AuditEvent, Role
from people.personal_data import anonymise_person
from people.services import invite_person
from people.staff import change_membership
from tests.factories import UnitFactory, UserFactory
from tests.queries import exact_queries

LOG = "people:audit_log"


@pytest.fixture
def admin_client(client, kommunadmin):
    kommunadmin.full_name = "Anna Admin"
    kommunadmin.save()
    client.force_login(kommunadmin)
    return client


def invite_olle(kommunadmin, unit):
    return invite_person(
        kommunadmin,
        email="olle@example.org",
        full_name="Olle Olsson",
        unit=unit,
        role=Role.NEW_HIRE,
        start_date=timezone.localdate(),
    )


def log_text(client, **params) -> str:
    response = client.get(reverse(LOG), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_invitation_reads_as_one_in_words_and_is_not_a_role_change(admin_client, kommunadmin):
    unit = UnitFactory(
        organisation=kommunadmin.memberships.get().organisation, name="Barn och unga"
    )
    olle = invite_olle(kommunadmin, unit)
    event = AuditEvent.objects.get(subject=olle)
    assert event.action == AuditAction.INVITE
    table = log_text(admin_client).split("<tbody>")[1]
    # Olle's line, wherever it sorts: in a run that crossed midnight this test's clock was the
    # day before at the same hour, older than the cast's rows recorded before midnight.
    (line,) = [row for row in table.split("</tr>") if "Olle Olsson" in row]
    assert "Anna Admin bjöd in Olle Olsson som nyanställd socialsekreterare i Barn och unga" in line
    assert "Inbjudan" in line and "Rolländring" not in line
    assert "people.membership" not in table


@pytest.mark.django_db
def test_a_changed_role_names_before_and_after(admin_client, kommunadmin, enhet_a):
    olle = invite_olle(kommunadmin, enhet_a)
    other = UnitFactory(organisation=enhet_a.organisation, name="Vuxen")
    start = timezone.localdate()
    change_membership(
        kommunadmin,
        membership=olle.memberships.get(),
        role=Role.MENTOR,
        unit=other,
        start_date=start,
    )
    body = log_text(admin_client)
    assert (
        f"Anna Admin ändrade rollen för Olle Olsson från nyanställd socialsekreterare i "
        f"{enhet_a.name} (från {format_date(start)}) till mentor i Vuxen (från "
        f"{format_date(start)})"
    ) in body.replace("&#x27;", "'")


@pytest.mark.django_db
def test_the_log_reads_in_english_for_an_english_admin(admin_client, kommunadmin, enhet_a):
    olle = invite_olle(kommunadmin, enhet_a)
    ny = UserFactory(full_name="Nils Ny")
    record_event(
        kommunadmin,
        action=AuditAction.UPDATE,
        obj=ny,
        organisation=enhet_a.organisation,
        summary="Avaktiverad",
    )
    kommunadmin.preferred_language = "en"
    kommunadmin.save()
    body = log_text(admin_client)
    assert f"Anna Admin invited Olle Olsson as new social secretary in {enhet_a.name}" in body
    assert "Anna Admin deactivated Nils Ny" in body
    assert "bjöd in" not in body and "Inbjudan" not in body
    anonymise_person(kommunadmin, user=olle)
    body = log_text(admin_client, person="")
    assert f"Anna Admin anonymised Anonymised person (id {olle.pk})" in body
    assert "Anonymiserad" not in body


@pytest.mark.django_db
def test_an_anonymised_person_is_named_as_such_on_every_line(admin_client, kommunadmin, enhet_a):
    olle = invite_olle(kommunadmin, enhet_a)
    anonymise_person(kommunadmin, user=olle)
    body = log_text(admin_client, person=olle.pk)
    assert "Olle Olsson" not in body
    assert f"Anna Admin bjöd in Anonymiserad person (id {olle.pk}) som nyanställd" in body
    assert f"Anna Admin anonymiserade Anonymiserad person (id {olle.pk})" in body


@pytest.mark.django_db
def test_filters_by_person_record_type_and_dates(admin_client, kommunadmin, enhet_a, mentor):
    today = timezone.localdate()
    long_ago = timezone.make_aware(
        datetime.datetime.combine(today.replace(day=1), datetime.time(9))
    )
    with time_machine.travel(long_ago - datetime.timedelta(days=400), tick=False):
        old = invite_olle(kommunadmin, enhet_a)
    record_event(
        kommunadmin,
        action=AuditAction.UPDATE,
        obj=mentor,
        organisation=enhet_a.organisation,
        summary="Avaktiverad",
    )

    by_person = log_text(admin_client, person=old.pk)
    assert "bjöd in Olle Olsson" in by_person and "avaktiverade" not in by_person

    by_type = log_text(admin_client, typ="people.user")
    assert "avaktiverade Mentor Testsson" in by_type and "bjöd in" not in by_type
    assert '<select name="typ"' in by_type
    assert '<input type="text" name="typ"' not in by_type

    recent = log_text(admin_client, fran=(today - datetime.timedelta(days=30)).isoformat())
    assert "avaktiverade" in recent and "bjöd in Olle" not in recent
    early = log_text(admin_client, till=(today - datetime.timedelta(days=300)).isoformat())
    assert "bjöd in Olle" in early and "avaktiverade" not in early


@pytest.mark.django_db
def test_bad_filters_get_clear_errors_not_a_500(admin_client):
    body = log_text(admin_client, fran="29/11", typ="x.hemlig")
    assert "Skriv datumet som år-månad-dag, till exempel 2026-03-31." in body
    assert "Välj ett giltigt alternativ" in body
    reversed_range = log_text(admin_client, fran="2026-05-02", till="2026-05-01")
    assert "Från-datumet ligger efter till-datumet." in reversed_range
    assert "<tbody>" not in reversed_range


@pytest.mark.django_db
def test_csv_export_is_filtered_iso_dated_in_words_and_itself_logged(
    admin_client, kommunadmin, enhet_a, mentor
):
    olle = invite_olle(kommunadmin, enhet_a)
    record_event(
        kommunadmin,
        action=AuditAction.UPDATE,
        obj=mentor,
        organisation=enhet_a.organisation,
        summary="Avaktiverad",
    )
    response = admin_client.get(reverse(LOG), {"person": olle.pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Tidpunkt"
    assert len(rows) == 2
    moment = datetime.datetime.fromisoformat(rows[1][0])
    assert moment.tzinfo is not None
    assert rows[1][6].startswith("Anna Admin bjöd in Olle Olsson")
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="people.auditevent")
    assert export.details["rows"] == 1
    assert export.details["note"] == "Urval: %(filters)s"
    assert "exporterade granskningsloggen (antal rader: 1)" in log_text(admin_client)


@pytest.mark.django_db
def test_the_log_runs_the_same_queries_for_one_line_and_for_a_full_page(
    admin_client, kommunadmin, enhet_a
):
    organisation = enhet_a.organisation
    people = [UserFactory(full_name=f"Person {n}") for n in range(3)]
    record_event(kommunadmin, action=AuditAction.UPDATE, obj=people[0], organisation=organisation)
    admin_client.get(reverse(LOG))
    # session, user, memberships, count, the page of lines with the people they name, the
    # people for the filter list (the menu's roles and links come from the cache, issue 23)
    with exact_queries(6) as few:
        log_text(admin_client)
    for n in range(60):
        record_event(
            kommunadmin, action=AuditAction.READ, obj=people[n % 3], organisation=organisation
        )
    with exact_queries(len(few)):
        body = log_text(admin_client)
    assert "Sida 1 av 2" in body


@pytest.mark.django_db
def test_lines_written_before_the_subject_was_kept_get_it_from_their_record(kommunadmin, ny):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("people.migrations.0011_audit_in_words")
    membership = ny.memberships.get()
    organisation = membership.organisation
    old_role = AuditEvent.objects.create(
        organisation=organisation,
        action=AuditAction.ROLE_CHANGE,
        object_type="people.membership",
        object_id=str(membership.pk),
    )
    old_person = AuditEvent.objects.create(
        organisation=organisation,
        action=AuditAction.UPDATE,
        object_type="people.user",
        object_id=str(ny.pk),
    )
    export = AuditEvent.objects.create(
        organisation=organisation, action=AuditAction.EXPORT, object_type="team.overview"
    )
    migration.name_the_people_on_old_lines(apps, None)
    assert AuditEvent.objects.get(pk=old_role.pk).subject == ny
    assert AuditEvent.objects.get(pk=old_person.pk).subject == ny
    assert AuditEvent.objects.get(pk=export.pk).subject is None


def test_every_record_type_the_code_writes_has_a_name_in_words():
    """Seen in the screenshots of every page type: the log said "Person exporterade
    followup.area". Every object_type written in our apps' code is a model (its verbose name)
    or named in people.audit, and the export from Uppföljning reads as a sentence."""
    import re
    from pathlib import Path

    from django.conf import settings

    from people.audit import describe, record_type_name

    apps = ["core", "people", "sso", "content", "learning", "mentoring", "safety", "pulse"]
    apps += ["team", "followup"]
    written = set()
    for app in apps:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            written |= set(re.findall(r'object_type="([a-z_]+\.[a-z_]+)"', text))
    assert "followup.area" in written
    raw = sorted(t for t in written if record_type_name(t) == t)
    assert raw == [], f"record types shown as code: {raw}"
    event = AuditEvent(
        actor_label="Anna Admin", action=AuditAction.EXPORT, object_type="followup.area"
    )
    assert describe(event) == "Anna Admin exporterade uppföljningens siffror"
