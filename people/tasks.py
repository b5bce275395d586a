import datetime

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from people.emails import build_email
from people.models import SubmittedForm, User


def invitation_url(user: User) -> str:
    """The link that lets an invited person choose a password (allauth's reset-from-key page)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(user_id: int) -> None:
    """Send the invitation email (inbjudan) with the link to set a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return
    membership = user.memberships.select_related("organisation", "unit").first()
    context = {"user": user, "membership": membership, "url": invitation_url(user)}
    build_email("people/email/invitation", to=user, context=context).send()


@shared_task(acks_late=True)
def purge_submitted_forms() -> int:
    """Forget double-submit keys older than a day; a page that old is reloaded anyway."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    deleted, _rows = SubmittedForm.objects.filter(created_at__lt=cutoff).delete()
    return deleted
