"""A double-submitted form (two clicks, a resubmit after back) never creates two records."""

import datetime

import pytest
from django.urls import reverse

from people.middleware import ALREADY_SUBMITTED
from people.models import SubmittedForm, User


def _invite(client, enhet_a, token, email="ny.person@example.org", **extra):
    data = {
        "csrfmiddlewaretoken": token,
        "email": email,
        "full_name": "Ny Person",
        "unit": enhet_a.pk,
        "role": "new_hire",
        "start_date": datetime.date(2026, 12, 1).isoformat(),
        **extra,
    }
    return client.post(
        reverse("people:invite"), data, HTTP_REFERER="http://testserver/personal/bjud-in/"
    )


@pytest.mark.django_db
def test_two_clicks_invite_one_person(client, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    first = _invite(client, enhet_a, "rendering-1")
    assert first.status_code == 302
    second = _invite(client, enhet_a, "rendering-1")
    assert second.status_code == 302
    assert second["Location"] == "http://testserver/personal/bjud-in/"
    assert User.objects.filter(email="ny.person@example.org").count() == 1
    page = client.get(second["Location"])
    assert str(ALREADY_SUBMITTED) in page.content.decode()


@pytest.mark.django_db
def test_a_form_with_errors_can_be_corrected_and_sent_from_the_same_page(
    client, kommunadmin, enhet_a
):
    client.force_login(kommunadmin)
    broken = _invite(client, enhet_a, "rendering-2", email="inte-en-adress")
    assert broken.status_code == 200
    assert not SubmittedForm.objects.exists()
    fixed = _invite(client, enhet_a, "rendering-2")
    assert fixed.status_code == 302
    assert User.objects.filter(email="ny.person@example.org").count() == 1


@pytest.mark.django_db
def test_a_freshly_loaded_form_is_a_new_submission(client, ny, home):
    client.force_login(ny)
    for token, name in (("rendering-3", "Första Namnet"), ("rendering-4", "Andra Namnet")):
        client.post(
            reverse("people:profile"),
            {
                "csrfmiddlewaretoken": token,
                "full_name": name,
                "preferred_language": "sv",
                "receives_digest": "on",
            },
        )
        ny.refresh_from_db()
        assert ny.full_name == name


@pytest.mark.django_db
def test_the_same_token_from_two_people_is_two_submissions(client, ny, mentor, home):
    for person in (ny, mentor):
        client.force_login(person)
        response = client.post(
            reverse("people:profile"),
            {"csrfmiddlewaretoken": "delad", "full_name": "X Y", "preferred_language": "sv"},
        )
        assert response.status_code == 302
    assert SubmittedForm.objects.count() == 2


@pytest.mark.django_db
def test_old_keys_are_purged(client, ny, home):
    from people.tasks import purge_submitted_forms

    SubmittedForm.objects.create(key="gammal")
    SubmittedForm.objects.filter(key="gammal").update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    SubmittedForm.objects.create(key="ny")
    assert purge_submitted_forms() == 1
    assert list(SubmittedForm.objects.values_list("key", flat=True)) == ["ny"]
