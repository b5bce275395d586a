"""A leaver's open work in mentoring and learning (avslut), registered in people's registry
(people.open_work) so that the leaver page and people's deactivate/anonymise services see it.

It lives here, in the top layer, because people may not import mentoring or learning; team
may import every app. Each function is called only through people.staff.resolve_open_work,
which has already checked that the admin may act on the person and that `to` is one of the
item's candidates; each re-reads its row under a lock and leaves an item that is no longer
the person's alone (a second click).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import outbox
from learning import selectors as learning_selectors
from learning.services import hand_over_run_leadership, withdraw_from_course_run
from mentoring.models import CaseStage, MatchProposal, Mentorship, SupervisedCase
from mentoring.permissions import CASE_HOLDER_ROLES, SUPERVISOR_ROLES
from mentoring.services.cases import _guard_decision_stage
from people import open_work
from people.audit import record_event
from people.models import AuditAction, Role, User
from people.staff import active_staff_of

LEFT = "Avslut"  # the decline reason's word for why (the audit notes say it in their text)
OPEN_MENTORSHIP = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)


def _item(kind, pk, title, candidates=(), can_close=True) -> open_work.OpenItem:
    return open_work.OpenItem(
        kind=kind, pk=pk, title=str(title), candidates=tuple(candidates), can_close=can_close
    )


# --------------------------------------------------------------------------------------------
# Cases held and cases supervised
# --------------------------------------------------------------------------------------------
def _open_cases():
    return SupervisedCase.objects.exclude(stage=CaseStage.CLOSED).select_related("case_type")


def _case_title(case: SupervisedCase) -> str:
    return f"{case.reference} ({case.case_type})"


def cases_held(person: User) -> list[open_work.OpenItem]:
    cases = list(_open_cases().filter(holder=person).order_by("reference"))
    by_unit = {}
    for case in cases:
        if case.unit_id not in by_unit:
            by_unit[case.unit_id] = active_staff_of(
                case.organisation_id, roles=CASE_HOLDER_ROLES, unit_id=case.unit_id
            )
    return [
        _item(
            "case_held",
            case.pk,
            _case_title(case),
            [c for c in by_unit[case.unit_id] if c[0] not in (person.pk, case.supervisor_id)],
        )
        for case in cases
    ]


def cases_supervised(person: User) -> list[open_work.OpenItem]:
    cases = list(_open_cases().filter(supervisor=person).order_by("reference"))
    by_organisation = {}
    for case in cases:
        if case.organisation_id not in by_organisation:
            by_organisation[case.organisation_id] = active_staff_of(
                case.organisation_id, roles=SUPERVISOR_ROLES
            )
    return [
        _item(
            "case_supervised",
            case.pk,
            _case_title(case),
            [
                c
                for c in by_organisation[case.organisation_id]
                if c[0] not in (person.pk, case.holder_id)
            ],
        )
        for case in cases
    ]


def _tell_new(what: str, *, object_id: int, to: User, person: User, actor: User, org: int):
    """The person who takes over is told by email, through the outbox, after commit."""
    from team.tasks import handover_email

    outbox.enqueue(
        handover_email,
        args={
            "what": what,
            "object_id": object_id,
            "to_id": to.pk,
            "leaver_id": person.pk,
            "actor_id": actor.pk if actor is not None else None,
        },
        recipient_id=to.pk,
        organisation_id=org,
    )


def _locked_case(pk: int) -> SupervisedCase:
    return SupervisedCase.objects.select_for_update(of=("self",)).get(pk=pk)


@transaction.atomic
def hand_over_case(actor: User, *, person: User, pk: int, to: User) -> None:
    case = _locked_case(pk)
    if case.holder_id != person.pk or not case.is_open:
        return
    case.holder = to
    case.full_clean()
    case.save(update_fields=["holder"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        note=gettext_noop("Avslut: ny handläggare (id %(id)s)"),
        note_values={"id": to.pk},
    )
    _tell_new(
        "case_held", object_id=case.pk, to=to, person=person, actor=actor, org=case.organisation_id
    )


@transaction.atomic
def hand_over_supervision(actor: User, *, person: User, pk: int, to: User) -> None:
    case = _locked_case(pk)
    if case.supervisor_id != person.pk or not case.is_open:
        return
    case.supervisor = to
    case.full_clean()
    case.save(update_fields=["supervisor"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        note=gettext_noop("Avslut: ny handledare (id %(id)s)"),
        note_values={"id": to.pk},
    )
    _tell_new(
        "case_supervised",
        object_id=case.pk,
        to=to,
        person=person,
        actor=actor,
        org=case.organisation_id,
    )


@transaction.atomic
def close_case(actor: User, *, person: User, pk: int) -> None:
    """Close the case today. Closing passes the decision stage, so the guardrail applies as
    when the holder closes it: a high-risk case without its sign-off is handed over instead."""
    case = _locked_case(pk)
    if not case.is_open or person.pk not in (case.holder_id, case.supervisor_id):
        return
    today = timezone.localdate()
    _guard_decision_stage(case, target=CaseStage.CLOSED, today=today)
    case.stage = CaseStage.CLOSED
    case.closed_on = max(today, case.opened_on)
    case.full_clean()
    case.save()
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        note=gettext_noop("Avslut: avslutat"),
    )


# --------------------------------------------------------------------------------------------
# Mentorships (as mentor or mentee) and pending proposals
# --------------------------------------------------------------------------------------------
def _mentors_of(organisation_id: int, *, exclude) -> tuple:
    return active_staff_of(organisation_id, roles=(Role.MENTOR,), exclude=exclude)


def mentorships_as_mentor(person: User) -> list[open_work.OpenItem]:
    rows = Mentorship.objects.filter(mentor=person, status__in=OPEN_MENTORSHIP).select_related(
        "mentee"
    )
    mentors = {}
    items = []
    for row in rows.order_by("mentee__full_name"):
        if row.organisation_id not in mentors:
            mentors[row.organisation_id] = _mentors_of(row.organisation_id, exclude=(person.pk,))
        candidates = [c for c in mentors[row.organisation_id] if c[0] != row.mentee_id]
        title = _("Adept: %(name)s") % {"name": row.mentee.get_full_name()}
        items.append(_item("mentorship_mentor", row.pk, title, candidates))
    return items


def mentorships_as_mentee(person: User) -> list[open_work.OpenItem]:
    rows = Mentorship.objects.filter(mentee=person, status__in=OPEN_MENTORSHIP).select_related(
        "mentor"
    )
    return [
        _item("mentorship_mentee", row.pk, _("Mentor: %(name)s") % {"name": row.mentor})
        for row in rows
    ]


def _end(actor: User, mentorship: Mentorship) -> None:
    today = timezone.localdate()
    mentorship.status = Mentorship.Status.ENDED
    mentorship.end_date = max(today, mentorship.start_date or today)
    mentorship.full_clean()
    mentorship.save(update_fields=["status", "end_date"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=mentorship,
        organisation=mentorship.organisation_id,
        note=gettext_noop("Avslut: mentorskapet avslutat"),
    )


def _locked_mentorship(pk: int) -> Mentorship:
    return Mentorship.objects.select_for_update().get(pk=pk)


@transaction.atomic
def end_mentorship(actor: User, *, person: User, pk: int) -> None:
    mentorship = _locked_mentorship(pk)
    if mentorship.status in OPEN_MENTORSHIP and person.pk in (
        mentorship.mentor_id,
        mentorship.mentee_id,
    ):
        _end(actor, mentorship)


@transaction.atomic
def change_mentor(actor: User, *, person: User, pk: int, to: User) -> None:
    """The old mentorship ends today and a new one with the new mentor starts today, goals and
    frequency carried over: the history of sessions stays with the old one."""
    old = _locked_mentorship(pk)
    if old.status not in OPEN_MENTORSHIP or old.mentor_id != person.pk:
        return
    _end(actor, old)
    now = timezone.now()
    new = Mentorship(
        mentor=to,
        mentee_id=old.mentee_id,
        organisation_id=old.organisation_id,
        status=Mentorship.Status.ACTIVE,
        goals=old.goals,
        planned_frequency_days=old.planned_frequency_days,
        start_date=timezone.localdate(),
        mentor_accepted_at=now,
        mentee_accepted_at=now,
    )
    new.full_clean()
    new.save()
    record_event(
        actor,
        action=AuditAction.CREATE,
        obj=new,
        organisation=new.organisation_id,
        note=gettext_noop("Avslut: ny mentor (id %(id)s) efter mentorskap %(old)s"),
        note_values={"id": to.pk, "old": old.pk},
    )
    # The new mentor, and the mentee, who would otherwise learn of the change by chance.
    for what, recipient in (("new_mentor", to), ("new_mentor_to_mentee", new.mentee)):
        _tell_new(
            what,
            object_id=new.pk,
            to=recipient,
            person=person,
            actor=actor,
            org=new.organisation_id,
        )


def proposals_waiting(person: User) -> list[open_work.OpenItem]:
    """Proposed mentorships waiting for an answer where the person is mentor or mentee."""
    items = []
    mentors = {}
    proposed = Mentorship.objects.filter(status=Mentorship.Status.PROPOSED).select_related(
        "mentor", "mentee"
    )
    for row in proposed.filter(mentor=person) | proposed.filter(mentee=person):
        as_mentor = row.mentor_id == person.pk
        candidates = ()
        if as_mentor:
            if row.organisation_id not in mentors:
                mentors[row.organisation_id] = _mentors_of(
                    row.organisation_id, exclude=(person.pk,)
                )
            candidates = [c for c in mentors[row.organisation_id] if c[0] != row.mentee_id]
        other = row.mentee if as_mentor else row.mentor
        title = _("Föreslaget mentorskap med %(name)s") % {"name": other.get_full_name()}
        items.append(_item("proposal", row.pk, title, candidates))
    return items


def unconfirmed_match_proposals(person: User) -> list[open_work.OpenItem]:
    """Proposals in matching runs not yet confirmed where the person is mentor or mentee."""
    items = []
    mentors = {}
    unconfirmed = MatchProposal.objects.filter(run__confirmed_at__isnull=True).select_related(
        "run", "mentor", "mentee"
    )
    for row in unconfirmed.filter(mentor=person) | unconfirmed.filter(mentee=person):
        as_mentor = row.mentor_id == person.pk
        candidates = ()
        if as_mentor:
            organisation_id = row.run.organisation_id
            if organisation_id not in mentors:
                mentors[organisation_id] = _mentors_of(organisation_id, exclude=(person.pk,))
            candidates = [c for c in mentors[organisation_id] if c[0] != row.mentee_id]
        other = row.mentee if as_mentor else row.mentor
        title = _("Matchningsförslag (ej bekräftat) med %(name)s") % {"name": other.get_full_name()}
        items.append(_item("match_proposal", row.pk, title, candidates))
    return items


@transaction.atomic
def _withdraw_proposed(actor: User, mentorship: Mentorship) -> None:
    mentorship.status = Mentorship.Status.DECLINED
    mentorship.declined_by = actor
    mentorship.decline_reason = LEFT
    mentorship.full_clean()
    mentorship.save(update_fields=["status", "declined_by", "decline_reason"])


@transaction.atomic
def withdraw_proposal(actor: User, *, person: User, pk: int) -> None:
    mentorship = _locked_mentorship(pk)
    if mentorship.status == Mentorship.Status.PROPOSED and person.pk in (
        mentorship.mentor_id,
        mentorship.mentee_id,
    ):
        _withdraw_proposed(actor, mentorship)


@transaction.atomic
def propose_other_mentor(actor: User, *, person: User, pk: int, to: User) -> None:
    """The proposal with the leaver is withdrawn and the same mentee is proposed to `to`, who
    is told by email as after a matching run."""
    from mentoring.tasks import proposal_email

    old = _locked_mentorship(pk)
    if old.status != Mentorship.Status.PROPOSED or old.mentor_id != person.pk:
        return
    _withdraw_proposed(actor, old)
    new = Mentorship(mentor=to, mentee_id=old.mentee_id, organisation_id=old.organisation_id)
    new.full_clean()
    new.save()
    for as_mentor, recipient_id in ((True, new.mentor_id), (False, new.mentee_id)):
        outbox.enqueue(
            proposal_email,
            args={"mentorship_id": new.pk, "as_mentor": as_mentor},
            recipient_id=recipient_id,
            organisation_id=new.organisation_id,
        )


def _locked_match_proposal(pk: int, person: User) -> MatchProposal | None:
    return (
        MatchProposal.objects.select_for_update()
        .filter(pk=pk, run__confirmed_at__isnull=True)
        .filter(mentor=person)
        .first()
    ) or (
        MatchProposal.objects.select_for_update()
        .filter(pk=pk, run__confirmed_at__isnull=True)
        .filter(mentee=person)
        .first()
    )


@transaction.atomic
def remove_match_proposal(actor: User, *, person: User, pk: int) -> None:
    proposal = _locked_match_proposal(pk, person)
    if proposal is not None:
        proposal.delete()


@transaction.atomic
def adjust_match_proposal(actor: User, *, person: User, pk: int, to: User) -> None:
    proposal = _locked_match_proposal(pk, person)
    if proposal is None or proposal.mentor_id != person.pk:
        return
    proposal.mentor = to
    proposal.adjusted_by = actor
    proposal.full_clean()
    proposal.save(update_fields=["mentor", "adjusted_by"])


def _reassign_proposal(actor: User, *, person: User, pk: int, to: User) -> None:
    propose_other_mentor(actor, person=person, pk=pk, to=to)


# --------------------------------------------------------------------------------------------
# Course-run places
# --------------------------------------------------------------------------------------------
def course_run_places(person: User) -> list[open_work.OpenItem]:
    today = timezone.localdate()
    places = learning_selectors.open_run_places_of(person, today=today)
    return [
        _item("course_run_place", place.run_id, f"{place.run} – {place.get_status_display()}")
        for place in places
    ]


def withdraw_place(actor: User, *, person: User, pk: int) -> None:
    """Give up the place; a freed seat goes to the first on the waitlist
    (learning.services.runs)."""
    run = learning_selectors.get_run_of_place(person, run_id=pk)
    withdraw_from_course_run(person, run=run)
    _record_run_line(actor, person, run, gettext_noop("Avslut: avanmäld från kursomgång %(run)s"))


def _record_run_line(actor: User, person: User, run, note: str) -> None:
    """The leaver's audit line for a course run, in the person's municipality."""
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=person,
        organisation=person.memberships.values_list("organisation_id", flat=True).first(),
        note=note,
        note_values={"run": run.pk},
    )


# --------------------------------------------------------------------------------------------
# Course runs led
# --------------------------------------------------------------------------------------------
def runs_led(person: User) -> list[open_work.OpenItem]:
    """Runs not cancelled and not over that the person leads: without a leader nobody marks
    attendance, so they are handed over to another course leader of the municipality."""
    organisation_id = (
        person.memberships.filter(role=Role.COURSE_LEADER)
        .values_list("organisation_id", flat=True)
        .first()
    )
    runs = learning_selectors.open_runs_led_by(person, today=timezone.localdate())
    candidates = (
        active_staff_of(organisation_id, roles=(Role.COURSE_LEADER,), exclude=(person.pk,))
        if organisation_id is not None
        else ()
    )
    return [_item("course_run_led", run.pk, run, candidates, can_close=False) for run in runs]


def hand_over_run(actor: User, *, person: User, pk: int, to: User) -> None:
    """`to` leads the run in the person's place."""
    run = hand_over_run_leadership(run_id=pk, leader=person, to=to)
    if run is None:
        return
    _record_run_line(
        actor,
        person,
        run,
        gettext_noop("Avslut: kursomgång %(run)s lämnad över till en annan kursledare"),
    )


