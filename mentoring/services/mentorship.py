"""Writes for mentorships: profiles, matching runs, mentorships, sessions, agenda and reminders."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import ModulePage
from core import outbox
from core.dates import format_date
from mentoring import matching, permissions, selectors
from mentoring.models import (
    LANGUAGE_CHOICES,
    OPEN_STATUSES,
    AgendaItem,
    MatchingRun,
    MatchProposal,
    MenteeNeeds,
    MentoringSettings,
    MentorProfile,
    Mentorship,
    Reminder,
    SessionTopic,
    Specialisation,
    SupervisionSession,
)
from mentoring.services.common import full_clean_with, queue_once
from people.audit import record_event
from people.models import AuditAction, Membership, Organisation, Unit, User

CAPACITY_BELOW_LOAD = _(
    "Antalet adepter kan inte vara lägre än de %(count)s adepter mentorn redan har."
)
SELF_MATCH = _("En mentor kan inte matchas med sig själv.")
NOT_ALLOWED_TO_MATCH = _("Du kan bara matcha i din egen kommun eller i enheter du är chef för.")
NOT_ALLOWED_TO_EDIT_PROFILE = _("Du kan bara ändra din egen mentorsprofil.")
RUN_ALREADY_CONFIRMED = _("Matchningen är redan bekräftad.")
MENTOR_NOT_AVAILABLE = _("Mentorn kan inte ta emot den här adepten.")
MENTOR_FULL = _("Mentorn har inga lediga platser.")
MENTOR_NO_PLACES = _("%(mentor)s har inga lediga platser längre.")
DECLINED_BEFORE = _("Den här mentorn och adepten har redan tackat nej till varandra.")
NOT_PROPOSED = _("Förslaget är redan besvarat.")
DECLINE_REASON_REQUIRED = _("Skriv kort varför du tackar nej.")
NOT_ACTIVE = _("Samtal kan bara loggas i ett pågående mentorskap.")
SESSION_IN_FUTURE = _("Datumet kan inte ligga i framtiden.")
SESSION_BEFORE_START = _("Datumet kan inte ligga före mentorskapets start (%(start)s).")
ONLY_MENTOR_LOGS = _("Bara mentorn kan logga samtal.")
ONLY_MENTEE_CONFIRMS = _("Bara adepten kan bekräfta samtalet.")
PARTICIPANTS_ONLY = _("Bara mentorn och adepten kan svara.")


# --------------------------------------------------------------------------------------------
# Settings and profiles
# --------------------------------------------------------------------------------------------
def _open_count(mentor: User) -> int:
    return Mentorship.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).count()


@transaction.atomic
def save_mentor_profile(
    actor: User,
    *,
    user: User,
    years_experience: int,
    capacity: int = 2,
    specialisations: Iterable[Specialisation] = (),
    languages: Iterable[str] = ("sv",),
    accepts_other_municipalities: bool = False,
    is_active: bool = True,
) -> MentorProfile:
    """Create or change a mentor profile (mentorsprofil); the profile row is locked so capacity
    cannot drop below the mentees the mentor has while a confirmation runs."""
    if not permissions.may_edit_mentor_profile(actor, person=user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT_PROFILE)
    profile = MentorProfile.objects.select_for_update().filter(user=user).first()
    profile = profile or MentorProfile(user=user)
    profile.years_experience = years_experience
    profile.capacity = capacity
    profile.languages = sorted(set(languages))
    profile.accepts_other_municipalities = accepts_other_municipalities
    profile.is_active = is_active
    profile.full_clean()
    count = _open_count(user)
    if capacity < count:
        raise ValidationError({"capacity": CAPACITY_BELOW_LOAD % {"count": count}})
    profile.save()
    profile.specialisations.set(list(specialisations))
    return profile


@transaction.atomic
def save_mentee_needs(
    actor: User,
    *,
    mentee: User,
    wishes: str = "",
    specialisations: Iterable[Specialisation] = (),
) -> MenteeNeeds:
    """A mentee's own wishes for matching (e.g. to talk about honour-related cases)."""
    if actor.pk != mentee.pk:
        raise PermissionDenied
    needs = MenteeNeeds.objects.filter(user=mentee).first() or MenteeNeeds(user=mentee)
    needs.wishes = wishes.strip()
    needs.full_clean()
    needs.save()
    needs.specialisations.set(list(specialisations))
    return needs


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------
def _language_names() -> dict[str, str]:
    return {code: str(label).lower() for code, label in LANGUAGE_CHOICES}


