"""The pulse's writes: the daily job that opens and closes rounds (omgångar) and sends the
invitations, and a person's answer."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.dates import add_months
from people.models import ANONYMISED_EMAIL_DOMAIN, UNIT_ROLES, Membership, Role, User
from pulse import tasks
from pulse.models import (
    MILESTONE_MONTHS,
    PulseAnswer,
    PulseInvitation,
    PulseRound,
    quarter_start,
)

# A round is open this many days (then closes and forgets who answered).
ROUND_DAYS = 14
# A milestone is asked on its day or, when the daily job missed it (beat down) or the person
# had the quarterly pulse open (14 days), within this many days; later, the question is about
# another time of the introduction and is skipped.
MILESTONE_CATCH_UP_DAYS = 21
# The quarterly round opens on the quarter's first day, or on the first run within this many
# days of it (a deployment in the middle of a quarter waits for the next one).
QUARTERLY_OPEN_DAYS = 14


def run_daily(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job (Celery beat and `manage.py pulse_rounds`): close the rounds that are due
    first (a closing round's people may be asked again), then open today's. Safe to run twice:
    the rounds' and invitations' unique keys and the outbox keys make a second run a no-op."""
    today = today or timezone.localdate()
    closed = close_due_rounds(today)
    invited = open_due_rounds(today)
    return {"closed": closed, "invited": invited}


def close_due_rounds(today: datetime.date) -> int:
    """Close each round whose time is up: its answers lose their round and its invitations
    forget who answered, in one transaction, so no row links an answer to a person."""
    closed = 0
    due = PulseRound.objects.filter(closed_at__isnull=True, closes_on__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            round_ = PulseRound.objects.select_for_update().get(pk=pk)
            if round_.closed_at is not None:
                continue
            PulseAnswer.objects.filter(round=round_).update(round=None)
            PulseInvitation.objects.filter(round=round_).update(answered_at=None)
            round_.closed_at = timezone.now()
            round_.save(update_fields=["closed_at"])
            closed += 1
    return closed


def _unit_staff(organisation_ids=None):
    """(person, unit) for everyone working in a unit: one unit per person (their first
    membership), active accounts only."""
    memberships = (
        Membership.objects.filter(unit__isnull=False, role__in=UNIT_ROLES, user__is_active=True)
        .exclude(user__email__endswith=ANONYMISED_EMAIL_DOMAIN)
        .order_by("user_id", "pk")
    )
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=organisation_ids)
    return memberships.values_list("organisation_id", "user_id", "unit_id", "role", "start_date")


def open_due_rounds(today: datetime.date) -> int:
    """Open the quarterly round in each municipality on the quarter's first day, and the day's
    milestone round for the new hires who reach 1, 3, 6 or 12 months today. Each person gets
    one invitation email, through the outbox. Returns how many invitations were made."""
    made = 0
    quarter = quarter_start(today)
    if today < quarter + datetime.timedelta(days=QUARTERLY_OPEN_DAYS):
        done = set(
            PulseRound.objects.filter(
                kind=PulseRound.Kind.QUARTERLY, period_start=quarter
            ).values_list("organisation_id", flat=True)
        )
        staff = defaultdict(dict)
        for organisation_id, user_id, unit_id, _role, _start in _unit_staff():
            if organisation_id not in done:
                staff[organisation_id].setdefault(user_id, (unit_id, None))
        for organisation_id, invitees in staff.items():
            made += open_round(
                organisation_id=organisation_id,
                kind=PulseRound.Kind.QUARTERLY,
                invitees=invitees,
                today=today,
            )
    # After the quarterly round, so that a new hire asked in it today is not asked twice.
    for organisation_id, invitees in _milestones_due(today).items():
        made += open_round(
            organisation_id=organisation_id,
            kind=PulseRound.Kind.MILESTONE,
            invitees=invitees,
            today=today,
        )
    return made


