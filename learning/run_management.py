"""Writes for those who manage a course run (kursomgång): its course leaders, editors and the
arranging municipality's admins (learning.permissions.run_access). The waitlist (reservlista)
by hand: give a free seat, move someone up, take someone off; a message to everyone in the
run; the audit line of an export of its participant list.

Like learning.services.runs, every change to seats or positions first locks the run row with
select_for_update(), so a confirmed action and a second click (or two managers at once)
queue up and the second finds the place already changed.
"""

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import outbox
from learning import permissions
from learning.models import CourseRun, RunEnrolment
from learning.services.runs import (
    QUEUE_ASIDE,
    _activate_course_enrolment,
    _email_later,
    _locked_run,
    _move_up,
)
from people.audit import record_event
from people.models import AuditAction, Membership, User
from people.validators import validate_no_identity_number

MAY_NOT_MANAGE = _(
    "Bara kursomgångens kursledare, redaktörer och den arrangerande kommunens "
    "administratörer får hantera omgången."
)
NOT_ON_WAITLIST = _("%(name)s står inte längre på reservlistan. Inget har ändrats.")
ALREADY_MOVED = _(
    "%(name)s står redan på plats %(position)s på reservlistan, inte på plats %(expected)s. "
    "Inget har ändrats."
)
FIRST_IN_QUEUE = _("%(name)s står redan först på reservlistan.")
NO_FREE_SEAT = _("Det finns ingen ledig plats i kursomgången. Inget har ändrats.")
RUN_IS_CANCELLED = _("Kursomgången är inställd. Inget har ändrats.")


def _check_manages(actor: User, run: CourseRun) -> None:
    if not permissions.may_manage_run(actor, run=run):
        raise PermissionDenied(MAY_NOT_MANAGE)


def _organisation_ids_of(user: User, run: CourseRun) -> list[int]:
    """The municipalities whose audit log records what was done with a person's place: the
    person's own, else the arranging municipality's."""
    ids = sorted({m.organisation_id for m in user.memberships.all()})
    if not ids and run.organiser_id:
        ids = [run.organiser_id]
    return ids


WAITLIST_MOVED = gettext_noop("Kursomgång %(run)s: reservlistan, från plats %(old)s till %(new)s")


def _audit_place(actor: User, place: RunEnrolment, note: str, **values) -> None:
    """`note` is Swedish, marked with gettext_noop: the log shows it in the reader's language."""
    for organisation_id in _organisation_ids_of(place.user, place.run):
        record_event(
            actor,
            action=AuditAction.UPDATE,
            obj=place,
            organisation=organisation_id,
            note=note,
            note_values={"run": place.run_id, **values},
        )


def _waitlisted_place(actor: User, place: RunEnrolment) -> tuple[CourseRun, RunEnrolment]:
    """Lock the run, then read the place as it stands now: the second click of a confirmed
    action finds it changed and is told so."""
    run = _locked_run(place.run)
    _check_manages(actor, run)
    place = RunEnrolment.objects.select_related("user").get(pk=place.pk)
    place.run = run
    if run.status == CourseRun.Status.CANCELLED:
        raise ValidationError(RUN_IS_CANCELLED)
    if not place.is_waitlisted:
        raise ValidationError(NOT_ON_WAITLIST % {"name": place.user.get_full_name()})
    return run, place


@transaction.atomic
def seat_from_waitlist(actor: User, *, place: RunEnrolment) -> RunEnrolment:
    """Whoever manages the run gives a free seat to a person on the waitlist (reservlista),
    whatever their position; those behind them move up and the person is told by email.
    The run row is locked (select_for_update), so a free seat goes to one person only."""
    run, place = _waitlisted_place(actor, place)
    seated = run.enrolments.filter(status=RunEnrolment.Status.ENROLLED).count()
    if seated >= run.seats:
        raise ValidationError(NO_FREE_SEAT)
    position = place.waitlist_position
    place.status = RunEnrolment.Status.ENROLLED
    place.waitlist_position = None
    place.decided_by = actor
    place.decided_at = timezone.now()
    place.save(
        update_fields=["status", "waitlist_position", "decided_by", "decided_at", "updated_at"]
    )
    _activate_course_enrolment(place)
    _move_up(run, behind=position, places=1)
    _email_later(place, "promoted")
    _audit_place(
        actor,
        place,
        gettext_noop("Kursomgång %(run)s: plats från reservlistan (var nummer %(position)s)"),
        position=position,
    )
    return place


@transaction.atomic
def move_up_waitlist(actor: User, *, place: RunEnrolment, from_position: int) -> RunEnrolment:
    """Whoever manages the run moves a person one step up the waitlist: they change places
    with the one ahead, and both are told their new position by email. `from_position` is
    the position the manager saw and confirmed; if the person has moved since (a second
    click), nothing changes. The run row is locked (select_for_update)."""
    run, place = _waitlisted_place(actor, place)
    name = place.user.get_full_name()
    if place.waitlist_position != from_position:
        raise ValidationError(
            ALREADY_MOVED
            % {"name": name, "position": place.waitlist_position, "expected": from_position}
        )
    if from_position <= 1:
        raise ValidationError(FIRST_IN_QUEUE % {"name": name})
    ahead = RunEnrolment.objects.select_related("user").get(
        run=run, status=RunEnrolment.Status.WAITLISTED, waitlist_position=from_position - 1
    )
    ahead.run = run
    # The unique (run, position) rule is checked row by row: one steps aside first.
    place.waitlist_position = QUEUE_ASIDE
    place.save(update_fields=["waitlist_position", "updated_at"])
    ahead.waitlist_position = from_position
    ahead.save(update_fields=["waitlist_position", "updated_at"])
    place.waitlist_position = from_position - 1
    place.save(update_fields=["waitlist_position", "updated_at"])
    for moved in (place, ahead):
        _email_later(moved, "waitlist_moved")
    _audit_place(actor, place, WAITLIST_MOVED, old=from_position, new=from_position - 1)
    _audit_place(actor, ahead, WAITLIST_MOVED, old=from_position - 1, new=from_position)
    return place


