"""Copy as a social worker reads it (issue 17): the mentor's page speaks to the mentor, and a
critical case type is not called "hög risk" next to a tag that says "Kritisk"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentorship, RiskLevel
from mentoring.selectors.caseload import ALERT_NO_RECENT_REVIEW, ALERT_NO_SUPERVISOR
from mentoring.selectors.cases import guardrail_for
from tests.mentoring.factories import CaseFactory, CaseTypeFactory


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
def test_the_agenda_is_headed_for_whoever_reads_it(client, active, mentor, ny):
    client.force_login(mentor)
    body = client.get(reverse("mentoring:mentorship", args=[active.pk])).content.decode()
    assert "Att ta upp med din adept" in body
    assert "Att ta upp med din mentor" not in body
    assert "moduler du blir klar med" not in body
    client.force_login(ny)
    body = client.get(reverse("mentoring:my_mentor")).content.decode()
    assert "Att ta upp med din mentor" in body


@pytest.mark.django_db
def test_a_critical_case_type_is_called_critical(client, ny, kommun_a):
    critical = CaseTypeFactory(
        organisation=kommun_a, name="Akut placering", risk_level=RiskLevel.CRITICAL
    )
    case = CaseFactory(holder=ny, case_type=critical)
    guardrail = guardrail_for(case, level=None, has_signed_decision_review=False)
    assert "Akut placering har risknivå kritisk" in guardrail.intro
    assert "hög risk" not in guardrail.intro
    client.force_login(ny)
    body = client.get(reverse("mentoring:case", args=[case.pk])).content.decode()
    assert "Risknivå" in body and "Kritisk" in body
    assert "har hög risk" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("risk", "language", "wording"),
    [
        (RiskLevel.CRITICAL, "sv", "har risknivå kritisk"),
        (RiskLevel.HIGH, "sv", "har risknivå hög"),
        (RiskLevel.CRITICAL, "en", "has risk level critical"),
    ],
)
def test_the_case_alert_email_names_the_cases_own_risk_level(
    ny, mentor, kommun_a, django_capture_on_commit_callbacks, risk, language, wording
):
    from django.core import mail

    from mentoring import services

    mentor.preferred_language = language
    mentor.save(update_fields=["preferred_language"])
    CaseFactory(
        holder=ny,
        case_type=CaseTypeFactory(organisation=kommun_a, name="Akut placering", risk_level=risk),
        supervisor=mentor,
        opened_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.scan_case_alerts()
    (message,) = [m for m in mail.outbox if m.to == [mentor.email]]
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert wording in text
        assert "hög risk" not in text and "high risk" not in text


@pytest.mark.django_db
def test_a_date_in_a_refusal_reads_as_a_date_not_iso(ny, kommun_a):
    from django.core.exceptions import ValidationError

    from core.dates import format_date
    from mentoring import services

    case = CaseFactory(holder=ny, case_type=CaseTypeFactory(organisation=kommun_a))
    with pytest.raises(ValidationError) as refused:
        services.close_case(ny, case=case, closed_on=case.opened_on - datetime.timedelta(days=1))
    (message,) = refused.value.message_dict["closed_on"]
    assert format_date(case.opened_on) in message
    assert case.opened_on.isoformat() not in message


def test_the_guardrail_names_the_button_as_the_page_does():
    from pathlib import Path

    from mentoring.selectors.cases import GUARDRAIL_NO_SUPERVISOR

    detail = Path("mentoring/templates/mentoring/cases/detail.html").read_text()
    button = "Ändra skede eller handledare"
    assert f'{{% translate "{button}" %}}' in detail
    assert f"”{button}”" in str(GUARDRAIL_NO_SUPERVISOR)


@pytest.mark.django_db
def test_a_case_without_a_supervisor_is_not_called_late_on_the_landing_page(client, ny, kommun_a):
    high = CaseTypeFactory(organisation=kommun_a, risk_level=RiskLevel.HIGH)
    unsupervised = CaseFactory(holder=ny, case_type=high, supervisor=None)
    client.force_login(ny)
    body = client.get(reverse("learning:dashboard")).content.decode()
    lines = [part.split("</li>")[0] for part in body.split(unsupervised.reference)[1:]]
    (missing,) = [line for line in lines if str(ALERT_NO_SUPERVISOR) in line]
    assert "Försenad" not in missing
    # A review overdue is late, and says so.
    (late,) = [line for line in lines if str(ALERT_NO_RECENT_REVIEW) in line]
    assert "Försenad" in late