def _milestones_due(today: datetime.date) -> dict[int, dict[int, tuple[int, int]]]:
    """{municipality: {new hire: (unit, months)}} for the milestones due today (or missed
    within the catch-up days) that have not been asked."""
    earliest = add_months(today, -max(MILESTONE_MONTHS)) - datetime.timedelta(
        days=MILESTONE_CATCH_UP_DAYS
    )
    rows = [row for row in _unit_staff() if row[3] == Role.NEW_HIRE and earliest <= row[4] <= today]
    people = {row[1] for row in rows}
    asked = set(
        PulseInvitation.objects.filter(person_id__in=people, months__isnull=False).values_list(
            "person_id", "months"
        )
    )
    # Someone with a pulse open (the quarterly one) is not asked the same questions twice at
    # once: the milestone waits until that round has closed.
    busy = set(
        PulseInvitation.objects.filter(
            person_id__in=people, round__closed_at__isnull=True, round__closes_on__gt=today
        ).values_list("person_id", flat=True)
    )
    due: dict = defaultdict(dict)
    for organisation_id, user_id, unit_id, _role, start in rows:
        for months in MILESTONE_MONTHS:
            day = add_months(start, months)
            late = (today - day).days
            if (
                0 <= late < MILESTONE_CATCH_UP_DAYS
                and (user_id, months) not in asked
                and user_id not in busy
            ):
                # Two milestones due at once (a start date far back): the later one is asked.
                due[organisation_id][user_id] = (unit_id, months)
    return due


def open_round(*, organisation_id: int, kind: str, invitees: dict, today: datetime.date) -> int:
    """Open a pulse round (omgång) in a municipality, or add to today's, with an invitation for
    each of `invitees` ({person: (unit, months or None)}) not yet in it; one email per new
    invitation is queued in the outbox in the same transaction. Returns how many are new."""
    with transaction.atomic():
        round_, _created = PulseRound.objects.get_or_create(
            organisation_id=organisation_id,
            kind=kind,
            **(
                {"period_start": quarter_start(today)}
                if kind == PulseRound.Kind.QUARTERLY
                else {"opens_on": today}
            ),
            defaults={
                "opens_on": today,
                "closes_on": today + datetime.timedelta(days=ROUND_DAYS),
                "period_start": quarter_start(today),
            },
        )
        already = set(round_.invitations.values_list("person_id", flat=True))
        new = [
            PulseInvitation(round=round_, person_id=user_id, unit_id=unit_id, months=months)
            for user_id, (unit_id, months) in invitees.items()
            if user_id not in already
        ]
        PulseInvitation.objects.bulk_create(new)
        written = outbox.enqueue_many(
            tasks.invitation_email,
            (
                (
                    f"pulse-invitation:{invitation.pk}",
                    {"invitation_id": invitation.pk},
                    invitation.person_id,
                    organisation_id,
                )
                for invitation in new
            ),
        )
        if written:
            transaction.on_commit(lambda: outbox.deliver_batches_soon(written))
    return len(new)


ALREADY_ANSWERED = _("Du har redan svarat på den här pulsenkäten. Tack!")
ROUND_CLOSED = _("Pulsenkäten är stängd och tar inte emot fler svar.")


@transaction.atomic
def answer_pulse(
    person: User,
    *,
    invitation: PulseInvitation,
    workload: int,
    support: int,
    stay: int,
    comment: str = "",
) -> PulseAnswer:
    """A person answers their pulse (pulsenkät), once. The invitation row is locked, so two
    clicks cannot both count; the answer records the round (until it closes), the unit and the
    quarter, never the person."""
    if invitation.person_id != person.pk:
        raise PermissionDenied
    invitation = (
        PulseInvitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    )
    if invitation.answered_at is not None:
        raise ValidationError(ALREADY_ANSWERED, code="already")
    round_ = invitation.round
    if not round_.is_open_on(timezone.localdate()):
        raise ValidationError(ROUND_CLOSED, code="closed")
    answer = PulseAnswer(
        organisation_id=round_.organisation_id,
        unit_id=invitation.unit_id,
        period_start=round_.period_start,
        round=round_,
        workload=workload,
        support=support,
        stay=stay,
        comment=comment.strip(),
    )
    answer.full_clean()
    answer.save()
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    return answer
