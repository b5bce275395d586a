"""The Wagtail admin is for editors. Wagtail sends a logged-in person without admin access to
the login page, and allauth sends a logged-in person on the login page back to `next`: an
endless redirect for a new hire or a manager who follows a link to /admin/. They get a page
that says what the admin is for, with a link home, instead."""

from django.shortcuts import render
from django.urls import reverse

# Wagtail's own ways in and out and its static assets answer everyone as before (the login
# redirect forwards to ours, which now ends here instead of looping).
PASS_THROUGH = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
)


def _is_wagtail_admin(request) -> bool:
    # Every view Wagtail mounts (pages, images, snippets) lives under its home.
    if not request.path_info.startswith(reverse("wagtailadmin_home")):
        return False
    match = request.resolver_match
    return not (match and (match.url_name or "").startswith(PASS_THROUGH))


class EditorsOnlyAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The path first: a permission check costs two queries, on every page otherwise.
        if not _is_wagtail_admin(request):
            return None
        user = request.user
        if not user.is_authenticated or user.has_perm("wagtailadmin.access_admin"):
            return None
        return render(request, "admin_for_editors.html", status=403)
