"""Writes for a mentorship's life after the match (issue 18): ending it with a reason, changing
mentor with the history kept, the mentee's private request for a change, the mentor's
corrections to a logged session, and the booked next meeting."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from content.models import ModulePage
from core import outbox
from core.dates import format_date
from mentoring import permissions
from mentoring.models import (
    OPEN_STATUSES,
    EndReason,
    MentorChangeRequest,
    MentorProfile,
    Mentorship,
    SessionTopic,
    SupervisionSession,
)
from mentoring.services.common import full_clean_with
from mentoring.services.mentorship import SESSION_BEFORE_START, SESSION_IN_FUTURE
from people.audit import Choice, record_event
from people.models import AuditAction, Membership, User

# How long the mentor may correct or delete a session they logged: long enough to fix a typo
# or a wrong date after the next meeting, short enough that the record the mentee confirmed
# stays the record.
SESSION_EDIT_DAYS = 14
# How far ahead a meeting may be booked: the first year's rhythm is weekly to monthly, so a
# date more than a year ahead is a typo.
MEETING_MAX_DAYS_AHEAD = 365

NOT_ALLOWED_TO_END = _(
    "Bara mentorn, kommunadministratören eller adeptens chef kan avsluta mentorskapet."
)
ALREADY_ENDED = _("Mentorskapet är redan avslutat. Ingenting har ändrats.")
NOT_LIVE = _("Bara ett pågående mentorskap kan avslutas eller få en ny mentor.")
UNKNOWN_END_REASON = _("Välj ett skäl till avslutet.")
NOT_ALLOWED_TO_CHANGE = _("Bara kommunadministratören eller adeptens chef kan byta mentor.")
SAME_MENTOR = _("Välj en annan mentor än den nuvarande.")
NEW_MENTOR_NOT_AVAILABLE = _("Den här personen kan inte bli mentor för adepten.")
NEW_MENTOR_FULL = _("%(mentor)s har inga lediga platser.")
ONLY_MENTEE_REQUESTS = _("Bara adepten kan be om att få byta mentor.")
REQUEST_ALREADY_OPEN = _("Du har redan bett om att få byta mentor. Vi hör av oss.")
REQUEST_ALREADY_HANDLED = _("Önskemålet är redan hanterat.")
ONLY_MENTOR_EDITS = _("Bara mentorn som loggade samtalet kan ändra eller radera det.")
EDIT_PERIOD_OVER = _(
    "Samtalet loggades för mer än 14 dagar sedan och kan inte längre ändras eller raderas."
)
CONFIRMED_NOT_DELETED = _(
    "Adepten har bekräftat samtalet, så det kan inte raderas. Ändra det i stället, så får "
    "adepten bekräfta det på nytt."
)
ONLY_PARTICIPANTS_BOOK = _("Bara mentorn och adepten kan boka nästa träff.")
MEETING_IN_PAST = _("Nästa träff kan inte ligga bakåt i tiden.")
MEETING_TOO_FAR = _("Nästa träff kan bokas högst ett år framåt.")
NOTHING_BOOKED = _("Ingen träff är bokad.")


def _notify(mentorship: Mentorship, *, notice: str, recipients: Iterable[int]) -> None:
    from mentoring.tasks import mentorship_notice_email

    for recipient_id in dict.fromkeys(recipients):
        outbox.enqueue(
            mentorship_notice_email,
            args={"mentorship_id": mentorship.pk, "notice": notice, "recipient_id": recipient_id},
            recipient_id=recipient_id,
            organisation_id=mentorship.organisation_id,
        )


def _close(actor: User, mentorship: Mentorship, *, reason: str, note: str) -> None:
    today = timezone.localdate()
    mentorship.status = Mentorship.Status.ENDED
    mentorship.end_date = max(today, mentorship.start_date or today)
    mentorship.end_reason = reason
    mentorship.end_note = note.strip()
    mentorship.ended_by = actor
    mentorship.next_meeting_date = mentorship.next_meeting_time = None
    mentorship.next_meeting_place = ""
    try:
        mentorship.full_clean()
    except ValidationError as error:
        if "end_note" in error.message_dict:
            raise ValidationError({"note": error.message_dict["end_note"]}) from None
        raise
    mentorship.save()


def _settle_requests(actor: User, mentorship: Mentorship, status: str) -> None:
    mentorship.change_requests.filter(status=MentorChangeRequest.Status.OPEN).update(
        status=status, handled_by=actor, handled_at=timezone.now()
    )


def _lock_live(mentorship: Mentorship) -> Mentorship:
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.status == Mentorship.Status.ENDED:
        raise ValidationError(ALREADY_ENDED)
    if mentorship.status not in (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED):
        raise ValidationError(NOT_LIVE)
    return mentorship


@transaction.atomic
def end_mentorship(
    actor: User, *, mentorship: Mentorship, reason: str, note: str = ""
) -> Mentorship:
    """End a mentorship (avsluta mentorskap) with a reason; the row is locked, so a second
    click finds it ended and changes nothing. The mentee and the other party get an email."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    access = permissions.mentorship_access(actor, mentorship)
    if not (access.is_mentor or access.is_steward):
        raise PermissionDenied(NOT_ALLOWED_TO_END)
    mentorship = _lock_live(mentorship)
    if reason not in EndReason.values or reason == EndReason.CHANGE_OF_MENTOR:
        # A change of mentor ends the old mentorship through change_mentor, which starts the new.
        raise ValidationError({"reason": UNKNOWN_END_REASON})
    _close(actor, mentorship, reason=reason, note=note)
    _settle_requests(actor, mentorship, MentorChangeRequest.Status.ENDED)
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=mentorship,
        organisation=mentorship.organisation_id,
        note=gettext_noop("Mentorskap avslutat (%(reason)s)"),
        note_values={"reason": Choice("mentoring.mentorship", "end_reason", mentorship.end_reason)},
    )
    _notify(
        mentorship,
        notice="ended",
        recipients=[pk for pk in (mentorship.mentee_id, mentorship.mentor_id) if pk != actor.pk],
    )
    return mentorship