def _specialisation_names() -> dict[int, str]:
    # The stored names (msgids): the reason is put into the reader's words when read.
    return {s.pk: s.name for s in Specialisation.objects.all()}


def _mentor_candidates(organisation: Organisation) -> list[matching.MentorCandidate]:
    """Active, eligible mentors of the municipality and of its county's other municipalities."""
    min_years = {
        s.organisation_id: s.min_years_experience
        for s in MentoringSettings.objects.filter(organisation__county=organisation.county)
    }
    memberships = Membership.objects.filter(
        organisation__county=organisation.county,
        role__in=permissions.MENTOR_ROLES,
        user__mentor_profile__is_active=True,
        user__is_active=True,
    ).select_related("organisation")
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    profiles = (
        MentorProfile.objects.filter(user_id__in=by_user)
        .select_related("user")
        .prefetch_related("specialisations")
        .annotate(
            open_count=Count(
                "user__mentorships_as_mentor",
                filter=Q(user__mentorships_as_mentor__status__in=OPEN_STATUSES),
            )
        )
    )
    result = []
    for profile in profiles:
        own = by_user[profile.user_id]
        # A mentor who works in this municipality is matched as a local mentor.
        home = next((m for m in own if m.organisation_id == organisation.pk), own[0])
        if profile.years_experience < min_years.get(home.organisation_id, 3):
            continue
        result.append(
            matching.MentorCandidate(
                id=profile.user_id,
                organisation_id=home.organisation_id,
                county=home.organisation.county,
                unit_ids=frozenset(
                    m.unit_id for m in own if m.organisation_id == home.organisation_id
                ),
                specialisations=frozenset(s.pk for s in profile.specialisations.all()),
                languages=frozenset(profile.languages or ["sv"]),
                capacity=profile.capacity,
                active_count=profile.open_count,
                accepts_other_municipalities=profile.accepts_other_municipalities,
                years_experience=profile.years_experience,
                name=str(profile.user),
            )
        )
    return result


def _new_hires(organisation: Organisation, unit: Unit | None):
    memberships = Membership.objects.filter(
        organisation=organisation, role__in=permissions.MENTEE_ROLES, user__is_active=True
    )
    return memberships if unit is None else memberships.filter(unit=unit)


def _waiting_for_answer(organisation: Organisation, unit: Unit | None) -> set[int]:
    """New hires without a mentor whose earlier proposal still waits for an answer."""
    return set(
        _new_hires(organisation, unit)
        .filter(user__mentorships_as_mentee__status=Mentorship.Status.PROPOSED)
        .exclude(user_id__in=selectors.mentored())
        .values_list("user_id", flat=True)
    )


def _mentee_candidates(
    organisation: Organisation, unit: Unit | None, *, with_open: bool = False
) -> list[matching.MenteeCandidate]:
    """New hires of the municipality (or unit) who have no mentor (mentoring.selectors.mentored,
    the one definition Mitt team reads too) and no proposal waiting for an answer."""
    memberships = _new_hires(organisation, unit).select_related("user")
    if not with_open:
        memberships = memberships.exclude(user_id__in=selectors.mentored()).exclude(
            user__mentorships_as_mentee__status=Mentorship.Status.PROPOSED
        )
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    wishes: dict[int, set[int]] = {}
    for user_id, specialisation_id in MenteeNeeds.specialisations.through.objects.filter(
        menteeneeds__user_id__in=by_user
    ).values_list("menteeneeds__user_id", "specialisation_id"):
        wishes.setdefault(user_id, set()).add(specialisation_id)
    return [
        matching.MenteeCandidate(
            id=user_id,
            organisation_id=organisation.pk,
            county=organisation.county,
            unit_ids=frozenset(m.unit_id for m in rows if m.unit_id),
            wishes=frozenset(wishes.get(user_id, ())),
            language=rows[0].user.preferred_language,
            name=str(rows[0].user),
        )
        for user_id, rows in by_user.items()
    ]


def _declined_pairs(mentee_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        Mentorship.objects.filter(
            mentee_id__in=list(mentee_ids), status=Mentorship.Status.DECLINED
        ).values_list("mentor_id", "mentee_id")
    )


