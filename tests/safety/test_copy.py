"""Copy as a social worker reads it (issue 17): the decision-stage prompt names the case's own
risk level, so a critical case is not called "hög risk" beside a tag that says "Kritisk"."""

import pytest
from django.urls import reverse

from mentoring import services as mentoring_services
from mentoring.models import CaseStage, RiskLevel


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "wording", "wrong"),
    [("sv", "Ärendet har risknivå kritisk", "hög risk"), ("en", "risk level critical", "high")],
)
def test_the_decision_prompt_names_a_critical_case_critical(
    client, ny, mentor, mentorskap, arende, language, wording, wrong
):
    arende.case_type.risk_level = RiskLevel.CRITICAL
    arende.case_type.save(update_fields=["risk_level"])
    mentoring_services.change_case_stage(
        ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor
    )
    ny.preferred_language = language
    ny.save(update_fields=["preferred_language"])
    client.force_login(ny)
    page = client.get(reverse("mentoring:case", args=[arende.pk])).content.decode()
    prompt = page.split('role="note"')[-1].split("</div>")[0]
    assert wording in prompt
    assert wrong not in prompt


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("sv", "Händelse"), ("en", "Incident")])
def test_an_incident_page_is_headed_incident_in_english(client, ny, language, heading):
    from tests.safety.test_incidents import record

    incident = record(ny)
    ny.preferred_language = language
    ny.save(update_fields=["preferred_language"])
    client.force_login(ny)
    page = client.get(reverse("safety:incident", args=[incident.pk])).content.decode()
    assert f"<h1>{heading}</h1>" in page
