import functools

from people import chrome, permissions
from people.models import LEARNER_ROLES, Role


def roles(request):
    """Role flags for the navigation; evaluated lazily so public pages cost no query, and read
    from the per-person cache (people.chrome) so a warm session costs none either."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    class _Roles:
        @functools.cached_property
        def _roles(self):
            return chrome.nav_roles_of(user)

        @property
        def is_learner(self):
            return bool(self._roles & set(LEARNER_ROLES))

        @property
        def is_municipal_admin(self):
            return Role.MUNICIPAL_ADMIN in self._roles

        @property
        def is_manager(self):
            return Role.MANAGER in self._roles

        @property
        def is_course_leader(self):
            return Role.COURSE_LEADER in self._roles

        @property
        def is_editor(self):
            # people.permissions.can_edit_curriculum, on the cached roles
            return user.is_superuser or Role.EDITOR in self._roles

        @property
        def follows_up_only(self):
            """A county coordinator or national follow-up with no role in a municipality.
            Asked only of people without a role in a municipality (the cached roles), so
            everyone else's pages cost no extra query."""
            return not self._roles and bool(permissions.follow_up_assignments(user))

    return {"nav_roles": _Roles()}
