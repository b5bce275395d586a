"""Incidents (händelser) through the pages: the person records one, the manager is always told
and the mentor only when the person chooses; the manager offers a debrief and follows up; the
daily reminders go out once a day until each step is done; scope (404 for everyone else); bad
input as Swedish errors; query counts that do not grow."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from mentoring.models import Mentorship
from people.models import Role
from safety import services
from safety.forms import CHOOSE_KIND
from safety.models import Incident, IncidentKind, IncidentReminder
from tests.factories import UnitFactory
from tests.mentoring.factories import MentorshipFactory, person
from tests.queries import exact_queries

TODAY = timezone.localdate
NEW = reverse("safety:incident_new")


def body(response) -> str:
    return response.content.decode()


def incident_data(**overrides):
    data = {
        "occurred_on": TODAY().isoformat(),
        "kind": IncidentKind.THREAT_OF_VIOLENCE,
        "reported_in_system": "",
        "tell_mentor": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def record(ny, **changes):
    kwargs = {
        "occurred_on": TODAY(),
        "kind": IncidentKind.VERBAL_THREAT,
        "reported_in_system": True,
        "tell_mentor": False,
        "unit": ny.memberships.get().unit,
    }
    return services.record_incident(ny, **{**kwargs, **changes})


def safety_rows():
    return OutboxMessage.objects.filter(handler__startswith="safety.")


@pytest.mark.django_db
def test_the_manager_is_always_told_and_the_mentor_only_when_chosen(
    client, ny, chef, mentor, mentorskap, django_capture_on_commit_callbacks
):
    client.force_login(ny)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, incident_data())
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert (incident.person, incident.kind, incident.tell_mentor) == (
        ny,
        IncidentKind.THREAT_OF_VIOLENCE,
        False,
    )
    assert [m.to for m in mail.outbox] == [[chef.email]]
    text = mail.outbox[0].body
    assert "hot om våld" in text
    assert "erbjud ett avlastningssamtal" in text and "inom 72 timmar" in text
    assert "inte rapporterad i kommunens system" in text
    assert ny.get_full_name() in mail.outbox[0].subject
    # The mentor was not told, and does not see the incident.
    client.force_login(mentor)
    assert client.get(incident.get_absolute_url()).status_code == 404

    mail.outbox.clear()
    client.force_login(ny)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, incident_data(tell_mentor="on", reported_in_system="on"))
    second = Incident.objects.latest("pk")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chef.email, mentor.email])
    to_mentor = next(m for m in mail.outbox if m.to == [mentor.email])
    assert "nästa handledningssamtal" in to_mentor.body
    assert "inom 72 timmar" not in to_mentor.body
    client.force_login(mentor)
    assert client.get(second.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"occurred_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "occurred_on",
            services.INCIDENT_IN_FUTURE,
        ),
        (
            {"occurred_on": (TODAY() - datetime.timedelta(days=500)).isoformat()},
            "occurred_on",
            services.INCIDENT_TOO_OLD,
        ),
        ({"kind": "slagsmal"}, "kind", CHOOSE_KIND),
        ({"kind": None}, "kind", CHOOSE_KIND),
    ],
)
def test_bad_input_is_a_swedish_error_and_nothing_is_saved(client, ny, chef, data, field, message):
    client.force_login(ny)
    response = client.post(NEW, incident_data(**data))
    assert response.status_code == 200
    assert str(message) in response.context["form"].errors[field]
    assert not Incident.objects.exists() and not safety_rows().exists()


@pytest.mark.django_db
def test_only_the_units_manager_offers_the_debrief_and_follows_up(
    client, ny, chef, mentor, mentorskap, kommunadmin, utomstaende, enhet_a, kommun_a
):
    incident = record(ny, tell_mentor=True)
    debrief = reverse("safety:incident_debrief", args=[incident.pk])
    follow_up = reverse("safety:incident_follow_up", args=[incident.pk])
    other_chef = person(UnitFactory(organisation=kommun_a), Role.MANAGER)
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY)
    for user in (ny, mentor):
        client.force_login(user)
        assert client.get(incident.get_absolute_url()).status_code == 200
        assert "Jag har erbjudit avlastningssamtal" not in body(
            client.get(incident.get_absolute_url())
        )
        assert client.post(debrief).status_code == 404
    for user in (kommunadmin, utomstaende, other_chef, colleague):
        client.force_login(user)
        assert client.get(incident.get_absolute_url()).status_code == 404
        assert client.post(debrief).status_code == 404
        assert ny.get_full_name() not in body(client.get(reverse("safety:home")))
    incident.refresh_from_db()
    assert incident.debrief_offered_at is None

    client.force_login(chef)
    # The follow-up needs the debrief first: a message, not a 500.
    page = body(client.post(follow_up, follow=True))
    assert str(services.FOLLOW_UP_BEFORE_DEBRIEF) in page
    page = body(client.post(debrief, follow=True))
    assert "Avlastningssamtalet är markerat som erbjudet." in page
    assert str(services.DEBRIEF_ALREADY) in body(client.post(debrief, follow=True))
    page = body(client.post(follow_up, follow=True))
    assert "Uppföljningen är registrerad." in page
    incident.refresh_from_db()
    assert (incident.debrief_offered_by, incident.followed_up_by) == (chef, chef)


@pytest.mark.django_db
def test_reminders_go_out_once_a_day_until_each_step_is_done(
    ny, chef, django_capture_on_commit_callbacks
):
    incident = record(ny)
    # Recorded at ten in the morning (local time), so "the same day" below stays the same day
    # whenever the suite runs (at 21:00 UTC, 50 hours on was already the next local day).
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(10, 0))
    )
    Incident.objects.filter(pk=incident.pk).update(created_at=start)
    incident.refresh_from_db()
    mail.outbox.clear()

    def run(at):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_incident_reminders(at)

    assert run(start + datetime.timedelta(hours=47)) == []
    first = run(start + datetime.timedelta(hours=49))
    assert [r.task for r in first] == [IncidentReminder.Task.DEBRIEF]
    assert [m.to for m in mail.outbox] == [[chef.email]]
    assert "erbjud" in mail.outbox[0].subject and ny.get_full_name() in mail.outbox[0].subject
    # The same day again, and a retried delivery: nothing more.
    assert run(start + datetime.timedelta(hours=50)) == []
    for row in safety_rows().filter(handler__endswith="incident_reminder_email"):
        assert outbox.deliver(row.pk) is False
    assert len(mail.outbox) == 1
    # The next day, still not offered: one more.
    assert len(run(start + datetime.timedelta(hours=73))) == 1
    assert len(mail.outbox) == 2

    services.offer_debrief(chef, incident=incident)
    assert run(start + datetime.timedelta(days=5)) == []
    follow = run(start + datetime.timedelta(days=14, hours=1))
    assert [r.task for r in follow] == [IncidentReminder.Task.FOLLOW_UP]
    assert "följ upp" in mail.outbox[-1].subject
    services.record_follow_up(chef, incident=incident)
    assert run(start + datetime.timedelta(days=16)) == []
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_reminder_queued_before_the_manager_acted_sends_nothing(
    ny, chef, django_capture_on_commit_callbacks
):
    incident = record(ny)
    mail.outbox.clear()
    services.send_incident_reminders(incident.created_at + datetime.timedelta(hours=49))
    services.offer_debrief(chef, incident=incident)
    row = safety_rows().get(handler__endswith="incident_reminder_email")
    assert outbox.deliver(row.pk) is True  # delivered as "nothing to send"
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_ended_mentorship_sees_nothing_even_if_told(client, ny, mentor):
    MentorshipFactory(mentor=mentor, mentee=ny, status=Mentorship.Status.ENDED)
    incident = record(ny, tell_mentor=True)
    client.force_login(mentor)
    assert client.get(incident.get_absolute_url()).status_code == 404


# Exact (tests/queries.py), at 1 and at 50 incidents.
QUERIES = {"home": 6, "incident": 4, "new": 5, "confirm": 4}


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["ny", "chef"])
def test_incident_pages_queries_do_not_grow(client, request, viewer, ny, chef):
    first = record(ny)
    client.force_login(request.getfixturevalue(viewer))
    urls = {
        reverse("safety:home"): QUERIES["home"],
        first.get_absolute_url(): QUERIES["incident"],
    }
    if viewer == "ny":
        urls[NEW] = QUERIES["new"]
    for url in urls:
        client.get(url)
    for url, queries in urls.items():
        with exact_queries(queries):
            assert client.get(url).status_code == 200
    for _n in range(49):
        record(ny)
    for url, queries in urls.items():
        with exact_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_mitt_team_counts_this_quarters_incidents_per_unit_without_details(
    client, ny, chef, enhet_a, kommun_a
):
    from safety.selectors import quarter_start

    waiting = record(ny)
    done = record(ny, occurred_on=quarter_start(TODAY()))
    services.offer_debrief(chef, incident=done)
    services.record_follow_up(chef, incident=done)
    record(ny, occurred_on=quarter_start(TODAY()) - datetime.timedelta(days=1))  # last quarter
    other = UnitFactory(organisation=kommun_a, name="Vuxenenheten")
    record(person(other, Role.NEW_HIRE, full_name="Annan Person"))
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    rows = response.context["team"].incidents
    assert [(r.unit_name, r.total, r.debriefed, r.followed_up) for r in rows] == [
        (enhet_a.name, 2, 1, 1)
    ]
    page = body(response)
    assert "Hot och våld: händelser detta kvartal" in page and "1 väntar" in page
    assert waiting.get_kind_display() not in page  # counts only, no details


def debrief_data(**overrides):
    data = {
        "date": TODAY().isoformat(),
        "duration_minutes": "45",
        "format": "in_person",
        "what_happened": "Pappan hotade i telefon efter beslutet.",
        "how_you_are": "Sover dåligt, men bättre nu.",
        "support_needed": "Vara två vid nästa möte.",
        "changes": "Beslutet delges på kontoret.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_told_mentor_logs_the_debrief_and_its_note_stays_the_pairs(
    client, ny, mentor, chef, mentorskap
):
    from mentoring.models import SupervisionSession

    incident = record(ny, tell_mentor=True)
    url = reverse("safety:incident_debrief_session", args=[incident.pk])
    for user in (ny, chef):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert "Logga avlastningssamtal" not in body(client.get(incident.get_absolute_url()))
    client.force_login(mentor)
    assert "Logga avlastningssamtal" in body(client.get(incident.get_absolute_url()))
    response = client.post(url, debrief_data())
    assert response["Location"] == incident.get_absolute_url()
    session = SupervisionSession.objects.get()
    incident.refresh_from_db()
    assert incident.debrief_session == session
    assert (session.kind, session.mentorship, session.duration_minutes) == (
        SupervisionSession.Kind.DEBRIEF,
        mentorskap,
        45,
    )
    assert session.notes.startswith("Vad hände?\nPappan hotade i telefon efter beslutet.")
    assert "Vilket stöd behöver du?\nVara två vid nästa möte." in session.notes
    session_url = reverse("mentoring:session", args=[session.pk])
    page = body(client.get(incident.get_absolute_url()))
    assert session_url in page and "Logga avlastningssamtal" not in page
    # One debrief session per incident: a second post is a message, nothing saved.
    again = client.post(url, debrief_data())
    assert str(services.DEBRIEF_SESSION_ALREADY) in body(again)
    assert SupervisionSession.objects.count() == 1
    # The note is the pair's: the person reads it, the manager neither sees it nor its link.
    client.force_login(ny)
    assert "Sover dåligt" in body(client.get(session_url))
    client.force_login(chef)
    assert client.get(session_url).status_code == 404
    page = body(client.get(incident.get_absolute_url()))
    assert session_url not in page and "Sover dåligt" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": (TODAY() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"how_you_are": "Orolig för 121212-1212"}, "how_you_are"),
        ({"what_happened": "Det hände på Storgatan 12"}, "what_happened"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"format": "brev"}, "format"),
    ],
)
def test_debrief_bad_input_is_a_form_error(client, ny, mentor, mentorskap, data, field):
    from mentoring.models import SupervisionSession

    incident = record(ny, tell_mentor=True)
    client.force_login(mentor)
    response = client.post(
        reverse("safety:incident_debrief_session", args=[incident.pk]), debrief_data(**data)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not SupervisionSession.objects.exists()


@pytest.mark.django_db
def test_a_mentor_not_told_cannot_log_the_debrief(client, ny, mentor, mentorskap):
    incident = record(ny, tell_mentor=False)
    client.force_login(mentor)
    url = reverse("safety:incident_debrief_session", args=[incident.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, debrief_data()).status_code == 404


@pytest.mark.django_db
def test_the_persons_data_export_holds_their_checks_and_incidents(client, ny, chef):
    import io
    import zipfile

    from tests.safety.test_checks import services as check_services

    record(ny)
    check_services.make_safety_check(
        ny,
        unit=ny.memberships.get().unit,
        planned_on=TODAY(),
        location="office",
        known_threats="no",
        weapons="no",
        animals="no",
        earlier_incidents="no",
        decision_to_communicate=False,
        who_knows="colleague",
    )
    client.force_login(ny)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("people:my_data")).content))
    names = archive.namelist()
    assert "safety.incident_person.json" in names
    assert "safety.safetycheck_person.json" in names


@pytest.mark.django_db
def test_editing_the_debrief_session_keeps_it_a_debrief(client, ny, mentor, mentorskap):
    """The ordinary session form leaves the debrief kind out (a debrief is logged from its
    incident). Editing a logged debrief offered only the other kinds, so the browser sent the
    first of them and the incident's debrief became an ordinary mentor talk."""
    from mentoring.models import SupervisionSession

    incident = record(ny, tell_mentor=True)
    client.force_login(mentor)
    client.post(reverse("safety:incident_debrief_session", args=[incident.pk]), debrief_data())
    session = SupervisionSession.objects.get()
    edit = reverse("mentoring:edit_session", args=[session.pk])
    page = body(client.get(edit))
    assert f'<option value="{SupervisionSession.Kind.DEBRIEF}" selected>' in page
    assert f'value="{SupervisionSession.Kind.MENTORING}"' not in page
    data = {
        "kind": SupervisionSession.Kind.DEBRIEF,
        "date": TODAY().isoformat(),
        "duration_minutes": "50",
        "format": "in_person",
        "notes": session.notes + "\n\nTillagt efteråt.",
    }
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert (session.kind, session.duration_minutes) == (SupervisionSession.Kind.DEBRIEF, 50)
    # Nor can a forged post turn it into another kind, or an ordinary session into a debrief.
    response = client.post(edit, {**data, "kind": SupervisionSession.Kind.MENTORING})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    session.refresh_from_db()
    assert session.kind == SupervisionSession.Kind.DEBRIEF
    log = reverse("mentoring:log_session", args=[mentorskap.pk])
    response = client.post(log, {**data, "kind": SupervisionSession.Kind.DEBRIEF})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert SupervisionSession.objects.count() == 1


