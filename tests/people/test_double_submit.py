"""A double-submitted form (two clicks, a resubmit after back) never creates two records."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.middleware import ALREADY_SUBMITTED
from people.models import SubmittedForm, User


def _invite(client, enhet_a, token, email="ny.person@example.org", **extra):
    data = {
        "csrfmiddlewaretoken": token,
        "email": email,
        "full_name": "Ny Person",
        "unit": enhet_a.pk,
        "role": "new_hire",
        "start_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
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


class _Outage:
    """The database goes away at the first statement containing `starts_at` and stays away
    until the block ends (every statement fails, as with a lost connection); commits and
    rollbacks are not statements, so the transaction machinery itself still runs."""

    def __init__(self, starts_at: str):
        self.starts_at = starts_at
        self.down = False

    def __call__(self, execute, sql, params, many, context):
        if self.down or self.starts_at in sql:
            self.down = True
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _profile_post(client, token, name):
    return client.post(
        reverse("people:profile"),
        {"csrfmiddlewaretoken": token, "full_name": name, "preferred_language": "sv"},
        HTTP_REFERER="http://testserver/profil/",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_lost_to_a_database_failure_can_be_sent_again(ny, home):
    """The key used to commit before the view ran: a 503 during the view left it behind, and the
    resubmission after recovery was refused as a double click with nothing saved."""
    client = Client(raise_request_exception=False)
    client.force_login(ny)
    outage = _Outage('UPDATE "people_user"')
    with connection.execute_wrapper(outage):
        failed = _profile_post(client, "rendering-5", "Nytt Namn")
    assert outage.down
    assert failed.status_code == 503
    assert not SubmittedForm.objects.exists()
    ny.refresh_from_db()
    assert ny.full_name != "Nytt Namn"

    again = _profile_post(client, "rendering-5", "Nytt Namn")
    assert again.status_code == 302
    assert again["Location"] == reverse("people:profile")
    ny.refresh_from_db()
    assert ny.full_name == "Nytt Namn"
    page = client.get(again["Location"]).content.decode()
    assert str(ALREADY_SUBMITTED) not in page
    assert SubmittedForm.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_views_writes_rolls_back_the_work_with_the_key(kommunadmin, enhet_a):
    """Invitation writes the user, the membership and the audit line, then the database goes
    away before the view is done: none of it stays, and the resubmission invites the person."""
    client = Client(raise_request_exception=False)
    client.force_login(kommunadmin)
    outage = _Outage('INSERT INTO "people_auditevent"')
    with connection.execute_wrapper(outage):
        failed = _invite(client, enhet_a, "rendering-6")
    assert outage.down
    assert failed.status_code == 503
    assert not User.objects.filter(email="ny.person@example.org").exists()
    assert not SubmittedForm.objects.exists()

    again = _invite(client, enhet_a, "rendering-6")
    assert again.status_code == 302
    assert again["Location"] == reverse("people:staff")
    assert User.objects.filter(email="ny.person@example.org").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: two transactions at once (SQLite has one writer at a time)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_identical_posts_act_once(kommunadmin, enhet_a):
    """The first request holds its key uncommitted while its view works; the second's insert
    of the same key waits for that transaction and then fails, so it is told it was sent."""
    inside_view = threading.Event()
    second_waiting = threading.Event()
    responses = {}

    def hold(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if 'INSERT INTO "people_auditevent"' in sql and not inside_view.is_set():
            inside_view.set()
            # Keep the first transaction open until the second request is blocked on the key.
            second_waiting.wait(timeout=5)
            time.sleep(0.5)
        return result

    def first():
        try:
            client = Client()
            client.force_login(kommunadmin)
            with connection.execute_wrapper(hold):
                responses["first"] = _invite(client, enhet_a, "rendering-7")
        finally:
            connections.close_all()

    def second():
        try:
            inside_view.wait(timeout=10)
            client = Client()
            client.force_login(kommunadmin)
            second_waiting.set()
            responses["second"] = _invite(client, enhet_a, "rendering-7")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert responses["first"]["Location"] == reverse("people:staff")
    assert responses["second"]["Location"] == "http://testserver/personal/bjud-in/"
    assert User.objects.filter(email="ny.person@example.org").count() == 1
