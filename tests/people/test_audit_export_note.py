"""The audit-log export's own line says in words which filters were used (issue 17), in the
reader's language, instead of keeping the raw query string; the person filtered by is named
through the line's join, so an anonymised person reads as such."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import format_date
from people.audit import details_text
from people.models import AuditAction, AuditEvent, Role
from people.personal_data import anonymise_person
from people.services import invite_person

LOG = "people:audit_log"


@pytest.fixture
def olle(kommunadmin, enhet_a):
    return invite_person(
        kommunadmin,
        email="olle@example.org",
        full_name="Olle Olsson",
        unit=enhet_a,
        role=Role.NEW_HIRE,
        start_date=timezone.localdate(),
    )


def _export(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(LOG), {**params, "export": "csv"})
    assert response.status_code == 200
    return AuditEvent.objects.filter(object_type="people.auditevent").latest("pk")


@pytest.mark.django_db
def test_the_export_line_names_its_filters_in_either_language(client, kommunadmin, olle):
    since = timezone.localdate() - datetime.timedelta(days=40)
    until = timezone.localdate() - datetime.timedelta(days=2)
    event = _export(
        client,
        kommunadmin,
        person=olle.pk,
        typ="mentoring.supervisedcase",
        handelse=AuditAction.READ,
        fran=since.isoformat(),
        till=until.isoformat(),
    )
    assert event.subject == olle
    assert "typ=" not in event.summary and "%" not in event.summary
    with translation.override("sv"):
        assert details_text(event) == (
            "Urval: person: Olle Olsson, posttyp: ärende, händelse: Läsning och datum "
            f"{format_date(since)}–{format_date(until)}"
        )
    with translation.override("en"):
        assert details_text(event) == (
            "Filters: person: Olle Olsson, record type: case, event: Read and dates "
            f"{format_date(since)}–{format_date(until)}"
        )
    # The summary column keeps Swedish words but no copy of the name (it is not anonymised).
    assert "Olle" not in event.summary
    assert event.summary.startswith("Urval: person: personen, posttyp: ärende")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "Urval: från och med %s"), ("en", "Filters: from %s")],
)
def test_one_sided_range_and_no_filters_read_in_words(client, kommunadmin, language, expected):
    since = timezone.localdate() - datetime.timedelta(days=7)
    dated = _export(client, kommunadmin, fran=since.isoformat())
    everything = _export(client, kommunadmin)
    with translation.override(language):
        assert details_text(dated) == expected % format_date(since)
        assert (
            details_text(everything)
            == {
                "sv": "Hela loggen, utan urval",
                "en": "The whole log, no filters",
            }[language]
        )


@pytest.mark.django_db
def test_the_log_page_shows_the_filters_to_an_english_admin_and_an_anonymised_person_as_such(
    client, kommunadmin, olle
):
    _export(client, kommunadmin, person=olle.pk)
    kommunadmin.preferred_language = "en"
    kommunadmin.save(update_fields=["preferred_language"])
    body = client.get(reverse(LOG)).content.decode()
    assert "Filters: person: Olle Olsson" in body
    assert "person=" not in body.split("<tbody>")[1]
    anonymise_person(kommunadmin, user=olle)
    body = client.get(reverse(LOG)).content.decode()
    assert "Olle" not in body
    assert f"Filters: person: Anonymised person (id {olle.pk})" in body