def register() -> None:
    """Called once from TeamConfig.ready()."""
    for kind in (
        open_work.Kind(
            key="case_held",
            notifies=True,
            label=_("Ärenden som personen handlägger"),
            items=cases_held,
            reassign=hand_over_case,
            close=close_case,
            reassign_label=_("Ny handläggare"),
            close_label=_("Avsluta ärendet"),
            order=10,
        ),
        open_work.Kind(
            key="case_supervised",
            notifies=True,
            label=_("Ärenden där personen är namngiven handledare"),
            items=cases_supervised,
            reassign=hand_over_supervision,
            close=close_case,
            reassign_label=_("Ny handledare"),
            close_label=_("Avsluta ärendet"),
            order=20,
        ),
        open_work.Kind(
            key="mentorship_mentor",
            notifies=True,
            label=_("Mentorskap som mentor"),
            items=mentorships_as_mentor,
            reassign=change_mentor,
            close=end_mentorship,
            reassign_label=_("Ny mentor"),
            close_label=_("Avsluta mentorskapet"),
            order=30,
        ),
        open_work.Kind(
            key="mentorship_mentee",
            label=_("Mentorskap som adept"),
            items=mentorships_as_mentee,
            close=end_mentorship,
            close_label=_("Avsluta mentorskapet"),
            order=31,
        ),
        open_work.Kind(
            key="proposal",
            notifies=True,
            label=_("Förslag på mentorskap som väntar"),
            items=proposals_waiting,
            reassign=_reassign_proposal,
            close=withdraw_proposal,
            reassign_label=_("Föreslå en annan mentor"),
            close_label=_("Dra tillbaka förslaget"),
            order=40,
        ),
        open_work.Kind(
            key="match_proposal",
            label=_("Matchningsförslag som inte är bekräftade"),
            items=unconfirmed_match_proposals,
            reassign=adjust_match_proposal,
            close=remove_match_proposal,
            reassign_label=_("Föreslå en annan mentor"),
            close_label=_("Ta bort förslaget"),
            order=41,
        ),
        open_work.Kind(
            key="course_run_led",
            label=_("Kursomgångar som personen leder"),
            items=runs_led,
            reassign=hand_over_run,
            reassign_label=_("Ny kursledare"),
            stuck_hint=_(
                "Ingen annan i kommunen är kursledare. Ge någon rollen kursledare under Personal, "
                "så kan omgången lämnas över här; deltagarna behöver någon som för närvaro."
            ),
            order=45,
        ),
        open_work.Kind(
            key="course_run_place",
            label=_("Platser i kursomgångar"),
            items=course_run_places,
            close=withdraw_place,
            close_label=_("Avanmäl"),
            order=50,
        ),
    ):
        open_work.register(kind)
