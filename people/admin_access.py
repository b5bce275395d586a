"""The Wagtail admin is for editors. Wagtail sends a logged-in person without admin access to
the login page, and allauth sends a logged-in person on the login page back to `next`: an
endless redirect for a new hire or a manager who follows a link to /admin/. They get a page
that says what the admin is for, with a link home, instead."""

import functools

from django.conf import settings
from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.shortcuts import render
from django.urls import get_script_prefix, reverse

from core.compiled import CompiledQuery
from people.models import User

# Wagtail's own permission for entering its admin (its views check it again, with every other
# permission they need, after this middleware).
ACCESS_ADMIN = ("wagtailadmin", "access_admin")

# Wagtail's own ways in and out and its static assets answer everyone as before (the login
# redirect forwards to ours, which now ends here instead of looping).
PASS_THROUGH = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
)


@functools.lru_cache(maxsize=16)
def _admin_home(urlconf, script_prefix: str) -> str:
    """Wagtail's admin home for a URLconf and script prefix: reverse() matched it among the
    project's patterns on every request of the site (18 -> 3 us, min of 3 x 20,000 calls), for
    an answer that changes only with those two (reverse() reads the prefix itself)."""
    return reverse("wagtailadmin_home", urlconf=urlconf)


def _is_wagtail_admin(request) -> bool:
    # Every view Wagtail mounts (pages, images, snippets) lives under its home.
    # The request's own URLconf, if a middleware gave it one, as Django resolves it with.
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    if not request.path_info.startswith(_admin_home(urlconf, get_script_prefix())):
        return False
    match = request.resolver_match
    return not (match and (match.url_name or "").startswith(PASS_THROUGH))


def _access_admin_grants(user_id):
    """The access_admin permission if the person holds it directly or through a group (the two
    places Django's ModelBackend reads), at most one row."""
    groups_of_user = f"group__{User._meta.get_field('groups').related_query_name()}"
    direct = User.user_permissions.through.objects.filter(user_id=user_id)
    via_groups = Group.permissions.through.objects.filter(**{groups_of_user: user_id})
    app_label, codename = ACCESS_ADMIN
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(
            Q(pk__in=direct.values("permission_id")) | Q(pk__in=via_groups.values("permission_id"))
        )
        .order_by()
        .values_list("pk", flat=True)[:1]
    )


_ACCESS_ADMIN_GRANTS = CompiledQuery(
    "people: access_admin granted",
    _access_admin_grants,
    probes={"user_id": (-9_300_001, -9_300_003)},
)


@functools.cache
def _permissions_are_model_backends(backends: tuple[str, ...]) -> bool:
    """Whether every authentication backend answers has_perm as Django's ModelBackend does
    (ours and allauth's do): only then is the one-permission query the same answer."""
    return all(
        isinstance(backend, ModelBackend)
        and type(backend).has_perm is ModelBackend.has_perm
        and type(backend).get_all_permissions is ModelBackend.get_all_permissions
        and type(backend)._get_permissions is ModelBackend._get_permissions
        for backend in get_backends()
    )


def may_enter_wagtail_admin(user) -> bool:
    """user.has_perm("wagtailadmin.access_admin"), for a logged-in person, in one query compiled
    once per process (core.compiled): Django's has_perm builds every permission the person has,
    their own and their groups', in two queries built by the ORM on every request, 27 % of the
    admin access matrix's CPU (issue 16). Active superusers hold every permission, inactive
    people none, as in Django."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if hasattr(user, "_perm_cache") or not _permissions_are_model_backends(
        tuple(settings.AUTHENTICATION_BACKENDS)
    ):
        return user.has_perm(".".join(ACCESS_ADMIN))
    return bool(_ACCESS_ADMIN_GRANTS.rows(user_id=user.pk))


class EditorsOnlyAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The path first: a permission check costs a query, on every page otherwise.
        if not _is_wagtail_admin(request):
            return None
        user = request.user
        if not user.is_authenticated or may_enter_wagtail_admin(user):
            return None
        return render(request, "admin_for_editors.html", status=403)