@pytest.mark.django_db
def test_the_reminders_run_every_morning_on_celery_beat(
    ny, chef, django_capture_on_commit_callbacks
):
    """The schedule (a data migration) names the Celery task the worker has, and the task sends
    the due reminder once however often it runs."""
    from django_celery_beat.models import PeriodicTask

    from config.celery import app
    from safety import tasks

    entry = PeriodicTask.objects.get(task="safety.tasks.send_incident_reminders")
    assert entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_week) == ("15", "7", "*")
    assert entry.task in app.tasks
    incident = record(ny)
    # Recorded three days ago at noon: the debrief reminder is due.
    recorded = timezone.make_aware(
        datetime.datetime.combine(TODAY() - datetime.timedelta(days=3), datetime.time(12))
    )
    Incident.objects.filter(pk=incident.pk).update(created_at=recorded)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_incident_reminders.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_incident_reminders.apply().get() == 0
    reminders = [m for m in mail.outbox if "erbjud" in m.subject]
    assert [m.to for m in reminders] == [[chef.email]]


@pytest.mark.django_db
def test_the_managers_steps_are_confirmed_before_they_are_recorded(client, ny, chef, mentor):
    """Offering the debrief and recording the follow-up cannot be undone and end the
    reminders: the incident page links to a confirmation page, and only its POST records."""
    incident = record(ny)
    debrief = reverse("safety:incident_debrief", args=[incident.pk])
    follow_up = reverse("safety:incident_follow_up", args=[incident.pk])
    client.force_login(chef)
    page = body(client.get(incident.get_absolute_url()))
    assert f'href="{debrief}"' in page and f'action="{debrief}"' not in page
    with exact_queries(QUERIES["confirm"]):
        response = client.get(debrief)
    assert response.status_code == 200
    confirm = body(response)
    assert "Har du erbjudit" in confirm and "Det går inte att ångra." in confirm
    assert f'href="{incident.get_absolute_url()}"' in confirm  # Avbryt
    incident.refresh_from_db()
    assert incident.debrief_offered_at is None
    client.post(debrief)
    incident.refresh_from_db()
    assert incident.debrief_offered_by == chef
    # Done: the confirmation page sends back to the incident; the next step asks in turn.
    assert client.get(debrief)["Location"] == incident.get_absolute_url()
    assert "Har du följt upp" in body(client.get(follow_up))
    incident.refresh_from_db()
    assert incident.followed_up_at is None
    client.force_login(mentor)
    assert client.get(follow_up).status_code == 404