@transaction.atomic
def run_matching(
    actor: User,
    *,
    organisation: Organisation,
    unit: Unit | None = None,
    weights: matching.Weights | None = None,
) -> MatchingRun:
    """Run the matching (matchning) for a municipality or a unit and store every proposal with
    its score and reasons; open mentorships stay as they are and only count as load."""
    if not permissions.can_run_matching(actor, organisation=organisation, unit=unit):
        raise PermissionDenied(NOT_ALLOWED_TO_MATCH)
    weights = weights or matching.Weights()
    mentors = _mentor_candidates(organisation)
    mentees = _mentee_candidates(organisation, unit)
    excluded = _declined_pairs(m.id for m in mentees)
    result = matching.optimise(mentors, mentees, weights, excluded)
    # Everyone without a mentor who gets no proposal, and why, for the run page.
    no_proposal = matching.why_no_proposal(mentors, mentees, result, excluded)
    for mentee_id in _waiting_for_answer(organisation, unit):
        no_proposal[mentee_id] = matching.NoProposal.WAITING_FOR_ANSWER
    run = MatchingRun.objects.create(
        organisation=organisation,
        unit=unit,
        run_by=actor,
        parameters={
            "weights": weights.as_dict(),
            "mentors": len(mentors),
            "mentees": len(mentees),
            "excluded_pairs": len(excluded),
            "no_proposal": sorted([mentee_id, why] for mentee_id, why in no_proposal.items()),
        },
        total_score=round(result.total_score, 3),
        greedy_total_score=round(result.greedy_total_score, 3),
    )
    by_mentor = {m.id: m for m in mentors}
    by_mentee = {m.id: m for m in mentees}
    names = {"specialisation_names": _specialisation_names(), "language_names": _language_names()}
    MatchProposal.objects.bulk_create(
        [
            MatchProposal(
                run=run,
                mentor_id=a.mentor_id,
                mentee_id=a.mentee_id,
                score=round(a.score, 3),
                reasons=matching.reason_codes(
                    by_mentor[a.mentor_id], by_mentee[a.mentee_id], **names
                ),
            )
            for a in result.assignments
        ]
    )
    return run


def _check_can_match(actor: User, run: MatchingRun) -> None:
    if not permissions.can_run_matching(actor, organisation=run.organisation, unit=run.unit):
        raise PermissionDenied(NOT_ALLOWED_TO_MATCH)
    if run.confirmed_at is not None:
        raise ValidationError(RUN_ALREADY_CONFIRMED)


@transaction.atomic
def adjust_proposal(actor: User, *, proposal: MatchProposal, mentor: User) -> MatchProposal:
    """Change the mentor of one proposal by hand. The mentor's profile row is locked while the
    free places are counted, so two adjustments cannot both take the last place."""
    run = MatchingRun.objects.select_for_update().get(pk=proposal.run_id)
    _check_can_match(actor, run)
    if mentor.pk == proposal.mentee_id:
        raise ValidationError({"mentor": SELF_MATCH})
    if not MentorProfile.objects.select_for_update().filter(user=mentor).exists():
        raise ValidationError({"mentor": MENTOR_NOT_AVAILABLE})
    candidate = next((m for m in _mentor_candidates(run.organisation) if m.id == mentor.pk), None)
    mentee = next(
        (
            m
            for m in _mentee_candidates(run.organisation, run.unit, with_open=True)
            if m.id == proposal.mentee_id
        ),
        None,
    )
    if candidate is None or mentee is None or not matching.may_meet(candidate, mentee):
        raise ValidationError({"mentor": MENTOR_NOT_AVAILABLE})
    if (mentor.pk, mentee.id) in _declined_pairs([mentee.id]):
        raise ValidationError({"mentor": DECLINED_BEFORE})
    in_run = run.proposals.filter(mentor=mentor).exclude(pk=proposal.pk).count()
    if candidate.active_count + in_run >= candidate.capacity:
        raise ValidationError({"mentor": MENTOR_FULL})
    weights = matching.Weights(**run.parameters.get("weights", {}))
    load = candidate.active_count + in_run
    proposal.mentor = mentor
    proposal.score = round(
        matching.pair_score(candidate, mentee, weights) - matching.slot_penalty(load, weights), 3
    )
    proposal.reasons = [
        *matching.reason_codes(
            candidate,
            mentee,
            specialisation_names=_specialisation_names(),
            language_names=_language_names(),
        ),
        [matching.ADJUSTED_BY, {"name": actor.get_full_name()}],
    ]
    proposal.adjusted_by = actor
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def confirm_run(actor: User, *, run: MatchingRun) -> list[Mentorship]:
    """Confirm a run: every proposal becomes a proposed mentorship and both are told by email.
    The mentors' profile rows are locked so that capacity is checked against committed load."""
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    _check_can_match(actor, run)
    proposals = list(run.proposals.select_related("mentor", "mentee"))
    capacity = dict(
        MentorProfile.objects.select_for_update()
        .filter(user_id__in={p.mentor_id for p in proposals})
        .values_list("user_id", "capacity")
    )
    created = []
    for proposal in proposals:
        if Mentorship.objects.filter(
            mentee_id=proposal.mentee_id, status__in=OPEN_STATUSES
        ).exists():
            continue  # matched by someone else since the run; nothing to propose
        if _open_count(proposal.mentor) >= capacity.get(proposal.mentor_id, 0):
            raise ValidationError(MENTOR_NO_PLACES % {"mentor": proposal.mentor})
        mentorship = Mentorship(
            mentor=proposal.mentor,
            mentee=proposal.mentee,
            organisation=run.organisation,
            proposal=proposal,
        )
        mentorship.full_clean()
        mentorship.save()
        created.append(mentorship)
    run.confirmed_at = timezone.now()
    run.confirmed_by = actor
    run.save(update_fields=["confirmed_at", "confirmed_by"])

    from mentoring.tasks import proposal_email

    for mentorship in created:
        for as_mentor, recipient_id in (
            (True, mentorship.mentor_id),
            (False, mentorship.mentee_id),
        ):
            outbox.enqueue(
                proposal_email,
                args={"mentorship_id": mentorship.pk, "as_mentor": as_mentor},
                recipient_id=recipient_id,
                organisation_id=run.organisation_id,
            )
    return created


