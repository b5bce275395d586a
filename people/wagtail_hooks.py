from wagtail import hooks

from people import permissions
from people.middleware import mfa_redirect


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
