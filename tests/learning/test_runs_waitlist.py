"""Managing a course run's waitlist (reservlista) from its roster page: give a waitlisted
person a free seat, move them up one step, take them off the list. Course leaders, editors
and the arranging municipality's admins may (learning.permissions.run_access); each action is
confirmed, idempotent, audited, and the person is emailed through the outbox in their
language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboxMessage
from learning import run_management, views
from learning.models import CourseRun, Enrolment, RunEnrolment
from learning.services import runs
from learning.tasks import run_email
from people.models import AuditEvent
from tests.learning.conftest import make_managers, make_run


def _body(response) -> str:
    return response.content.decode()


@pytest.fixture
def full_run(leadership, kursledare, kommun_a, enhet_a):
    """Two seats taken, three on the waitlist; arranged by municipality A."""
    run = make_run(leadership, seats=2, leaders=[kursledare], organiser=kommun_a)
    people = make_managers(enhet_a, 5)
    for person in people:
        runs.enrol_in_course_run(person, run=run)
    return run


def _waiting(run):
    return list(
        run.enrolments.filter(status=RunEnrolment.Status.WAITLISTED)
        .select_related("user")
        .order_by("waitlist_position")
    )


def _url(run, place, action):
    return reverse("learning:run_waitlist", args=[run.pk, place.pk, action])


def _emails(template):
    return OutboxMessage.objects.filter(
        handler="learning.tasks.run_email", args__template=template
    ).order_by("pk")


@pytest.mark.django_db
def test_the_roster_offers_the_waitlist_actions_to_its_managers(
    client, kursledare, kommunadmin, redaktor, full_run
):
    first, _second, third = _waiting(full_run)
    for person in (kursledare, kommunadmin, redaktor):
        client.force_login(person)
        page = _body(client.get(reverse("learning:run_roster", args=[full_run.pk])))
        assert _url(full_run, third, "flytta-upp") in page
        assert _url(full_run, first, "ta-bort") in page
        # The first in the queue cannot move up; with no free seat nobody is given one.
        assert _url(full_run, first, "flytta-upp") not in page
        assert _url(full_run, first, "ge-plats") not in page
    # The admin is not in the room: no attendance links for her.
    client.force_login(kommunadmin)
    page = _body(client.get(reverse("learning:run_roster", args=[full_run.pk])))
    session = full_run.sessions.first()
    assert reverse("learning:session_attendance", args=[session.pk]) not in page
    assert reverse("learning:run_roster", args=[full_run.pk]) in _body(
        client.get(reverse("learning:runs_led"))
    )


@pytest.mark.django_db
def test_moving_up_asks_first_then_swaps_and_tells_both(client, kursledare, full_run):
    first, second, third = _waiting(full_run)
    client.force_login(kursledare)
    url = _url(full_run, third, "flytta-upp")
    confirm = _body(client.get(url))
    assert "byter plats med den som står före" in confirm
    assert [p.pk for p in _waiting(full_run)] == [first.pk, second.pk, third.pk]  # GET: nothing
    response = client.post(url, {"from_position": "3"}, follow=True)
    assert str(
        views.WAITLIST_DONE["move_up"] % {"name": third.user.get_full_name(), "position": 2}
    ) in _body(response)
    assert [p.pk for p in _waiting(full_run)] == [first.pk, third.pk, second.pk]
    assert sorted(m.recipient_id for m in _emails("waitlist_moved")) == sorted(
        [second.user_id, third.user_id]
    )
    lines = AuditEvent.objects.filter(object_type="learning.runenrolment", actor=kursledare)
    assert lines.count() == 2
    assert "från plats 3 till 2" in lines.get(object_id=str(third.pk)).summary
    # The second click (the same confirmed form again) is told and changes nothing.
    response = client.post(url, {"from_position": "3"}, follow=True)
    assert "står redan på plats 2 på reservlistan, inte på plats 3" in _body(response)
    assert [p.pk for p in _waiting(full_run)] == [first.pk, third.pk, second.pk]
    assert _emails("waitlist_moved").count() == 2
    assert lines.count() == 2


@pytest.mark.django_db
def test_removing_from_the_waitlist_moves_the_rest_up_and_keeps_the_course(
    client, kommunadmin, full_run, leadership
):
    first, second, third = _waiting(full_run)
    client.force_login(kommunadmin)
    url = _url(full_run, first, "ta-bort")
    assert "tas bort från reservlistan" in _body(client.get(url))
    client.post(url, {"from_position": "1"})
    first.refresh_from_db()
    assert first.status == RunEnrolment.Status.WITHDRAWN
    assert first.decided_by == kommunadmin
    assert [(p.pk, p.waitlist_position) for p in _waiting(full_run)] == [
        (second.pk, 1),
        (third.pk, 2),
    ]
    (email,) = _emails("waitlist_removed")
    assert email.recipient_id == first.user_id
    assert AuditEvent.objects.filter(
        object_type="learning.runenrolment", object_id=str(first.pk), actor=kommunadmin
    ).exists()
    # Twice: told, nothing changes, no second email; the confirmation page is not offered.
    response = client.post(url, follow=True)
    assert str(run_management.NOT_ON_WAITLIST % {"name": first.user.get_full_name()}) in _body(
        response
    )
    assert _emails("waitlist_removed").count() == 1
    response = client.get(url, follow=True)
    assert str(run_management.NOT_ON_WAITLIST % {"name": first.user.get_full_name()}) in _body(
        response
    )


@pytest.mark.django_db
def test_a_free_seat_can_go_to_anyone_on_the_waitlist(client, kursledare, full_run, leadership):
    first, second, third = _waiting(full_run)
    # A seat added without the admin's settling (e.g. in the shell): the leader decides who.
    CourseRun.objects.filter(pk=full_run.pk).update(seats=3)
    client.force_login(kursledare)
    page = _body(client.get(reverse("learning:run_roster", args=[full_run.pk])))
    assert "1 plats är ledig." in page
    url = _url(full_run, second, "ge-plats")
    assert url in page
    client.post(url)
    second.refresh_from_db()
    assert second.status == RunEnrolment.Status.ENROLLED
    assert Enrolment.objects.get(user=second.user, course=leadership).status == "active"
    assert [(p.pk, p.waitlist_position) for p in _waiting(full_run)] == [
        (first.pk, 1),
        (third.pk, 2),
    ]
    assert [m.recipient_id for m in _emails("promoted")] == [second.user_id]
    # No seat left: the next one is refused in words, nothing changes.
    response = client.post(_url(full_run, first, "ge-plats"), follow=True)
    assert str(run_management.NO_FREE_SEAT) in _body(response)
    first.refresh_from_db()
    assert first.is_waitlisted


@pytest.mark.django_db
def test_the_email_is_in_the_persons_language(full_run, kursledare):
    _first, second, third = _waiting(full_run)
    third.user.preferred_language = "en"
    third.user.save()
    run_management.move_up_waitlist(kursledare, place=third, from_position=3)
    emails = {m.recipient_id: run_email(**m.args) for m in _emails("waitlist_moved")}
    swedish, english = emails[second.user_id], emails[third.user_id]
    assert "Du står nu som nummer 3" in swedish.body
    assert "Din plats på reservlistan" in swedish.subject
    assert "Din plats" not in english.subject
    assert "number 2" in english.body


@pytest.mark.django_db
def test_who_may_manage_the_waitlist(
    client, full_run, chef, kommunadmin_b, utomstaende, leadership, kursledare
):
    place = _waiting(full_run)[0]
    for outsider in (chef, kommunadmin_b, utomstaende):
        client.force_login(outsider)
        for action in ("ge-plats", "flytta-upp", "ta-bort"):
            assert client.get(_url(full_run, place, action)).status_code == 404
            assert client.post(_url(full_run, place, action)).status_code == 404
        assert client.get(reverse("learning:run_roster", args=[full_run.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            run_management.remove_from_waitlist(outsider, place=place)
    # An unknown action, or a place of another run, is a 404 too.
    client.force_login(kursledare)
    assert client.get(_url(full_run, place, "hoppa")).status_code == 404
    other = make_run(leadership, name="Annan", leaders=[kursledare])
    assert (
        client.get(
            reverse("learning:run_waitlist", args=[other.pk, place.pk, "ta-bort"])
        ).status_code
        == 404
    )
    place.refresh_from_db()
    assert place.is_waitlisted


@pytest.mark.django_db
def test_a_cancelled_run_changes_nothing(full_run, kursledare):
    place = _waiting(full_run)[1]
    runs.cancel_course_run(full_run)
    with pytest.raises(ValidationError) as error:
        run_management.move_up_waitlist(kursledare, place=place, from_position=2)
    assert error.value.messages == [str(run_management.RUN_IS_CANCELLED)]


@pytest.mark.django_db
@pytest.mark.parametrize(("seated", "waiting", "sessions"), [(1, 1, 1), (12, 30, 8)])
def test_the_run_managers_pages_run_exact_queries(
    client, leadership, kursledare, kommunadmin, kommun_a, enhet_a, seated, waiting, sessions
):
    run = make_run(
        leadership, seats=seated, sessions=sessions, leaders=[kursledare], organiser=kommun_a
    )
    for person in make_managers(enhet_a, seated + waiting):
        runs.enrol_in_course_run(person, run=run)
    place = _waiting(run)[-1]
    pages = [
        reverse("learning:runs_led"),
        reverse("learning:run_roster", args=[run.pk]),
        _url(run, place, "flytta-upp"),
        reverse("learning:run_message", args=[run.pk]),
        reverse("learning:run_export", args=[run.pk, "csv"]),
    ]
    # (the list, the roster, a confirmation, the message form, the export with its audit line;
    # the four pages in the site's chrome read its navigation from the cache, issue 23)
    expected = {"kursledare": [4, 9, 6, 5, 11], "kommunadmin": [4, 8, 5, 4, 9]}
    got = {}
    for role, user in (("kursledare", kursledare), ("kommunadmin", kommunadmin)):
        client.force_login(user)
        client.get(reverse("learning:dashboard"))  # the first request after login saves it
        got[role] = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            got[role].append(len(captured))
    assert got == expected
