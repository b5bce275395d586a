"""A mentorship's life after the match (issue 18): ending with a reason, changing mentor with
the history kept, the mentee's private request for a change, the mentor's corrections to a
logged session within 14 days, and the booked next meeting (pages, calendar, reminder)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from learning import calendar as calendars
from mentoring import services
from mentoring.models import EndReason, MentorChangeRequest, Mentorship, SupervisionSession
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT
from people.models import AuditEvent
from tests.mentoring.factories import MentorshipFactory, SessionFactory, mentor_in, person

TODAY = timezone.localdate()
ID_NUMBER_TEXT = "Se 811218-9876."


def _end_url(m):
    return reverse("mentoring:end", args=[m.pk])


# --------------------------------------------------------------------------------------------
# Ending
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_mentor_ends_after_a_confirmation_page_and_a_second_click_changes_nothing(
    client, mentorskap, mentor, ny, django_capture_on_commit_callbacks
):
    client.force_login(mentor)
    page = client.get(_end_url(mentorskap)).content.decode()
    assert "Det här händer när du avslutar" in page  # the confirmation step
    mentorskap.refresh_from_db()
    assert mentorskap.is_active  # a GET changes nothing

    data = {"reason": EndReason.COMPLETED, "note": "Introduktionsåret är slut."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_end_url(mentorskap), data)
    assert response.status_code == 302
    mentorskap.refresh_from_db()
    assert mentorskap.is_ended and mentorskap.end_date == TODAY
    assert (mentorskap.end_reason, mentorskap.ended_by) == (EndReason.COMPLETED, mentor)
    # The mentee is told; the mentor who ended it is not emailed about their own click.
    assert [m.to for m in mail.outbox] == [[ny.email]]
    assert "avslutat" in mail.outbox[0].subject
    audited = AuditEvent.objects.filter(object_id=str(mentorskap.pk), actor=mentor).count()
    assert audited == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_end_url(mentorskap), {"reason": EndReason.OTHER})
    assert again.status_code == 200
    assert "Mentorskapet är redan avslutat. Ingenting har ändrats." in again.content.decode()
    mentorskap.refresh_from_db()
    assert mentorskap.end_reason == EndReason.COMPLETED
    assert AuditEvent.objects.filter(object_id=str(mentorskap.pk), actor=mentor).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_admin_and_the_manager_end_and_both_parties_are_emailed(
    mentor, ny, chef, kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    for actor in (kommunadmin, chef):
        mail.outbox.clear()
        mentorship = MentorshipFactory(mentor=mentor, mentee=ny)
        with django_capture_on_commit_callbacks(execute=True):
            services.end_mentorship(actor, mentorship=mentorship, reason=EndReason.NOT_WORKING)
        assert sorted(m.to[0] for m in mail.outbox) == sorted([ny.email, mentor.email])


@pytest.mark.django_db
def test_the_mentee_an_outsider_and_another_manager_may_not_end(
    client, mentorskap, ny, utomstaende, kommunadmin_b, enhet_a
):
    other_mentor = mentor_in(enhet_a)
    for user in (ny, utomstaende, kommunadmin_b, other_mentor):
        client.force_login(user)
        assert client.get(_end_url(mentorskap)).status_code == 404, user
        assert client.post(_end_url(mentorskap), {"reason": "other"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.end_mentorship(user, mentorship=mentorskap, reason=EndReason.OTHER)
    mentorskap.refresh_from_db()
    assert mentorskap.is_active


@pytest.mark.django_db
def test_an_identity_number_in_the_note_or_an_unknown_reason_is_refused(client, mentorskap, mentor):
    client.force_login(mentor)
    body = client.post(
        _end_url(mentorskap), {"reason": EndReason.OTHER, "note": ID_NUMBER_TEXT}
    ).content.decode()
    assert str(IDENTITY_NUMBER_IN_TEXT) in body
    with pytest.raises(ValidationError) as caught:
        services.end_mentorship(mentor, mentorship=mentorskap, reason="byte")
    assert caught.value.message_dict["reason"] == [str(services.UNKNOWN_END_REASON)]
    with pytest.raises(ValidationError) as caught:
        services.end_mentorship(
            mentor, mentorship=mentorskap, reason=EndReason.OTHER, note=ID_NUMBER_TEXT
        )
    assert "note" in caught.value.message_dict
    mentorskap.refresh_from_db()
    assert mentorskap.is_active


# --------------------------------------------------------------------------------------------
# Change of mentor and the mentee's private request
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_mentee_asks_privately_and_the_manager_changes_mentor_with_history_kept(
    client, mentorskap, mentor, ny, chef, enhet_a, django_capture_on_commit_callbacks
):
    secret = "Vi kommer inte överens om arbetssättet."
    client.force_login(ny)
    url = reverse("mentoring:request_change", args=[mentorskap.pk])
    assert client.post(url, {"reason": secret}).status_code == 302
    assert "redan bett" in client.post(url, {"reason": "igen"}).content.decode()
    assert MentorChangeRequest.objects.filter(mentorship=mentorskap).count() == 1

    # The mentor never sees it: not on their pages, not on the steward's page.
    client.force_login(mentor)
    for page in ("mentoring:my_mentees", "mentoring:home"):
        assert secret not in client.get(reverse(page)).content.decode()
    assert (
        secret
        not in client.get(reverse("mentoring:mentorship", args=[mentorskap.pk])).content.decode()
    )
    assert client.get(reverse("mentoring:stewardship")).status_code == 404
    assert client.get(reverse("mentoring:change_mentor", args=[mentorskap.pk])).status_code == 404

    # The manager sees it waiting and on "Mentorskap att följa", and changes mentor.
    client.force_login(chef)
    assert "önskar byta mentor" in client.get(reverse("team:overview")).content.decode()
    assert secret in client.get(reverse("mentoring:stewardship")).content.decode()
    new_mentor = mentor_in(enhet_a, full_name="Nya Mentorn")
    change = reverse("mentoring:change_mentor", args=[mentorskap.pk])
    assert "Det här händer när du byter mentor" in client.get(change).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, {"mentor": new_mentor.pk}).status_code == 302

    mentorskap.refresh_from_db()
    assert mentorskap.is_ended and mentorskap.end_reason == EndReason.CHANGE_OF_MENTOR
    successor = mentorskap.successor
    assert (successor.mentor, successor.mentee, successor.is_active) == (new_mentor, ny, True)
    assert MentorChangeRequest.objects.get().status == MentorChangeRequest.Status.CHANGED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentor.email, ny.email, new_mentor.email]
    )
    # A second click on the old mentorship changes nothing.
    client.post(change, {"mentor": new_mentor.pk})
    assert Mentorship.objects.filter(mentee=ny).count() == 2

    client.force_login(ny)
    body = client.get(reverse("mentoring:my_mentor")).content.decode()
    assert "Nya Mentorn" in body and mentor.full_name in body  # current and earlier
    assert "Tidigare mentorskap" in body and "byte av mentor" in body


@pytest.mark.django_db
def test_a_full_or_ineligible_new_mentor_is_refused(mentorskap, kommunadmin, enhet_a, ny):
    full = mentor_in(enhet_a, capacity=1)
    MentorshipFactory(mentor=full, mentee=person(enhet_a))
    with pytest.raises(ValidationError) as caught:
        services.change_mentor(kommunadmin, mentorship=mentorskap, mentor=full)
    assert "inga lediga platser" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.change_mentor(kommunadmin, mentorship=mentorskap, mentor=person(enhet_a))
    assert caught.value.message_dict["mentor"] == [str(services.NEW_MENTOR_NOT_AVAILABLE)]
    with pytest.raises(PermissionDenied):
        services.change_mentor(ny, mentorship=mentorskap, mentor=mentor_in(enhet_a))
    mentorskap.refresh_from_db()
    assert mentorskap.is_active


@pytest.mark.django_db
def test_the_admin_closes_a_request_without_a_change(client, mentorskap, ny, kommunadmin):
    request = services.request_mentor_change(ny, mentorship=mentorskap, reason="")
    client.force_login(kommunadmin)
    client.post(reverse("mentoring:close_request", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == MentorChangeRequest.Status.CLOSED
    body = client.get(reverse("mentoring:stewardship")).content.decode()
    assert "Inga önskemål väntar." in body


# --------------------------------------------------------------------------------------------
# Session corrections
# --------------------------------------------------------------------------------------------
def _session_data(**overrides):
    data = {
        "kind": "mentoring",
        "date": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "duration_minutes": "45",
        "format": "video",
        "notes": "Rättad anteckning.",
        "agreed_actions": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_editing_a_confirmed_session_asks_the_mentee_to_confirm_again(
    client, mentorskap, mentor, ny, django_capture_on_commit_callbacks
):
    session = SessionFactory(mentorship=mentorskap, confirmed_at=timezone.now())
    client.force_login(mentor)
    url = reverse("mentoring:edit_session", args=[session.pk])
    assert "bekräfta det på nytt" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _session_data())
        assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.confirmed_at is None and session.notes == "Rättad anteckning."
    assert session.duration_minutes == 45
    assert AuditEvent.objects.filter(
        object_id=str(session.pk), summary__contains="bekräftelse återställd"
    ).exists()
    assert [m.to for m in mail.outbox] == [[ny.email]]

    client.force_login(ny)
    body = client.get(reverse("learning:dashboard")).content.decode()
    assert "Bekräfta samtalet" in body  # waiting for her again


@pytest.mark.django_db
def test_future_dates_and_old_sessions_are_refused_in_swedish(client, mentorskap, mentor, ny):
    session = SessionFactory(mentorship=mentorskap)
    client.force_login(mentor)
    url = reverse("mentoring:edit_session", args=[session.pk])
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    body = client.post(url, _session_data(date=future)).content.decode()
    assert str(services.SESSION_IN_FUTURE) in body

    old = SessionFactory(
        mentorship=mentorskap, created_at=timezone.now() - datetime.timedelta(days=15)
    )
    for name in ("mentoring:edit_session", "mentoring:delete_session"):
        response = client.post(reverse(name, args=[old.pk]), _session_data())
        assert str(services.EDIT_PERIOD_OVER) in response.content.decode()
    old.refresh_from_db()
    assert old.notes != "Rättad anteckning."
    with pytest.raises(ValidationError):
        services.delete_session(mentor, session=old)

    # The mentee confirms; she never corrects the mentor's record.
    client.force_login(ny)
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.delete_session(ny, session=session)


@pytest.mark.django_db
def test_the_mentor_deletes_an_unconfirmed_session_but_not_a_confirmed_one(
    client, mentorskap, mentor
):
    confirmed = SessionFactory(mentorship=mentorskap, confirmed_at=timezone.now())
    session = SessionFactory(mentorship=mentorskap)
    client.force_login(mentor)
    response = client.post(reverse("mentoring:delete_session", args=[confirmed.pk]))
    assert str(services.CONFIRMED_NOT_DELETED) in response.content.decode()
    response = client.post(reverse("mentoring:delete_session", args=[session.pk]))
    assert response.status_code == 302
    assert list(SupervisionSession.objects.all()) == [confirmed]
    assert AuditEvent.objects.filter(object_id=str(session.pk), action="delete").exists()


# --------------------------------------------------------------------------------------------
# The next meeting
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_booked_meeting_shows_for_both_in_min_introduktion_and_the_calendar(
    client, mentorskap, mentor, ny
):
    day = TODAY + datetime.timedelta(days=5)
    client.force_login(ny)
    url = reverse("mentoring:book_meeting", args=[mentorskap.pk])
    data = {"date": day.isoformat(), "time": "10:30", "place": "Rum Ekan, plan 3"}
    assert client.post(url, data).status_code == 302
    for user, page in ((ny, "learning:dashboard"), (mentor, "mentoring:my_mentees")):
        client.force_login(user)
        body = client.get(reverse(page)).content.decode()
        assert "Nästa mentorsträff" in body and "Rum Ekan, plan 3" in body, user
        events = calendars.calendar_events_for(user, since=TODAY)
        meeting = next(e for e in events if e.uid == f"mentor-meeting-{mentorskap.pk}@introsteg")
        assert (meeting.day, meeting.start, meeting.end) == (
            day,
            datetime.time(10, 30),
            datetime.time(11, 30),
        )
        assert b"Rum Ekan" in calendars.render_ics(events, name="x")


@pytest.mark.django_db
def test_bad_meeting_input_gets_a_swedish_error(client, mentorskap, mentor, utomstaende):
    client.force_login(mentor)
    url = reverse("mentoring:book_meeting", args=[mentorskap.pk])
    past = (TODAY - datetime.timedelta(days=1)).isoformat()
    far = (TODAY + datetime.timedelta(days=400)).isoformat()
    cases = [
        ({"date": past, "time": "10:00", "place": "Rum 1"}, services.MEETING_IN_PAST),
        ({"date": far, "time": "10:00", "place": "Rum 1"}, services.MEETING_TOO_FAR),
        (
            {"date": TODAY.isoformat(), "time": "10:00", "place": ID_NUMBER_TEXT},
            IDENTITY_NUMBER_IN_TEXT,
        ),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert str(message) in response.content.decode()
    mentorskap.refresh_from_db()
    assert mentorskap.next_meeting_date is None
    client.force_login(utomstaende)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_no_check_in_reminder_while_a_meeting_is_booked(mentorskap, mentor):
    # Started 60 days ago, no session: overdue.
    services.book_meeting(
        mentor,
        mentorship=mentorskap,
        date=TODAY + datetime.timedelta(days=2),
        time=datetime.time(9),
        place="Teams",
    )
    assert services.send_due_checkin_reminders() == []
    services.cancel_meeting(mentor, mentorship=mentorskap)
    assert len(services.send_due_checkin_reminders()) == 1
