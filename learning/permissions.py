"""Who may do what in learning (courses, course runs, onboarding plans): the one place that
decides. Services raise with these rules, selectors filter and flag with them, templates read
the flags."""

from collections.abc import Callable

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
