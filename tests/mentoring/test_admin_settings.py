import pytest

from mentoring.models import MentoringSettings

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
        {"organisation": kommun_a.pk, "min_years_experience": 4, "reminder_grace_days": 7},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.min_years_experience == 4
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
