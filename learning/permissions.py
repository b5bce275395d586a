"""Who may do what in learning (courses, course runs, onboarding plans): the one place that
decides. Services raise with these rules, selectors filter and flag with them, templates read
the flags."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from content.models import Audience
from learning.models import CourseRun
from people import permissions
from people.models import Membership, Role, User

# Who a course's audience (målgrupp) is: the roles that may take a place in its runs.
AUDIENCE_ROLES = {
    Audience.NEW_HIRES: (Role.NEW_HIRE,),
    Audience.MENTORS: (Role.MENTOR,),
    Audience.MANAGERS: (Role.MANAGER,),
}


def fits_audience(user: User, *, course) -> bool:
    return permissions.has_role(user, *AUDIENCE_ROLES.get(course.audience, ()))


def sees_all_onboarding_plans(user: User) -> bool:
    """Editors and superusers keep the national default plan; a municipal admin sees only their
    own municipality's plans."""
    return user.is_superuser or permissions.can_edit_curriculum(user)


def may_see_item_analysis(user: User) -> bool:
    """The knowledge checks' item analysis is for the people who write the questions."""
    return permissions.can_edit_curriculum(user)


def leads_run(user: User, *, run: CourseRun) -> bool:
    return (
        permissions.has_role(user, Role.COURSE_LEADER) and run.leaders.filter(pk=user.pk).exists()
    )


def may_mark_attendance(user: User, *, run: CourseRun) -> bool:
    """Editors on any run; a course leader (kursledare) only on runs they lead."""
    return permissions.can_edit_curriculum(user) or leads_run(user, run=run)


@dataclass(frozen=True)
class RunAccess:
    """What a person may do with a course run as one who runs it."""

    manage: bool
    mark_attendance: bool


def run_access(user: User, *, run: CourseRun) -> RunAccess:
    """Who sees a run's roster and manages it (the waitlist, the participant list, messages to
    everyone): its course leaders, editors on any run, and the municipal admins of the
    municipality that arranges it (arrangerande kommun). Attendance stays with the leaders
    and editors, who are in the room."""
    if not user.is_authenticated:
        return RunAccess(manage=False, mark_attendance=False)
    marks = may_mark_attendance(user, run=run)
    arranges = run.organiser_id is not None and (
        run.organiser_id in permissions.administered_organisation_ids(user)
    )
    return RunAccess(manage=marks or arranges, mark_attendance=marks)


def may_manage_run(user: User, *, run: CourseRun) -> bool:
    return run_access(user, run=run).manage


def managed_runs_scope(user: User) -> Q:
    """The runs `may_manage_run` allows, as a filter for lists."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if permissions.can_edit_curriculum(user):
        return Q()
    scope = Q(organiser_id__in=permissions.administered_organisation_ids(user))
    if permissions.has_role(user, Role.COURSE_LEADER):
        led = CourseRun.leaders.through.objects.filter(courserun_id=OuterRef("pk"), user=user)
        scope |= Q(Exists(led))
    return scope


def may_list_managed_runs(user: User) -> bool:
    """The list of runs one manages is for the roles that can manage any."""
    return user.is_authenticated and (
        permissions.can_edit_curriculum(user)
        or permissions.has_role(user, Role.COURSE_LEADER)
        or bool(permissions.administered_organisation_ids(user))
    )


def may_see_run_schedule(
    user: User, *, course, has_place: Callable[[], bool], leads: Callable[[], bool]
) -> bool:
    """A run's schedule (the .ics download) is for the course's audience, the run's
    participants and leaders, editors and municipal admins. `has_place` and `leads` are asked
    only when the roles (already loaded with the memberships) do not decide: they may query."""
    if not user.is_authenticated:
        return False
    return (
        fits_audience(user, course=course)
        or permissions.can_edit_curriculum(user)
        or bool(permissions.administered_organisation_ids(user))
        or has_place()
        or leads()
    )


def administers_manager(admin: User, *, manager: User) -> bool:
    """A municipal admin acts (nominates, decides requests) only for the managers of the
    municipalities they administer."""
    return Membership.objects.filter(
        user=manager,
        role=Role.MANAGER,
        organisation_id__in=permissions.administered_organisation_ids(admin),
    ).exists()


# --- Sign-off of the introduction and certificates (intyg) ---------------------------------
# The roles whose introduction a manager signs off: the people of the units they manage.
SIGN_OFF_LEARNER_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR)


def sign_off_scope(user: User) -> Q:
    """Enrolments whose introduction the user may sign off (godkänna): those of the people in
    the units the user manages as first-line manager. A delegate (e.g. a deputy manager) is
    given the manager role in the unit, and so signs off the same people; nobody signs off
    their own introduction."""
    unit_ids = permissions.managed_unit_ids(user)
    if not unit_ids:
        return Q(pk__in=[])
    in_unit = Membership.objects.filter(
        user=OuterRef("user"), unit_id__in=unit_ids, role__in=SIGN_OFF_LEARNER_ROLES
    )
    return Q(Exists(in_unit)) & ~Q(user=user)


def may_sign_off(user: User, *, enrolment) -> bool:
    if not user.is_authenticated or enrolment.user_id == user.pk:
        return False
    return Membership.objects.filter(
        user_id=enrolment.user_id,
        unit_id__in=permissions.managed_unit_ids(user),
        role__in=SIGN_OFF_LEARNER_ROLES,
    ).exists()


def revocation_scope(user: User) -> Q:
    """Certificates the user may revoke: those their municipality issued, for its admins."""
    return Q(organisation_id__in=permissions.administered_organisation_ids(user))


def may_revoke(user: User, *, certificate) -> bool:
    return (
        user.is_authenticated
        and certificate.organisation_id is not None
        and certificate.organisation_id in permissions.administered_organisation_ids(user)
    )
