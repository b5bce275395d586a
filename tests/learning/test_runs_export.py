"""A course run's participant list (deltagarlista) as CSV and XLSX, for whoever manages the
run: name, email, unit, municipality, status and attendance per session; written to the
audit log of every municipality whose staff are in it. No identity numbers."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learning.services import runs
from people.models import AuditAction, AuditEvent, Role
from people.services import add_membership
from tests.factories import UserFactory
from tests.learning.conftest import make_managers, make_run, once_begun


@pytest.fixture
def listed_run(leadership, kursledare, kommun_a, enhet_a, enhet_b):
    """Two seats: Chef 000 (present at the first session) and Chef 001 (absent); Chef 002
    waits; Chef 003 withdrew; a manager of municipality B waits too. The formula-looking
    name must reach a spreadsheet as text."""
    run = make_run(leadership, seats=2, leaders=[kursledare], organiser=kommun_a)
    people = make_managers(enhet_a, 4)
    other = UserFactory(email="b@example.org", full_name="=HYPERLINK(1)")
    add_membership(
        None, user=other, role=Role.MANAGER, unit=enhet_b, start_date=datetime.date(2025, 1, 1)
    )
    for person in [*people, other]:
        runs.enrol_in_course_run(person, run=run)
    runs.withdraw_from_course_run(people[3], run=run)
    session = run.sessions.order_by("date").first()
    seated = list(run.enrolments.filter(status="enrolled").order_by("user__full_name"))
    with once_begun(session):
        runs.mark_attendance(kursledare, session=session, present={seated[0].pk})
    return run


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_the_csv_lists_everyone_with_status_unit_municipality_and_attendance(
    client, kursledare, listed_run, kommun_a, kommun_b
):
    client.force_login(kursledare)
    response = client.get(reverse("learning:run_export", args=[listed_run.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    sessions = list(listed_run.sessions.order_by("date"))
    assert header == [
        "Namn",
        "E-post",
        "Enhet",
        "Kommun",
        "Status",
        *[f"Pass {s.date:%Y-%m-%d}" for s in sessions],
    ]
    by_name = {row[0]: row for row in rows}
    assert by_name["Chef 000"][1:6] == [
        "chef0@example.org",
        "Barn och unga – utredning",
        "Kommun A",
        "Antagen",
        "Närvarande",
    ]
    assert by_name["Chef 001"][4:7] == ["Antagen", "Frånvarande", ""]
    assert by_name["Chef 002"][4] == "På reservlistan"
    assert by_name["Chef 003"][4] == "Avanmäld"
    assert by_name["'=HYPERLINK(1)"][3:5] == ["Kommun B", "På reservlistan"]
    assert len(rows) == 5
    # The export is logged in both municipalities whose staff it lists.
    lines = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="learning.courserun")
    assert sorted(line.organisation_id for line in lines) == sorted([kommun_a.pk, kommun_b.pk])
    assert all(line.actor == kursledare and "CSV, 5 rader" in line.summary for line in lines)


@pytest.mark.django_db
def test_the_xlsx_has_the_same_rows(client, kommunadmin, listed_run):
    client.force_login(kommunadmin)
    response = client.get(reverse("learning:run_export", args=[listed_run.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    assert rows[0][:5] == ["Namn", "E-post", "Enhet", "Kommun", "Status"]
    assert {row[0] for row in rows[1:]} == {
        "Chef 000",
        "Chef 001",
        "Chef 002",
        "Chef 003",
        "'=HYPERLINK(1)",
    }
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=kommunadmin).count() == 2


@pytest.mark.django_db
def test_only_those_who_manage_the_run_export_it(
    client, listed_run, chef, kommunadmin_b, utomstaende, kursledare, leadership
):
    for outsider in (chef, kommunadmin_b, utomstaende):
        client.force_login(outsider)
        for fmt in ("csv", "xlsx"):
            url = reverse("learning:run_export", args=[listed_run.pk, fmt])
            assert client.get(url).status_code == 404
    # A leader of another run, and an unknown format, get a 404 too.
    other = make_run(leadership, name="Annan")
    client.force_login(kursledare)
    assert client.get(reverse("learning:run_export", args=[other.pk, "csv"])).status_code == 404
    assert (
        client.get(reverse("learning:run_export", args=[listed_run.pk, "pdf"])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