@transaction.atomic
def respond_to_proposal(
    user: User, *, mentorship: Mentorship, accept: bool, reason: str = ""
) -> Mentorship:
    """Mentor or mentee accepts or declines (tackar ja / nej). A decline frees the place and the
    pair is never proposed again; when both have accepted the mentorship starts today."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not permissions.is_participant(user, mentorship):
        raise PermissionDenied(PARTICIPANTS_ONLY)
    if mentorship.status != Mentorship.Status.PROPOSED:
        raise ValidationError(NOT_PROPOSED)
    now = timezone.now()
    if not accept:
        if not reason.strip():
            raise ValidationError({"reason": DECLINE_REASON_REQUIRED})
        mentorship.status = Mentorship.Status.DECLINED
        mentorship.declined_by = user
        mentorship.decline_reason = reason.strip()
        try:
            mentorship.full_clean()
        except ValidationError as error:
            if "decline_reason" in error.message_dict:
                raise ValidationError({"reason": error.message_dict["decline_reason"]}) from None
            raise
        mentorship.save()
        return mentorship
    if user.pk == mentorship.mentor_id:
        mentorship.mentor_accepted_at = mentorship.mentor_accepted_at or now
    else:
        mentorship.mentee_accepted_at = mentorship.mentee_accepted_at or now
    if mentorship.mentor_accepted_at and mentorship.mentee_accepted_at:
        mentorship.status = Mentorship.Status.ACTIVE
        mentorship.start_date = timezone.localdate()
    mentorship.full_clean()
    mentorship.save()
    return mentorship


@transaction.atomic
def update_mentorship(
    user: User, *, mentorship: Mentorship, goals: str, planned_frequency_days: int | None
) -> Mentorship:
    """The two agree on goals (mål) and may override the planned frequency."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if not permissions.is_participant(user, mentorship):
        raise PermissionDenied(PARTICIPANTS_ONLY)
    mentorship.goals = goals.strip()
    mentorship.planned_frequency_days = planned_frequency_days
    mentorship.full_clean()
    mentorship.save()
    return mentorship


