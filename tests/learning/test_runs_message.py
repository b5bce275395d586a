"""A message to everyone in a course run, from whoever manages it: a form (subject and
message, identity-number guard, length limits), a preview with the recipients, then one email
per person through the outbox; a double submit sends nothing twice; audited."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import OutboxMessage
from learning import run_management, views
from learning.services import runs
from learning.tasks import run_message_email
from people.models import AuditAction, AuditEvent
from tests.learning.conftest import make_managers, make_run

# A valid personal identity number (Luhn-correct), as people.validators rejects it.
IDENTITY_NUMBER = "19811218-9876"


@pytest.fixture
def busy_run(leadership, kursledare, kommun_a, enhet_a):
    """Two seated, one waiting."""
    run = make_run(leadership, seats=2, leaders=[kursledare], organiser=kommun_a)
    for person in make_managers(enhet_a, 3):
        runs.enrol_in_course_run(person, run=run)
    return run


def _url(run):
    return reverse("learning:run_message", args=[run.pk])


def _sent():
    return OutboxMessage.objects.filter(handler="learning.tasks.run_message_email")


def _preview(client, run, **data):
    fields = {"subject": "Lokalbyte", "message": "Vi ses i sal 3 i stället.", **data}
    response = client.post(_url(run), fields)
    body = response.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)
    return response, body, fields, token.group(1) if token else None


@pytest.mark.django_db
def test_preview_then_send_once_per_person_even_when_sent_twice(
    client, kursledare, busy_run, kommun_a
):
    client.force_login(kursledare)
    assert "Förhandsgranska" in client.get(_url(busy_run)).content.decode()
    response, body, fields, token = _preview(client, busy_run)
    assert response.status_code == 200
    assert "Vi ses i sal 3 i stället." in body
    assert "Chef 000" in body and "Chef 001" in body
    assert "Chef 002" not in body  # waiting, and the waitlist was not chosen
    assert not _sent().exists()  # the preview sends nothing
    send = {**fields, "token": token, "include_waitlist": "False", "send": ""}
    response = client.post(_url(busy_run), send, follow=True)
    assert str(views.MESSAGE_SENT % {"count": 2}) in response.content.decode()
    seated = set(busy_run.enrolments.filter(status="enrolled").values_list("user_id", flat=True))
    assert set(_sent().values_list("recipient_id", flat=True)) == seated
    # The double submit: told, and nobody gets it twice.
    response = client.post(_url(busy_run), send, follow=True)
    assert str(views.MESSAGE_ALREADY_SENT) in response.content.decode()
    assert _sent().count() == 2
    line = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="learning.courserun")
    assert (line.actor, line.organisation) == (kursledare, kommun_a)
    assert "2 mottagare" in line.summary


@pytest.mark.django_db
def test_the_waitlist_too_when_chosen_and_the_email_names_the_run(client, kommunadmin, busy_run):
    client.force_login(kommunadmin)
    _response, body, fields, token = _preview(client, busy_run, include_waitlist="on")
    assert "Chef 002" in body
    client.post(_url(busy_run), {**fields, "token": token, "send": ""})
    assert _sent().count() == 3
    row = _sent().order_by("pk").first()
    email = run_message_email(**row.args)
    assert email.subject == f"Ledarskap, {busy_run.name}: Lokalbyte"
    assert "Vi ses i sal 3 i stället." in email.body
    assert f"{kommunadmin.get_full_name()} skriver till alla i Ledarskap" in email.body
    assert f"{busy_run.start_date:%Y}" in email.body
    assert f"#omgang-{busy_run.pk}" in email.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("subject", f"Om {IDENTITY_NUMBER}", "personnummer"),
        ("message", f"Gäller {IDENTITY_NUMBER}", "personnummer"),
        ("subject", "x" * 151, "högst 150 tecken"),
        ("message", "x" * 5001, "högst 5000 tecken"),
        ("message", "", "Skriv ett meddelande."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_sent(
    client, kursledare, busy_run, field, value, expected
):
    client.force_login(kursledare)
    response, body, _fields, token = _preview(client, busy_run, **{field: value})
    assert response.status_code == 400
    assert expected in body
    assert token is None
    # Straight to "send" with a forged form: the same refusal, nothing queued.
    forged = {
        "subject": "Lokalbyte",
        "message": "Hej",
        field: value,
        "token": "a" * 32,
        "send": "",
    }
    assert client.post(_url(busy_run), forged).status_code == 400
    assert not _sent().exists()


@pytest.mark.django_db
def test_the_service_guards_itself(kursledare, busy_run, chef):
    with pytest.raises(ValidationError) as error:
        run_management.message_run_participants(
            kursledare,
            run=busy_run,
            subject="Hej\nBcc: x@example.org",
            message="Hej",
            include_waitlist=False,
            token="b" * 32,
        )
    assert error.value.message_dict == {"subject": [str(run_management.SUBJECT_ONE_LINE)]}
    with pytest.raises(ValidationError):
        run_management.message_run_participants(
            kursledare,
            run=busy_run,
            subject="Hej",
            message="Hej",
            include_waitlist=False,
            token="x",
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_management.message_run_participants(
            chef, run=busy_run, subject="Hej", message="Hej", include_waitlist=False, token="c" * 32
        )
    assert not _sent().exists()


@pytest.mark.django_db
def test_only_those_who_manage_the_run_may_write(
    client, busy_run, chef, kommunadmin_b, utomstaende
):
    for outsider in (chef, kommunadmin_b, utomstaende):
        client.force_login(outsider)
        assert client.get(_url(busy_run)).status_code == 404
        post = {"subject": "Hej", "message": "Hej", "token": "d" * 32, "send": ""}
        assert client.post(_url(busy_run), post).status_code == 404
    assert not _sent().exists()
