"""Writes for accessibility reports: store a report and tell someone who can act on it, through
the outbox (a mail server that is down never loses a report or shows the reporter an error)."""

from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core import outbox
from people.accessibility import selectors
from people.emails import build_email
from people.models import AccessibilityReport, Organisation, User


def accessibility_contact() -> str:
    """Where reports without a municipality go: ACCESSIBILITY_CONTACT_EMAIL when set, else the
    address the service sends from."""
    return settings.ACCESSIBILITY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


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
        list(selectors.municipal_admins(report.organisation_id).values_list("pk", flat=True))
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
