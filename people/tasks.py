import datetime

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import outbox
from people.emails import build_email
from people.models import Organisation, SubmittedForm, User


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


@outbox.handler
def invitation_email(user_id: int):
    """The invitation email (inbjudan) with the link to set a password; nothing once the
    person has chosen one (a late retry must not send a fresh link to an active account)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    membership = user.memberships.select_related("organisation", "unit").first()
    context = {"user": user, "membership": membership, "url": invitation_url(user)}
    return build_email("people/email/invitation", to=user, context=context)


@outbox.handler
def existing_account_email(user_id: int, organisation_id: int):
    """Tell a person with an account that a municipality tried to invite their address: the
    admin who tried is not told the account exists (it may belong to another municipality)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if user is None or organisation is None:
        return None
    context = {
        "user": user,
        "organisation": organisation,
        "login_url": f"{settings.SITE_URL.rstrip('/')}{reverse('account_login')}",
    }
    return build_email("people/email/invitation_existing", to=user, context=context)


@outbox.handler
def account_email(
    template: str,
    email: str,
    user_id: int | None = None,
    language: str = "",
    context: dict | None = None,
    email_address_id: int | None = None,
):
    """One of allauth's emails (people.account_emails), rendered at delivery."""
    from people import account_emails

    return account_emails.build(
        template=template,
        email=email,
        user_id=user_id,
        language=language,
        context=context or {},
        email_address_id=email_address_id,
    )


@shared_task(acks_late=True)
def purge_submitted_forms() -> int:
    """Forget double-submit keys older than a day; a page that old is reloaded anyway."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    deleted, _rows = SubmittedForm.objects.filter(created_at__lt=cutoff).delete()
    return deleted
