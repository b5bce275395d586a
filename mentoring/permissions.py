"""Who may do what in mentoring: the one place that decides."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.models import CaseType, EntrustmentDecision, Mentorship, SupervisedCase
from people import permissions as people_permissions
from people.models import Membership, Organisation, Role, Unit, User

# Roles that may be proposed a mentor (adepter) and roles that may mentor.
MENTEE_ROLES = (Role.NEW_HIRE,)
MENTOR_ROLES = (Role.MENTOR, Role.SOCIAL_SECRETARY)


def can_run_matching(user: User, *, organisation: Organisation, unit: Unit | None = None) -> bool:
    """Municipal admins for their whole municipality; first-line managers for their units."""
    if organisation.pk in people_permissions.administered_organisation_ids(user):
        return True
    return (
        unit is not None
        and unit.organisation_id == organisation.pk
        and unit.pk in people_permissions.managed_unit_ids(user)
    )


def may_mentor(user: User) -> bool:
    """Mentors and social secretaries may keep a mentor profile (mentorsprofil)."""
    return people_permissions.has_role(user, *MENTOR_ROLES)


def may_edit_mentor_profile(user: User, *, person: User) -> bool:
    """One's own profile, or as municipal admin of a municipality the person works in."""
    if user.pk == person.pk:
        return True
    organisations = {m.organisation_id for m in Membership.objects.filter(user=person)}
    return bool(organisations & people_permissions.administered_organisation_ids(user))


def is_participant(user: User, mentorship) -> bool:
    return user.pk in (mentorship.mentor_id, mentorship.mentee_id)


@dataclass(frozen=True)
class MentorshipAccess:
    """What one user may do with a mentorship they are in (the selectors only hand out
    mentorships and sessions to their mentor and mentee) or look after (`is_steward`: the
    municipal admin of the mentee's municipality, a manager of the mentee's unit)."""

    is_mentor: bool
    is_mentee: bool
    is_steward: bool = False
    is_open: bool = True

    @property
    def can_end(self) -> bool:
        """The mentor, the municipal admin or the mentee's manager ends it (avslutar)."""
        return self.is_open and (self.is_mentor or self.is_steward)

    @property
    def can_change_mentor(self) -> bool:
        """Only the admin or manager picks another mentor; the mentee asks for it privately."""
        return self.is_open and self.is_steward

    @property
    def can_request_change(self) -> bool:
        return self.is_open and self.is_mentee

    @property
    def can_book_meeting(self) -> bool:
        return self.is_open and (self.is_mentor or self.is_mentee)

    @property
    def can_log_session(self) -> bool:
        """The mentor writes the session record; the mentee confirms it."""
        return self.is_mentor

    @property
    def can_confirm_session(self) -> bool:
        return self.is_mentee


def mentorship_access(user: User, mentorship) -> MentorshipAccess:
    return MentorshipAccess(
        is_mentor=user.pk == mentorship.mentor_id,
        is_mentee=user.pk == mentorship.mentee_id,
        is_steward=is_steward_of(user, mentorship),
        is_open=mentorship.status in (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED),
    )


def steward_scope(user: User) -> Q:
    """Mentorships a user looks after: the municipal admin's whole municipality, a first-line
    manager's new hires (by the mentee's unit). Change requests are read through this scope
    too, which is why a mentor never sees one about themself."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    organisation_ids = people_permissions.administered_organisation_ids(user)
    unit_ids = people_permissions.managed_unit_ids(user)
    scope = Q(organisation_id__in=organisation_ids)
    if unit_ids:
        scope |= Q(mentee_id__in=Membership.objects.filter(unit_id__in=unit_ids).values("user_id"))
    return scope


def steward_scope_query(user: User) -> Q:
    """steward_scope read by the database: the same rule with the user's memberships as
    subqueries, for reads that must not load them first (people.waiting)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    led = Membership.objects.filter(unit_id__in=people_permissions.managed_unit_ids_query(user))
    return Q(organisation_id__in=people_permissions.administered_organisation_ids_query(user)) | Q(
        mentee_id__in=led.values("user_id")
    )


def may_steward(user: User) -> bool:
    """Municipal admins and first-line managers look after mentorships (no query: the
    memberships are cached on the user)."""
    return bool(
        people_permissions.administered_organisation_ids(user)
        or people_permissions.managed_unit_ids(user)
    )


def is_steward_of(user: User, mentorship) -> bool:
    if mentorship.organisation_id in people_permissions.administered_organisation_ids(user):
        return True
    unit_ids = people_permissions.managed_unit_ids(user)
    return (
        bool(unit_ids)
        and Membership.objects.filter(user_id=mentorship.mentee_id, unit_id__in=unit_ids).exists()
    )


def matching_scopes(user: User) -> tuple[set[int], set[int]]:
    """(municipality ids the user may match in, unit ids the user may match in)."""
    return (
        people_permissions.administered_organisation_ids(user),
        people_permissions.managed_unit_ids(user),
    )


