"""Safety's emails (outbox handlers)."""

from django.conf import settings
from django.urls import reverse

from core import outbox
from people.emails import build_email
from people.models import User
from safety.models import SafetyCheck
from safety.rules import assessment_of


@outbox.handler
def check_told_email(check_id: int, user_id: int):
    """Tell a first-year person's manager or mentor that a safety check said "two together" or
    stricter, so that someone talks with them before the visit. No address, no client: the
    date, the kind of place, the recommendation and its reasons."""
    check = SafetyCheck.objects.filter(pk=check_id).select_related("person", "case").first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if check is None or recipient is None:
        return None
    assessment = assessment_of(check)
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('safety:check', args=[check.pk])}"
    context = {
        "recipient": recipient,
        "check": check,
        "person": check.person,
        "reasons": assessment.reasons,
        "url": url,
    }
    return build_email("safety/email/check_told", to=recipient, context=context)
