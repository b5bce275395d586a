from decimal import Decimal

import pytest

from mentoring.models import CaseType, MentoringSettings
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT

BASE = "/admin/snippets/mentoring/mentoringsettings/"


@pytest.mark.django_db
def test_municipal_admin_sets_only_their_own_mentoring_rules(
    client, kommunadmin, kommun_a, kommun_b
):
    own = MentoringSettings.objects.create(organisation=kommun_a, min_years_experience=3)
    other = MentoringSettings.objects.create(organisation=kommun_b, min_years_experience=5)
    client.force_login(kommunadmin)
    index = client.get(BASE)
    assert index.status_code == 200
    assert "Kommun A" in index.content.decode() and "Kommun B" not in index.content.decode()
    response = client.post(
        f"{BASE}edit/{own.pk}/",
        {
            "organisation": kommun_a.pk,
            "min_years_experience": 4,
            "reminder_grace_days": 7,
            "weight_low": "1",
            "weight_medium": "2",
            "weight_high": "3.5",
            "weight_critical": "5",
            "caseload_guideline": 20,
            "protected_caseload_guideline": 10,
            "case_retention_months": 36,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.min_years_experience == 4
    assert own.case_retention_months == 36
    assert (own.weight_high, own.caseload_guideline, own.protected_caseload_guideline) == (
        Decimal("3.5"),
        20,
        10,
    )
    for url in (f"{BASE}edit/{other.pk}/", f"{BASE}delete/{other.pk}/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"organisation": kommun_a.pk}).status_code == 404
    other.refresh_from_db()
    assert (other.organisation, other.min_years_experience) == (kommun_b, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "mentor", "chef", "redaktor"])
def test_others_cannot_reach_mentoring_rules(client, request, cast, kommun_a):
    MentoringSettings.objects.create(organisation=kommun_a)
    client.force_login(request.getfixturevalue(cast))
    assert client.get(BASE).status_code in (302, 403)


CASE_TYPES = "/admin/snippets/mentoring/casetype/"


@pytest.mark.django_db
def test_municipal_admin_manages_only_their_own_case_types(client, kommunadmin, kommun_a, kommun_b):
    other = CaseType.objects.create(organisation=kommun_b, name="Deras typ", risk_level="low")
    client.force_login(kommunadmin)
    response = client.post(
        f"{CASE_TYPES}add/",
        {
            "organisation": kommun_a.pk,
            "name": "Omedelbart omhändertagande enligt 6 § LVU",
            "risk_level": "critical",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    own = CaseType.objects.get(organisation=kommun_a)
    assert (own.risk_level, own.honour_related) == ("critical", False)
    index = client.get(CASE_TYPES).content.decode()
    assert "Omedelbart omhändertagande" in index and "Deras typ" not in index
    # Another municipality: neither reachable nor a choice in the form.
    assert client.get(f"{CASE_TYPES}edit/{other.pk}/").status_code == 404
    response = client.post(
        f"{CASE_TYPES}add/", {"organisation": kommun_b.pk, "name": "Smygtyp", "risk_level": "low"}
    )
    assert response.status_code == 200
    assert not CaseType.objects.filter(name="Smygtyp").exists()
    response = client.post(
        f"{CASE_TYPES}add/",
        {"organisation": kommun_a.pk, "name": "Typ 811218-9876", "risk_level": "low"},
    )
    assert str(IDENTITY_NUMBER_IN_TEXT) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "mentor", "chef", "redaktor", "utomstaende"])
def test_others_cannot_reach_case_types(client, request, cast, kommun_a):
    CaseType.objects.create(organisation=kommun_a, name="Förhandsbedömning", risk_level="low")
    client.force_login(request.getfixturevalue(cast))
    assert client.get(CASE_TYPES).status_code in (302, 403)