def _check_new_mentor(old: Mentorship, mentor: User) -> None:
    """The new mentor works in the mentee's county as mentor or social secretary, keeps an
    active profile, and has a free place (profile row locked while counting)."""
    if mentor.pk in (old.mentor_id, old.mentee_id):
        raise ValidationError({"mentor": SAME_MENTOR})
    profile = MentorProfile.objects.select_for_update().filter(user=mentor, is_active=True).first()
    eligible = Membership.objects.filter(
        user=mentor,
        user__is_active=True,
        role__in=permissions.MENTOR_ROLES,
        organisation__county=old.organisation.county,
    ).exists()
    if profile is None or not eligible:
        raise ValidationError({"mentor": NEW_MENTOR_NOT_AVAILABLE})
    load = Mentorship.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).aggregate(
        n=Count("pk")
    )["n"]
    if load >= profile.capacity:
        raise ValidationError({"mentor": NEW_MENTOR_FULL % {"mentor": mentor.get_full_name()}})


@transaction.atomic
def change_mentor(
    actor: User, *, mentorship: Mentorship, mentor: User, note: str = ""
) -> Mentorship:
    """Change mentor (byte av mentor): the old mentorship ends with that reason, the new one
    starts today with the goals and rhythm carried over and a link back, so the history is
    kept. The mentee, the old and the new mentor get an email."""
    old = (
        Mentorship.objects.select_for_update().select_related("organisation").get(pk=mentorship.pk)
    )
    if not permissions.mentorship_access(actor, old).is_steward:
        raise PermissionDenied(NOT_ALLOWED_TO_CHANGE)
    old = _lock_live(old)
    _check_new_mentor(old, mentor)
    _close(actor, old, reason=EndReason.CHANGE_OF_MENTOR, note=note)
    new = Mentorship(
        mentor=mentor,
        mentee_id=old.mentee_id,
        organisation_id=old.organisation_id,
        status=Mentorship.Status.ACTIVE,
        start_date=old.end_date,
        goals=old.goals,
        planned_frequency_days=old.planned_frequency_days,
        replaces=old,
    )
    new.full_clean()
    new.save()
    _settle_requests(actor, old, MentorChangeRequest.Status.CHANGED)
    for row, note in (
        (old, gettext_noop("Mentorskap avslutat (byte av mentor)")),
        (new, gettext_noop("Ny mentor")),
    ):
        record_event(
            actor,
            action=AuditAction.UPDATE if row is old else AuditAction.CREATE,
            obj=row,
            organisation=row.organisation_id,
            note=note,
        )
    _notify(old, notice="ended", recipients=[old.mentor_id])
    _notify(new, notice="changed", recipients=[new.mentee_id, new.mentor_id])
    return new


