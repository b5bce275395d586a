"""The Wagtail admin is for editors. Wagtail sends a logged-in person without admin access to
the login page, and allauth sends a logged-in person on the login page back to `next`: an
endless redirect for a new hire or a manager who follows a link to /admin/. They get a page
that says what the admin is for, with a link home, instead."""

from django.shortcuts import render
from django.urls import reverse


def _is_wagtail_admin(request) -> bool:
    # Every view Wagtail mounts (pages, images, snippets, its login redirect) lives under it.
    return request.path_info.startswith(reverse("wagtailadmin_home"))


class EditorsOnlyAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.has_perm("wagtailadmin.access_admin"):
            return None
        if not _is_wagtail_admin(request):
            return None
        return render(request, "admin_for_editors.html", status=403)
