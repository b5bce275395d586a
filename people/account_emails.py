"""allauth's emails (a new password, confirming an address, notices of changes to the account)
in our words and the reader's language, through the outbox like every other email.

allauth renders and sends at once, inside the request; we write an outbox row instead and
render when it is delivered. The row holds no secret: the links in a password reset and an
address confirmation are made again at delivery (both keys are derived from the account, as
the invitation's is), so a database reader finds no working link in the outbox."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import outbox
from people.models import User

RESET_LINK = "account/email/password_reset_key"
UNKNOWN_ACCOUNT = "account/email/unknown_account"
ACCOUNT_ALREADY_EXISTS = "account/email/account_already_exists"
CONFIRMATION = "account/email/email_confirmation"
CONFIRMATION_SIGNUP = "account/email/email_confirmation_signup"
# The notices allauth sends with ACCOUNT_EMAIL_NOTIFICATIONS for the kinds of sign-in we use
# (MFA_SUPPORTED_TYPES, the municipalities' identity providers).
NOTICES = frozenset(
    {
        "account/email/password_changed",
        "account/email/password_set",
        "account/email/password_reset",
        "account/email/email_changed",
        "account/email/email_deleted",
        "mfa/email/totp_activated",
        "mfa/email/totp_deactivated",
        "mfa/email/recovery_codes_generated",
        "socialaccount/email/account_connected",
        "socialaccount/email/account_disconnected",
    }
)
TEMPLATES = frozenset(
    {RESET_LINK, UNKNOWN_ACCOUNT, ACCOUNT_ALREADY_EXISTS, CONFIRMATION, CONFIRMATION_SIGNUP}
    | NOTICES
)
# The few plain values of allauth's notice context our texts use (no IP address or browser:
# the time is enough for the person to recognise the change, and the outbox keeps less).
NOTICE_VALUES = ("from_email", "to_email", "deleted_email")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def queue(
    template: str,
    *,
    email: str,
    user: User | None = None,
    context: dict | None = None,
    email_address_id: int | None = None,
) -> None:
    """Write the outbox row for one of allauth's emails (in the caller's transaction)."""
    from people.tasks import account_email

    if template not in TEMPLATES:
        raise ValueError(f"{template} is not one of allauth's emails we write")
    organisation_id = None
    if user is not None and user.pk:
        organisation_id = user.memberships.values_list("organisation_id", flat=True).first()
    outbox.enqueue(
        account_email,
        args={
            "template": template,
            "email": email,
            "user_id": user.pk if user is not None else None,
            # Someone without an account reads the language of the page they asked from.
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "context": context or {},
            "email_address_id": email_address_id,
        },
        recipient_id=user.pk if user is not None else None,
        organisation_id=organisation_id,
    )


def notice_context(context: dict | None) -> dict:
    """The JSON-safe part of allauth's context for a notice, and when it happened."""
    context = context or {}
    values = {key: str(context[key]) for key in NOTICE_VALUES if key in context}
    provider = context.get("provider")
    if provider is not None:
        app = getattr(provider, "app", None)
        values["provider"] = str(getattr(app, "name", "") or provider.name)
    values["at"] = timezone.now().isoformat()
    return values


def build(
    *,
    template: str,
    email: str,
    user_id: int | None,
    language: str,
    context: dict,
    email_address_id: int | None,
) -> EmailMultiAlternatives | None:
    """The email, rendered now in the reader's language; None when it no longer applies (the
    account was closed, the address confirmed or removed meanwhile)."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from people.tasks import invitation_url

    if template not in TEMPLATES:
        raise ValueError(f"{template} is not one of allauth's emails we write")
    user = None
    if user_id is not None:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return None
        language = user.preferred_language
    context = {
        **context,
        "user": user,
        "email": email,
        "login_url": _absolute(reverse("account_login")),
        "reset_url": _absolute(reverse("account_reset_password")),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
    }
    if "at" in context:
        context["at"] = datetime.datetime.fromisoformat(context["at"])
    if template == RESET_LINK:
        if user is None:
            return None
        context["url"] = invitation_url(user)
    elif template in (CONFIRMATION, CONFIRMATION_SIGNUP):
        address = EmailAddress.objects.filter(
            pk=email_address_id, user__is_active=True, verified=False
        ).first()
        if address is None:
            return None
        key = EmailConfirmationHMAC(address).key
        context["url"] = _absolute(reverse("account_confirm_email", args=[key]))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context).strip() + "\n"
        html = render_to_string(f"{template}_message.html", context)
    message = EmailMultiAlternatives(subject, text, to=[email])
    message.attach_alternative(html, "text/html")
    return message
