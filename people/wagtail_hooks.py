"""Wagtail hooks for people's rules: private pages of the tree wait for the second factor; the
Wagtail admin's reports are for the people who edit the national curriculum, formulas are
escaped in every spreadsheet export, and bulk actions stay within the user's scope."""

import functools

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.urls import reports as report_urls
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.utils.urlpatterns import decorate_urlpatterns

from people import permissions
from people.exports import escape_formula
from people.middleware import mfa_redirect
from people.wagtail_scoping import ScopedDeleteBulkAction


def curriculum_editors_only(view):
    """Wagtail's reports (site history, locked and aging pages, page types, workflows) cover the
    whole site: other municipalities' onboarding plans and case types, and the full names of
    whoever changed them. They are the curriculum editors' tools, so a municipal admin (who is
    in the admin for their own municipality's settings only) is refused."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        # Anonymous visitors go on to Wagtail's own check, which sends them to the login.
        if user.is_authenticated and not permissions.can_edit_curriculum(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Every report, also one a later Wagtail adds: the rule covers Wagtail's reports URLs as a whole.
decorate_urlpatterns(report_urls.urlpatterns, curriculum_editors_only)


@hooks.register("construct_reports_menu")
def hide_reports_from_municipal_admins(request, menu_items):
    if not permissions.can_edit_curriculum(request.user):
        menu_items[:] = []


def _escaping_formulas(preprocess):
    @functools.wraps(preprocess)
    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        # Wagtail's XLSX already stores such a cell as text; a quote there would show.
        return escape_formula(value) if export_format == self.FORMAT_CSV else value

    preprocess_field_value.escapes_formulas = True
    return preprocess_field_value


# Wagtail's exports (reports, snippet and redirect listings) write names as they are typed;
# its XLSX keeps a formula as text but its CSV does not. Every cell passes through this one
# method, and Wagtail offers no hook for it, so it is wrapped here, once, for CSV only.
if not getattr(SpreadsheetExportMixin.preprocess_field_value, "escapes_formulas", False):
    SpreadsheetExportMixin.preprocess_field_value = _escaping_formulas(
        SpreadsheetExportMixin.preprocess_field_value
    )

# After Wagtail's own bulk delete for snippets (order 0), so this one replaces it.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=1)


# Before every other page hook (learning's marks a module started): a page that is not public
# waits for the second factor, like every other URL (people.middleware.MFARequiredMiddleware).
@hooks.register("before_serve_page", order=-100)
def require_mfa_for_private_pages(page, request, serve_args, serve_kwargs):
    page_type = page.specific_class or type(page)
    if page_type._meta.label_lower in permissions.MFA_OPEN_PAGE_TYPES:
        return None
    if permissions.mfa_pending(request):
        return mfa_redirect(request)
    return None


@hooks.register("register_admin_menu_item")
def back_to_the_site():
    """Editors and admins come to the admin from the site; the way back is in the menu, last."""
    return MenuItem(_("Till Introsteg"), reverse("people:start"), icon_name="home", order=10000)