# --------------------------------------------------------------------------------------------
# Supervised cases (ärenden)
# --------------------------------------------------------------------------------------------
# Roles that hold cases of their own, and roles that may be named supervisor (handledare).
CASE_HOLDER_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR)
SUPERVISOR_ROLES = (Role.SOCIAL_SECRETARY, Role.MENTOR, Role.MANAGER)
# From "acts independently" a person may take decisions in high-risk cases without sign-off;
# "may supervise others" qualifies a person to sign off and to decide on others' levels.
INDEPENDENT_LEVEL = 4
SUPERVISES_LEVEL = 5


# What a decided level allows, read from the two thresholds above so the confirmation a decider
# sees before an irreversible decision states the rule the guardrail applies.
NEEDS_SIGN_OFF = _(
    "Beslut i ärenden med hög eller kritisk risk kräver en signerad genomgång av handledaren."
)
DECIDES_ALONE = _("Får fatta beslut i ärenden med hög eller kritisk risk utan signerad genomgång.")
SUPERVISES_OTHERS = _(
    "Får signera andras genomgångar och besluta om andras anförtroendenivå för ärendetypen."
)


def what_level_allows(level: int) -> list:
    """The consequences of an entrustment level, in the words the decision page shows."""
    allows = [DECIDES_ALONE if level >= INDEPENDENT_LEVEL else NEEDS_SIGN_OFF]
    if level >= SUPERVISES_LEVEL:
        allows.append(SUPERVISES_OTHERS)
    return allows


def case_scope(user: User) -> Q:
    """Who reads a case record: the holder, the named supervisor, the holder's mentor in an
    active mentorship and the managers of the case's unit. Nobody else, not even the municipal
    admin: case records describe child-protection work."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mentees = Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).values(
        "mentee_id"
    )
    return (
        Q(holder=user)
        | Q(supervisor=user)
        | Q(holder_id__in=mentees)
        | Q(unit_id__in=people_permissions.managed_unit_ids(user))
    )


def is_active_mentor_of(user: User, person: User) -> bool:
    return Mentorship.objects.filter(
        mentor=user, mentee=person, status=Mentorship.Status.ACTIVE
    ).exists()


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do with one case they can already see."""

    is_holder: bool
    is_supervisor: bool
    is_mentor: bool
    is_manager: bool

    @property
    def can_review(self) -> bool:
        """Supervision is done by someone else than the holder."""
        return not self.is_holder and (self.is_supervisor or self.is_mentor or self.is_manager)

    @property
    def can_manage(self) -> bool:
        """Move the stage, name the supervisor, close: the holder and the unit's managers."""
        return self.is_holder or self.is_manager


def case_access(user: User, case: SupervisedCase) -> CaseAccess:
    return CaseAccess(
        is_holder=user.pk == case.holder_id,
        is_supervisor=user.pk == case.supervisor_id,
        is_mentor=is_active_mentor_of(user, case.holder),
        is_manager=case.unit_id in people_permissions.managed_unit_ids(user),
    )


def may_edit_review(user: User, review) -> bool:
    """A review is changed (or signed) only by the supervisor who wrote it."""
    return review.supervisor_id == user.pk


def holder_unit_ids(user: User) -> set[int]:
    """Units where the user may register cases of their own."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user, role__in=CASE_HOLDER_ROLES, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )


def may_decide_entrustment(
    user: User, *, person: User, case_type: CaseType, reviews, today: datetime.date
) -> bool:
    """Who may decide a person's entrustment level: someone qualified for the person (level 5
    for the case type, their mentor, a manager of their unit) or, for a decision that rests
    on reviews, someone involved in a reviewed case (its named supervisor, the reviewer, a
    manager of the case's unit). Never the person themselves."""
    if not user.is_authenticated or user.pk == person.pk:
        return False
    reviews = list(reviews)
    managed = people_permissions.managed_unit_ids(user) if reviews else set()
    for review in reviews:
        case = review.case
        if case.holder_id != person.pk:
            continue
        if user.pk in (review.supervisor_id, case.supervisor_id) or case.unit_id in managed:
            return True
    return is_qualified_for(user, person=person, case_type=case_type, today=today)


def is_qualified_for(
    user: User, *, person: User, case_type: CaseType, today: datetime.date
) -> bool:
    """Who may sign off a person's decision-stage review and decide on their entrustment level:
    someone at level 5 for the case type, the person's mentor, or a manager of their unit;
    never the person themselves."""
    if not user.is_authenticated or user.pk == person.pk:
        return False
    managed = people_permissions.managed_unit_ids(user)
    if managed and Membership.objects.filter(user=person, unit_id__in=managed).exists():
        return True
    if is_active_mentor_of(user, person):
        return True
    latest = (
        EntrustmentDecision.objects.filter(person=user, case_type=case_type)
        .valid_on(today)
        .order_by("-decided_on", "-created_at", "-pk")
        .values_list("level", flat=True)
        .first()
    )
    return latest == SUPERVISES_LEVEL