@transaction.atomic
def request_mentor_change(
    mentee: User, *, mentorship: Mentorship, reason: str = ""
) -> MentorChangeRequest:
    """The mentee asks privately for another mentor (önskemål om byte); only the municipal
    admin and the mentee's managers read it, never the mentor. One open request at a time."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentee.pk != mentorship.mentee_id:
        raise PermissionDenied(ONLY_MENTEE_REQUESTS)
    _lock_live(mentorship)
    if mentorship.change_requests.filter(status=MentorChangeRequest.Status.OPEN).exists():
        raise ValidationError(REQUEST_ALREADY_OPEN)
    request = MentorChangeRequest(mentorship=mentorship, reason=reason.strip())
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def close_change_request(actor: User, *, request: MentorChangeRequest) -> MentorChangeRequest:
    """The admin or manager closes a request without a change (after talking to the mentee)."""
    request = MentorChangeRequest.objects.select_for_update().get(pk=request.pk)
    if not permissions.is_steward_of(actor, request.mentorship):
        raise PermissionDenied(NOT_ALLOWED_TO_CHANGE)
    if not request.is_open:
        raise ValidationError(REQUEST_ALREADY_HANDLED)
    request.status = MentorChangeRequest.Status.CLOSED
    request.handled_by = actor
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_by", "handled_at"])
    return request


# --------------------------------------------------------------------------------------------
# Corrections to a logged session
# --------------------------------------------------------------------------------------------
def _lock_session_to_edit(mentor: User, session: SupervisionSession) -> SupervisionSession:
    session = (
        SupervisionSession.objects.select_for_update()
        .select_related("mentorship")
        .get(pk=session.pk)
    )
    if mentor.pk != session.mentorship.mentor_id:
        raise PermissionDenied(ONLY_MENTOR_EDITS)
    if timezone.localdate() - timezone.localdate(session.created_at) > datetime.timedelta(
        days=SESSION_EDIT_DAYS
    ):
        raise ValidationError(EDIT_PERIOD_OVER)
    return session


def may_still_edit(session: SupervisionSession) -> bool:
    """Whether the mentor's 14 days to correct the session are still running (for the page)."""
    age = timezone.localdate() - timezone.localdate(session.created_at)
    return age <= datetime.timedelta(days=SESSION_EDIT_DAYS)


@transaction.atomic
def edit_session(
    mentor: User,
    *,
    session: SupervisionSession,
    kind: str,
    date: datetime.date,
    duration_minutes: int,
    format: str,
    topics: Iterable[SessionTopic] = (),
    modules: Iterable[ModulePage] = (),
    notes: str = "",
    agreed_actions: str = "",
    **_ignored,
) -> SupervisionSession:
    """The mentor corrects a session they logged, within 14 days. A session the mentee had
    confirmed loses the confirmation and the mentee is asked to confirm it again, so the
    record they confirmed is never changed behind their back."""
    session = _lock_session_to_edit(mentor, session)
    mentorship = session.mentorship
    errors = {}
    if date and date > timezone.localdate():
        errors["date"] = [SESSION_IN_FUTURE]
    elif date and mentorship.start_date and date < mentorship.start_date:
        errors["date"] = [SESSION_BEFORE_START % {"start": format_date(mentorship.start_date)}]
    was_confirmed = session.confirmed_at is not None
    session.kind = kind
    session.date = date
    session.duration_minutes = duration_minutes
    session.format = format
    session.notes = notes.strip()
    session.agreed_actions = agreed_actions.strip()
    session.confirmed_at = None
    # Who logged it is not the mentor's to change (and older rows may not name anyone).
    full_clean_with(session, errors, exclude=["logged_by"])
    session.save()
    session.topics.set(list(topics))
    session.modules.set(list(modules))
    record_event(
        mentor,
        action=AuditAction.UPDATE,
        obj=session,
        organisation=mentorship.organisation_id,
        note=gettext_noop("Handledningssamtal ändrat, bekräftelse återställd")
        if was_confirmed
        else gettext_noop("Handledningssamtal ändrat"),
    )
    if was_confirmed:
        _notify(mentorship, notice="session_changed", recipients=[mentorship.mentee_id])
    return session


