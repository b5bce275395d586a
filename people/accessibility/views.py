"""The public accessibility statement with its report form, and the municipal admin's list
of reports."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from people.accessibility import forms, selectors, services
from people.forms import add_service_errors

# When the statement was last reviewed and the service last tested (DIGG asks for both).
STATEMENT_DATE = datetime.date(2026, 11, 23)
TESTED_DATE = datetime.date(2026, 11, 23)
# Reports per hour from one address or one account: enough for a person, too few for a robot.
REPORTS_PER_HOUR = 5

REPORT_RECEIVED = _(
    "Tack! Din rapport har skickats till kommunadministratören, som återkommer om du har "
    "lämnat en e-postadress."
)
TOO_MANY_REPORTS = _("Du har skickat många rapporter på kort tid. Vänta en stund och försök igen.")


def _over_limit(request) -> bool:
    who = (
        f"user:{request.user.pk}"
        if request.user.is_authenticated
        else f"ip:{request.META.get('REMOTE_ADDR', '')}"
    )
    key = f"accessibility-report:{who}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > REPORTS_PER_HOUR


def _page_from_referer(request) -> str:
    """The page the person came from (same site only), so they need not type it."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        path = urlsplit(referer).path
        if path != reverse("people:accessibility"):
            return path[:500]
    return ""


def statement(request):
    """Who may use it: anyone, logged in or not: the accessibility statement and the form that
    reports a barrier."""
    form = forms.AccessibilityReportForm(
        request.POST or None,
        user=request.user,
        initial={"page_url": request.GET.get("sida", "")[:500] or _page_from_referer(request)},
    )
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, TOO_MANY_REPORTS)
        elif form.is_valid():
            try:
                services.report_barrier(request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, REPORT_RECEIVED)
                return redirect(reverse("people:accessibility") + "#rapportera")
    context = {
        "form": form,
        "statement_date": STATEMENT_DATE,
        "tested_date": TESTED_DATE,
        # Shown only when configured: the fallback is the sender address, no one's inbox.
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
    }
    return render(request, "people/accessibility_statement.html", context)


@login_required
def reports(request):
    """Who may use it: municipal admins (kommunadministratörer), for reports from their own
    municipality; everyone else gets a 404."""
    page = Paginator(selectors.reports_for_admin(request.user), 50).get_page(
        request.GET.get("sida")
    )
    return render(request, "people/accessibility_reports.html", {"page": page})