@transaction.atomic
def remove_from_waitlist(actor: User, *, place: RunEnrolment) -> RunEnrolment:
    """Whoever manages the run takes a person off the waitlist (the place ends as withdrawn,
    kept as the record); those behind move up, and the person is told by email. The course
    stays on their introduction. The run row is locked (select_for_update)."""
    run, place = _waitlisted_place(actor, place)
    position = place.waitlist_position
    place.status = RunEnrolment.Status.WITHDRAWN
    place.waitlist_position = None
    place.decided_by = actor
    place.decided_at = timezone.now()
    place.save(
        update_fields=["status", "waitlist_position", "decided_by", "decided_at", "updated_at"]
    )
    _move_up(run, behind=position, places=1)
    _email_later(place, "waitlist_removed")
    _audit_place(
        actor,
        place,
        gettext_noop("Kursomgång %(run)s: borttagen från reservlistan (var nummer %(position)s)"),
        position=position,
    )
    return place


# A message to everyone in a run: its limits, in one place for the form and the service.
MESSAGE_SUBJECT_MAX = 150
MESSAGE_BODY_MAX = 5000
MESSAGE_TOKEN = re.compile(r"^[0-9a-f]{32}$")
SUBJECT_REQUIRED = _("Skriv en ämnesrad.")
BODY_REQUIRED = _("Skriv ett meddelande.")
SUBJECT_TOO_LONG = _("Ämnesraden får vara högst %(max)s tecken.")
BODY_TOO_LONG = _("Meddelandet får vara högst %(max)s tecken.")
SUBJECT_ONE_LINE = _("Ämnesraden ska vara en enda rad.")
STALE_MESSAGE_FORM = _("Formuläret har gått ut. Förhandsgranska meddelandet igen.")
NOBODY_TO_MESSAGE = _("Det finns ingen i kursomgången att skicka till.")


def new_message_token() -> str:
    """The idempotency key of one previewed message: sending it twice sends it once."""
    return secrets.token_hex(16)


def _check_message(subject: str, body: str) -> None:
    errors = {}
    for name, value, required, limit, too_long in (
        ("subject", subject, SUBJECT_REQUIRED, MESSAGE_SUBJECT_MAX, SUBJECT_TOO_LONG),
        ("message", body, BODY_REQUIRED, MESSAGE_BODY_MAX, BODY_TOO_LONG),
    ):
        if not value.strip():
            errors[name] = [required]
        elif len(value) > limit:
            errors[name] = [too_long % {"max": limit}]
        elif name == "subject" and ("\n" in value or "\r" in value):
            errors[name] = [SUBJECT_ONE_LINE]
        else:
            try:
                validate_no_identity_number(value)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def message_run_participants(
    actor: User, *, run: CourseRun, subject: str, message: str, include_waitlist: bool, token: str
) -> int:
    """Whoever manages the run emails everyone with a seat (and, if asked, everyone on the
    waitlist) through the outbox, once per person: the outbox key holds the previewed
    message's token, so a double submit or a replay writes nothing more. Returns how many
    emails were queued now (0: this message was already sent)."""
    _check_manages(actor, run)
    _check_message(subject, message)
    if not MESSAGE_TOKEN.match(token or ""):
        raise ValidationError(STALE_MESSAGE_FORM)
    from learning.tasks import run_message_email

    statuses = [RunEnrolment.Status.ENROLLED]
    if include_waitlist:
        statuses.append(RunEnrolment.Status.WAITLISTED)
    user_ids = list(
        run.enrolments.filter(status__in=statuses, user__is_active=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if not user_ids:
        raise ValidationError(NOBODY_TO_MESSAGE)
    queued = 0
    for user_id in user_ids:
        row = outbox.enqueue(
            run_message_email,
            args={
                "run_id": run.pk,
                "user_id": user_id,
                "sender_id": actor.pk,
                "subject": subject,
                "message": message,
            },
            key=f"run-message:{run.pk}:{token}:{user_id}",
            recipient_id=user_id,
        )
        queued += row is not None
    if queued:
        organisation_ids = set(
            Membership.objects.filter(user_id__in=user_ids).values_list(
                "organisation_id", flat=True
            )
        )
        for organisation_id in sorted(organisation_ids or filter(None, [run.organiser_id])):
            record_event(
                actor,
                action=AuditAction.CREATE,
                obj=run,
                organisation=organisation_id,
                note=gettext_noop("Meddelande till deltagarna, %(count)s mottagare"),
                note_values={"count": queued},
            )
    return queued


def audit_participant_export(actor: User, *, participants, fmt: str) -> None:
    """An export of a run's participant list is written to the audit log of every
    municipality whose staff are in it (the arranging one when nobody is)."""
    run = participants.run
    _check_manages(actor, run)
    organisation_ids = participants.organisation_ids or set(filter(None, [run.organiser_id]))
    for organisation_id in sorted(organisation_ids):
        record_event(
            actor,
            action=AuditAction.EXPORT,
            obj=run,
            organisation=organisation_id,
            note=gettext_noop("Deltagarlista, %(format)s, %(count)s rader"),
            note_values={"format": fmt.upper(), "count": len(participants.lines)},
        )
