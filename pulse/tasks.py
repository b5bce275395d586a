"""The pulse's invitation email (an outbox handler) and its daily Celery task."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.tasks import RETRY
from people.emails import build_email
from pulse.models import PulseInvitation


@outbox.handler
def invitation_email(invitation_id: int):
    """Invite a person to answer the pulse, in their language. Nothing once they have answered
    or the round has closed (the delivery may come after either)."""
    invitation = (
        PulseInvitation.objects.filter(pk=invitation_id, person__is_active=True)
        .select_related("round", "person")
        .first()
    )
    if invitation is None or invitation.answered_at is not None:
        return None
    if not invitation.round.is_open_on(timezone.localdate()):
        return None
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('pulse:answer', args=[invitation.token])}"
    context = {
        "recipient": invitation.person,
        "url": url,
        "last_day": invitation.round.last_day,
        "months": invitation.months,
    }
    return build_email("pulse/email/invitation", to=invitation.person, context=context)


@shared_task(**RETRY)
def pulse_rounds() -> dict:
    """Daily (Celery beat): close the rounds that are due and open today's, with their
    invitations in the outbox."""
    # Imported here: services imports this module for its outbox handler.
    from pulse import services

    return services.run_daily()
