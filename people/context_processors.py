from people import permissions
from people.models import Role


def roles(request):
    """Role flags for the navigation; evaluated lazily so public pages cost no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    class _Roles:
        @property
        def is_learner(self):
            return permissions.is_learner(user)

        @property
        def is_municipal_admin(self):
            return permissions.has_role(user, Role.MUNICIPAL_ADMIN)

        @property
        def is_manager(self):
            return permissions.has_role(user, Role.MANAGER)

        @property
        def is_course_leader(self):
            return permissions.has_role(user, Role.COURSE_LEADER)

        @property
        def is_editor(self):
            return permissions.can_edit_curriculum(user)

        @property
        def follows_up_only(self):
            """A county coordinator or national follow-up with no role in a municipality.
            Asked only of people without memberships (already fetched for the menu), so
            everyone else's pages cost no extra query."""
            return not permissions.roles_of(user) and bool(permissions.follow_up_assignments(user))

    return {"nav_roles": _Roles()}
