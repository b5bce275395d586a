"""The accessibility statement (tillgänglighetsredogörelse) and reports of accessibility
barriers, as the law on accessibility of digital public services (2018:1937) and DIGG's
model statement ask: a public page that says how accessible the service is, what is known not
to be, and a way to report a barrier that reaches someone who can act on it."""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core import outbox
from people import permissions
from people.emails import build_email
from people.forms import add_service_errors
from people.models import AccessibilityReport, Organisation, Role, User
from people.validators import validate_no_identity_number

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


class AccessibilityReportForm(forms.Form):
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Vad försökte du göra, och vad hindrade dig? Skriv aldrig uppgifter om klienter."
        ),
        error_messages={"required": _("Beskriv problemet du stötte på.")},
        validators=[validate_no_identity_number],
    )
    page_url = forms.CharField(
        label=_("Sida där problemet finns"),
        max_length=500,
        required=False,
        help_text=_("Adressen eller namnet på sidan, till exempel /min-introduktion/."),
        validators=[validate_no_identity_number],
    )
    organisation = forms.ModelChoiceField(
        label=_("Din kommun"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Vet inte eller vill inte ange"),
        help_text=_("Då når rapporten din kommuns administratör direkt."),
    )
    name = forms.CharField(
        label=_("Ditt namn"),
        max_length=200,
        required=False,
        validators=[validate_no_identity_number],
    )
    email = forms.EmailField(
        label=_("Din e-postadress"),
        required=False,
        help_text=_("Om du vill ha svar."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # A logged-in person's report goes to their own municipality; we know who they are.
            for field in ("organisation", "name", "email"):
                del self.fields[field]


def accessibility_contact() -> str:
    """Where reports without a municipality go: ACCESSIBILITY_CONTACT_EMAIL when set, else the
    address the service sends from."""
    return settings.ACCESSIBILITY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def municipal_admins(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role=Role.MUNICIPAL_ADMIN,
    ).distinct()


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


@transaction.atomic
def report_barrier(
    reporter: User | None,
    *,
    description: str,
    page_url: str = "",
    organisation: Organisation | None = None,
    name: str = "",
    email: str = "",
) -> AccessibilityReport:
    """Report an accessibility barrier (rapportera brist i tillgängligheten): stored, and
    emailed to the municipal admins of the reporter's municipality (a logged-in reporter's own,
    or the one a visitor chose), else to the service's accessibility contact."""
    if reporter is not None and reporter.is_authenticated:
        membership = reporter.memberships.order_by("pk").first()
        organisation = membership.organisation if membership else None
        name, email = reporter.get_full_name(), reporter.email
    else:
        reporter = None
    report = AccessibilityReport(
        reporter=reporter,
        organisation=organisation,
        description=description.strip(),
        page_url=page_url.strip(),
        name=name.strip(),
        email=email.strip(),
    )
    report.full_clean()
    report.save()
    send_report(report)
    return report


def send_report(report: AccessibilityReport) -> list:
    """Queue one email per recipient in the outbox (a failing mail server is retried there,
    never shown to the reporter): the municipality's admins, else the accessibility contact."""
    admins = (
        list(municipal_admins(report.organisation_id).values_list("pk", flat=True))
        if report.organisation_id
        else []
    )
    return [
        outbox.enqueue(
            accessibility_report_email,
            args={"report_id": report.pk, "user_id": user_id},
            recipient_id=user_id,
            organisation_id=report.organisation_id,
        )
        for user_id in admins or [None]
    ]


@outbox.handler
def accessibility_report_email(report_id: int, user_id: int | None):
    """The report to one municipal admin, or (user_id None) to the accessibility contact."""
    report = AccessibilityReport.objects.filter(pk=report_id).first()
    if user_id is None:
        recipient = User(email=accessibility_contact(), preferred_language="sv")
    else:
        recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if report is None or recipient is None:
        return None
    context = {
        "report": report,
        "list_url": settings.SITE_URL.rstrip("/") + reverse("people:accessibility_reports"),
    }
    return build_email("people/email/accessibility_report", to=recipient, context=context)


def reports_for_admin(user: User) -> QuerySet[AccessibilityReport]:
    """Reports from the municipalities the user administers; 404 for everyone else."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    return AccessibilityReport.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation"
    )


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
    form = AccessibilityReportForm(
        request.POST or None,
        user=request.user,
        initial={"page_url": request.GET.get("sida", "")[:500] or _page_from_referer(request)},
    )
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, TOO_MANY_REPORTS)
        elif form.is_valid():
            try:
                report_barrier(request.user, **form.cleaned_data)
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
    page = Paginator(reports_for_admin(request.user), 50).get_page(request.GET.get("sida"))
    return render(request, "people/accessibility_reports.html", {"page": page})