@transaction.atomic
def delete_session(mentor: User, *, session: SupervisionSession) -> int:
    """The mentor deletes a session they logged, within 14 days and only while the mentee has
    not confirmed it; agenda items it ticked off return to the agenda. Returns the
    mentorship's id."""
    session = _lock_session_to_edit(mentor, session)
    if session.confirmed_at is not None:
        raise ValidationError(CONFIRMED_NOT_DELETED)
    mentorship = session.mentorship
    record_event(
        mentor,
        action=AuditAction.DELETE,
        obj=session,
        organisation=mentorship.organisation_id,
        note=gettext_noop("Handledningssamtal %(date)s raderat"),
        note_values={"date": session.date},
    )
    session.delete()
    return mentorship.pk


# --------------------------------------------------------------------------------------------
# The next meeting
# --------------------------------------------------------------------------------------------
@transaction.atomic
def book_meeting(
    user: User,
    *,
    mentorship: Mentorship,
    date: datetime.date,
    time: datetime.time,
    place: str,
) -> Mentorship:
    """Mentor or mentee books the next meeting (nästa träff): a date from today up to a year
    ahead, a time, and a place or video link (checked for identity numbers; no client data).
    It shows on both people's "Min introduktion" and calendar, and a booked meeting stops the
    check-in reminder."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not permissions.is_participant(user, mentorship):
        raise PermissionDenied(ONLY_PARTICIPANTS_BOOK)
    _lock_live(mentorship)
    today = timezone.localdate()
    errors = {}
    if date is not None and date < today:
        errors["date"] = [MEETING_IN_PAST]
    elif date is not None and date > today + datetime.timedelta(days=MEETING_MAX_DAYS_AHEAD):
        errors["date"] = [MEETING_TOO_FAR]
    mentorship.next_meeting_date = date
    mentorship.next_meeting_time = time
    mentorship.next_meeting_place = place.strip()
    try:
        full_clean_with(mentorship, errors)
    except ValidationError as error:
        renamed = {
            {"next_meeting_date": "date", "next_meeting_time": "time"}.get(
                name, "place" if name == "next_meeting_place" else name
            ): messages
            for name, messages in error.message_dict.items()
        }
        raise ValidationError(renamed) from None
    mentorship.save(update_fields=["next_meeting_date", "next_meeting_time", "next_meeting_place"])
    return mentorship


@transaction.atomic
def cancel_meeting(user: User, *, mentorship: Mentorship) -> Mentorship:
    """Take the booked meeting off both calendars and write it in the municipality's log, as
    the other removals are; a second request (a double click) finds nothing booked and is
    refused with NOTHING_BOOKED, changing nothing."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not permissions.is_participant(user, mentorship):
        raise PermissionDenied(ONLY_PARTICIPANTS_BOOK)
    if mentorship.next_meeting_date is None:
        raise ValidationError(NOTHING_BOOKED)
    record_event(
        user,
        action=AuditAction.DELETE,
        obj=mentorship,
        organisation=mentorship.organisation_id,
        note=gettext_noop("Bokad träff %(date)s borttagen"),
        note_values={"date": mentorship.next_meeting_date},
    )
    mentorship.next_meeting_date = mentorship.next_meeting_time = None
    mentorship.next_meeting_place = ""
    mentorship.save(update_fields=["next_meeting_date", "next_meeting_time", "next_meeting_place"])
    return mentorship