# --------------------------------------------------------------------------------------------
# Sessions and agenda
# --------------------------------------------------------------------------------------------
@transaction.atomic
def log_session(
    mentor: User,
    *,
    mentorship: Mentorship,
    kind: str,
    date: datetime.date,
    duration_minutes: int,
    format: str,
    topics: Iterable[SessionTopic] = (),
    modules: Iterable[ModulePage] = (),
    notes: str = "",
    agreed_actions: str = "",
    discussed: Iterable[str] = (),
) -> SupervisionSession:
    """The mentor logs a supervision session (handledningssamtal); agenda items the two talked
    about are ticked off, the rest stay on the agenda for next time."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentor.pk != mentorship.mentor_id:
        raise PermissionDenied(ONLY_MENTOR_LOGS)
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE)
    errors = {}
    if date and date > timezone.localdate():
        errors["date"] = [SESSION_IN_FUTURE]
    elif date and mentorship.start_date and date < mentorship.start_date:
        errors["date"] = [SESSION_BEFORE_START % {"start": format_date(mentorship.start_date)}]
    session = SupervisionSession(
        mentorship=mentorship,
        kind=kind,
        date=date,
        duration_minutes=duration_minutes,
        format=format,
        notes=notes.strip(),
        agreed_actions=agreed_actions.strip(),
        logged_by=mentor,
    )
    full_clean_with(session, errors)
    agenda = selectors.agenda_for(mentorship)
    session.save()
    session.topics.set(list(topics))
    session.modules.set(list(modules))
    ticked = set(discussed)
    for entry in agenda:
        item, _created = AgendaItem.objects.get_or_create(
            mentorship=mentorship,
            module=entry.module,
            position=entry.position,
            defaults={"prompt": entry.prompt},
        )
        if entry.key in ticked:
            item.discussed_in = session
            item.save(update_fields=["discussed_in"])
    record_event(
        mentor,
        action=AuditAction.CREATE,
        obj=session,
        organisation=mentorship.organisation_id,
        summary="Handledningssamtal loggat",
    )
    return session


@transaction.atomic
def confirm_session(
    mentee: User, *, session: SupervisionSession, reflection: str = ""
) -> SupervisionSession:
    """The mentee confirms the session happened and may add a reflection."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if mentee.pk != session.mentorship.mentee_id:
        raise PermissionDenied(ONLY_MENTEE_CONFIRMS)
    session.mentee_reflection = reflection.strip()
    session.confirmed_at = session.confirmed_at or timezone.now()
    session.full_clean()
    session.save()
    record_event(
        mentee,
        action=AuditAction.UPDATE,
        obj=session,
        organisation=session.mentorship.organisation_id,
        summary="Handledningssamtal bekräftat",
    )
    return session


def record_session_read(actor: User, *, session: SupervisionSession) -> None:
    """Reading a supervision session's notes goes to the municipality's audit log."""
    record_event(
        actor,
        action=AuditAction.READ,
        obj=session,
        organisation=session.mentorship.organisation_id,
        summary="Handledningssamtal läst",
    )


# --------------------------------------------------------------------------------------------
# Check-in reminders
# --------------------------------------------------------------------------------------------
def checkin_due_date(
    mentorship: Mentorship, *, last_session: datetime.date | None, grace_days: int
) -> datetime.date:
    """When a check-in is overdue: planned frequency plus the municipality's grace period."""
    frequency = selectors.frequency_days(mentorship, on=timezone.localdate())
    base = last_session or mentorship.start_date
    return base + datetime.timedelta(days=frequency + grace_days)


def send_due_checkin_reminders(today: datetime.date | None = None) -> list[Reminder]:
    """Remind mentors whose check-in is overdue. One row per (mentorship, kind, due date), so a
    retried or repeated run never sends the same reminder twice."""
    today = today or timezone.localdate()
    mentorships = (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE)
        # A meeting booked for today or later is the check-in: no "time to meet" reminder.
        .exclude(next_meeting_date__gte=today)
        .select_related("mentee")
        .prefetch_related("mentee__memberships")
        .annotate(last_session=Max("sessions__date"))
    )
    # One query for every municipality's grace period, not one per mentorship.
    default_grace = MentoringSettings().reminder_grace_days
    grace_by_organisation = dict(
        MentoringSettings.objects.values_list("organisation_id", "reminder_grace_days")
    )
    from mentoring.tasks import checkin_reminder_email

    created = []
    for mentorship in mentorships:
        due = checkin_due_date(
            mentorship,
            last_session=mentorship.last_session,
            grace_days=grace_by_organisation.get(mentorship.organisation_id, default_grace),
        )
        if due >= today:
            continue
        reminder = queue_once(
            Reminder,
            lambda reminder, mentorship=mentorship: outbox.enqueue(
                checkin_reminder_email,
                args={"reminder_id": reminder.pk},
                key=f"mentoring.checkin-reminder:{reminder.pk}",
                recipient_id=mentorship.mentor_id,
                organisation_id=mentorship.organisation_id,
            ),
            mentorship=mentorship,
            kind=Reminder.Kind.CHECK_IN,
            date=due,
        )
        if reminder is not None:
            created.append(reminder)
    return created
