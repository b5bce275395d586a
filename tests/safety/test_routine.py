"""The municipality's own routine (kommunens rutin, issue 22): its municipal admin sets the link
to and the text about its incident reporting (KIA, IA) and its wording of the safety check's
questions; everyone else gets a 404; each change is in the audit log; bad input is a Swedish form
error; a check keeps the wording it was answered with when the wording changes later."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from people.models import AuditAction, AuditEvent
from people.validators import IDENTITY_NUMBER_IN_TEXT
from safety import services
from safety.forms import BAD_URL
from safety.models import DEFAULT_QUESTIONS, SafetyCheck, SafetySettings
from safety.validators import ADDRESS_IN_TEXT
from tests.queries import exact_queries
from tests.safety.conftest import check_data

pytestmark = pytest.mark.django_db

KIA = "https://kia.prevent.se/kommun-a"
OWN_WEAPONS = (
    "Har du läst i ärendet om någon i hushållet har vapenlicens eller har hotat med vapen?"
)


def routine_url(organisation) -> str:
    return reverse("safety:routine", args=[organisation.pk])


def form(**overrides) -> dict:
    data = {
        "reporting_url": KIA,
        "reporting_text": "Rapportera i KIA samma dag. Ring chefen om du behöver stöd.",
        **{f"{name}_question": "" for name in DEFAULT_QUESTIONS},
    }
    data.update(overrides)
    return data


def test_the_municipal_admin_sets_the_routine_and_it_is_audited(client, kommunadmin, kommun_a):
    client.force_login(kommunadmin)
    assert client.get(reverse("safety:routines"))["Location"] == routine_url(kommun_a)
    response = client.post(routine_url(kommun_a), form(weapons_question=OWN_WEAPONS))
    assert response.status_code == 302
    routine = SafetySettings.objects.get(organisation=kommun_a)
    assert (routine.reporting_url, routine.weapons_question) == (KIA, OWN_WEAPONS)
    assert routine.updated_by == kommunadmin
    assert routine.questions()["weapons"] == OWN_WEAPONS
    assert routine.questions()["animals"] == DEFAULT_QUESTIONS["animals"]  # national default
    event = AuditEvent.objects.get(object_type="safety.safetysettings")
    assert (event.actor, event.organisation, event.action) == (
        kommunadmin,
        kommun_a,
        AuditAction.UPDATE,
    )
    # What changed, by the fields' names as people read them (not the values, not code names).
    assert event.summary.startswith("Ändrat: länk till kommunens rapportering av tillbud")
    assert str(SafetySettings._meta.get_field("weapons_question").verbose_name) in event.summary
    assert "reporting_url" not in event.summary and KIA not in event.summary
    assert "Kommunens rutin är sparad." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["ny", "chef", "mentor", "redaktor", "kommunadmin_b"])
def test_nobody_else_reaches_the_routine(client, request, kommun_a, kommunadmin, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(routine_url(kommun_a)).status_code == 404
    assert client.post(routine_url(kommun_a), form()).status_code == 404
    assert not SafetySettings.objects.exists()


def test_a_municipality_that_does_not_exist_is_a_404_too(client, kommunadmin):
    client.force_login(kommunadmin)
    assert client.get(reverse("safety:routine", args=[987654])).status_code == 404


def test_the_service_refuses_another_municipality(kommunadmin, kommun_b):
    with pytest.raises(PermissionDenied):
        services.update_safety_settings(kommunadmin, organisation=kommun_b, reporting_url=KIA)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reporting_url", "javascript:alert(1)", BAD_URL),
        ("reporting_url", "ftp://kia.example.org/", BAD_URL),
        ("reporting_url", "kia intranät", BAD_URL),
        ("reporting_text", "Ring om 121212-1212 hör av sig", IDENTITY_NUMBER_IN_TEXT),
        ("weapons_question", "Bor familjen på Storgatan 12?", ADDRESS_IN_TEXT),
        ("animals_question", "x" * 301, None),
    ],
)
def test_bad_input_is_a_clear_form_error(client, kommunadmin, kommun_a, field, value, message):
    client.force_login(kommunadmin)
    response = client.post(routine_url(kommun_a), form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors
    if message is not None:
        assert str(message) in errors
    assert not SafetySettings.objects.exists()


def test_the_check_asks_the_municipalitys_questions_and_keeps_them(
    client, kommunadmin, kommun_a, ny
):
    services.update_safety_settings(
        kommunadmin, organisation=kommun_a, weapons_question=OWN_WEAPONS
    )
    client.force_login(ny)
    new = reverse("safety:check_new")
    assert OWN_WEAPONS in client.get(new).content.decode()
    response = client.post(new, check_data())
    check = SafetyCheck.objects.get()
    assert check.questions["weapons"] == OWN_WEAPONS
    assert check.questions["animals"] == str(DEFAULT_QUESTIONS["animals"])
    # The admin rewords the question again, then goes back to the national wording: the check
    # still shows what ny was asked.
    services.update_safety_settings(
        kommunadmin, organisation=kommun_a, weapons_question="Något helt annat?"
    )
    services.update_safety_settings(kommunadmin, organisation=kommun_a, weapons_question="")
    page = client.get(response["Location"]).content.decode()
    assert OWN_WEAPONS in page and "Något helt annat?" not in page
    assert str(DEFAULT_QUESTIONS["weapons"]) in client.get(new).content.decode()


def test_a_check_made_before_the_wording_could_change_shows_the_national_questions(client, ny):
    client.force_login(ny)
    response = client.post(reverse("safety:check_new"), check_data())
    SafetyCheck.objects.update(questions={})  # as every check saved before this change
    page = client.get(response["Location"]).content.decode()
    assert str(DEFAULT_QUESTIONS["weapons"]) in page


def test_the_incident_pages_show_the_municipalitys_reporting_routine(
    client, kommunadmin, kommun_a, ny, chef, utomstaende
):
    services.update_safety_settings(
        kommunadmin,
        organisation=kommun_a,
        reporting_url=KIA,
        reporting_text="Rapportera i KIA samma dag.",
    )
    client.force_login(ny)
    page = client.get(reverse("safety:incident_new")).content.decode()
    assert f'href="{KIA}"' in page and "Rapportera i KIA samma dag." in page
    unit = ny.memberships.get().unit
    common = {"occurred_on": timezone.localdate(), "kind": "verbal_threat", "unit": unit}
    waiting = services.record_incident(ny, reported_in_system=False, tell_mentor=False, **common)
    reported = services.record_incident(ny, reported_in_system=True, tell_mentor=False, **common)
    assert f'href="{KIA}"' in client.get(waiting.get_absolute_url()).content.decode()
    assert KIA not in client.get(reported.get_absolute_url()).content.decode()
    # Another municipality's staff never see kommun A's routine.
    client.force_login(utomstaende)
    assert KIA not in client.get(reverse("safety:incident_new")).content.decode()


def test_the_routine_page_runs_a_fixed_number_of_queries(client, kommunadmin, kommun_a):
    client.force_login(kommunadmin)
    client.get(routine_url(kommun_a))
    with exact_queries(5):
        assert client.get(routine_url(kommun_a)).status_code == 200
