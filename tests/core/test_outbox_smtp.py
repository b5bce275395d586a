"""The outbox's sending over Django's SMTP backend: a large group goes out over several
connections at once (a real local SMTP socket counts them), each email once with its row's
Message-ID, and the shortcut for plain addresses gives what Django's sanitize_address gives."""

import datetime

import pytest
from django.core.mail.message import sanitize_address
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from learning import reminders, tasks
from people.models import User


@pytest.mark.parametrize(
    "address",
    [
        "larande1@bench.introsteg.invalid",
        "Ny.Kollega+intro@Example.ORG",
        "o'brien@example.org",
        "a@b",
        '"quoted local"@example.org',
        "åsa@exempel.se",
        "asa@exämpel.se",
        "Åsa Öberg <asa@example.org>",
        "Introsteg <noreply@introsteg.se>",
        "a..b@example.org",
        "trailing.@example.org",
    ],
)
def test_a_plain_address_is_taken_as_django_would_sanitize_it(address):
    for encoding in ("utf-8", "iso-8859-1"):
        try:
            expected = sanitize_address(address, encoding)
        except ValueError:
            with pytest.raises(ValueError):
                outbox._sanitize(address, encoding)
            continue
        assert outbox._sanitize(address, encoding) == expected


@pytest.mark.django_db
def test_a_large_group_goes_out_over_several_connections_each_email_once(
    course, smtp_server, monkeypatch
):
    smtp_server.start()
    people = 120
    monkeypatch.setattr(outbox, "GROUP_FIRST", people)  # one group of them all
    module = course.modules().first()
    users = User.objects.bulk_create(
        User(email=f"person{n}@example.org", full_name=f"Åsa {n}") for n in range(people)
    )
    due = timezone.localdate() + datetime.timedelta(days=3)
    rows = [
        reminders._row(u.pk, reminders.Kind.DUE_SOON, f"module:{module.pk}", due) for u in users
    ]
    assert outbox.enqueue_many(tasks.reminder_email, rows) == people
    assert outbox.deliver_batch() == people
    assert smtp_server.connections == outbox.SMTP_CONNECTIONS == 4
    assert len(smtp_server.messages) == people
    ids = OutboxMessage.objects.filter(handler=tasks.reminder_email.outbox_name)
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(
        outbox.message_id(pk) for pk in ids.values_list("pk", flat=True)
    )
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(u.email for u in users)
    assert set(ids.values_list("status", flat=True)) == {OutboxMessage.Status.DELIVERED}
