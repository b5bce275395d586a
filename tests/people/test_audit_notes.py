"""The audit log's details column in the reader's language (issue 17): a note is kept as its
Swedish source and its values, and put into words when the log is read, so a line written in
Swedish reads in English for an English admin (stages, reasons, dates and field names too)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import format_date
from mentoring import services as mentoring_services
from mentoring.models import CaseStage, RiskLevel
from people.audit import Choice, FieldNames, WordList, details_text, record_event
from people.models import AuditAction, AuditEvent
from tests.mentoring.factories import CaseFactory, CaseTypeFactory


@pytest.mark.django_db
def test_a_note_is_written_once_and_read_in_either_language(kommunadmin, kommun_a):
    day = timezone.localdate() - datetime.timedelta(days=3)
    event = record_event(
        kommunadmin,
        action=AuditAction.UPDATE,
        organisation=kommun_a,
        object_type="mentoring.supervisedcase",
        object_id=1,
        note="Skede: %(before)s → %(after)s",
        note_values={
            "before": Choice("mentoring.supervisedcase", "stage", CaseStage.PLANNING),
            "after": Choice("mentoring.supervisedcase", "stage", CaseStage.DECISION),
        },
    )
    event.refresh_from_db()
    # The table keeps the Swedish words for whoever reads it directly.
    assert event.summary == "Skede: Planering → Beslut"
    with translation.override("sv"):
        assert details_text(event) == "Skede: Planering → Beslut"
    with translation.override("en"):
        assert details_text(event) == "Stage: Planning → Decision"

    dated = record_event(
        kommunadmin,
        action=AuditAction.DELETE,
        organisation=kommun_a,
        object_type="mentoring.supervisionsession",
        object_id=2,
        note="Handledningssamtal %(date)s raderat",
        note_values={"date": day},
    )
    dated.refresh_from_db()
    with translation.override("en"):
        assert details_text(dated) == f"Supervision session of {format_date(day)} deleted"
    with translation.override("sv"):
        assert details_text(dated) == f"Handledningssamtal {format_date(day)} raderat"
        assert day.isoformat() not in details_text(dated)

    listed = record_event(
        None,
        action=AuditAction.UPDATE,
        organisation=kommun_a,
        object_type="people.user",
        object_id=kommunadmin.pk,
        note="Katalogsynk (SCIM), nyckel %(key)s: ändrat %(fields)s",
        note_values={"key": "abc123", "fields": WordList(("namn", "e-postadress"))},
    )
    listed.refresh_from_db()
    with translation.override("en"):
        assert details_text(listed) == (
            "Directory sync (SCIM), key abc123: changed name and email address"
        )
    with translation.override("sv"):
        assert details_text(listed) == (
            "Katalogsynk (SCIM), nyckel abc123: ändrat namn och e-postadress"
        )

    fields = record_event(
        kommunadmin,
        action=AuditAction.UPDATE,
        organisation=kommun_a,
        object_type="people.user",
        object_id=kommunadmin.pk,
        note="Ändrat: %(fields)s",
        note_values={"fields": FieldNames("people.user", ("email",))},
    )
    fields.refresh_from_db()
    with translation.override("sv"):
        assert "email" not in details_text(fields)
        assert details_text(fields).startswith("Ändrat: ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "line", "not_there"),
    [
        ("sv", "Skede: Utredning → Beslut", "Stage:"),
        ("en", "Stage: Investigation → Decision", "Skede"),
    ],
)
def test_a_stage_change_reads_in_the_admins_language_on_the_log(
    client, kommunadmin, ny, mentor, kommun_a, language, line, not_there
):
    case = CaseFactory(
        holder=ny,
        case_type=CaseTypeFactory(organisation=kommun_a, risk_level=RiskLevel.LOW),
    )
    mentoring_services.change_case_stage(ny, case=case, stage=CaseStage.DECISION, supervisor=mentor)
    assert AuditEvent.objects.filter(details__note__startswith="Skede").exists()
    kommunadmin.preferred_language = language
    kommunadmin.save(update_fields=["preferred_language"])
    client.force_login(kommunadmin)
    body = client.get(reverse("people:audit_log")).content.decode()
    assert line in body
    assert not_there not in body
