import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _

from people import account_emails


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a municipal admin's invitation; public sign-up is closed."""

    # Our own words where allauth's stock Swedish reads oddly ("Epost-adressen och/eller
    # lösenordet är felaktigt"); the keys are allauth's.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "E-postadressen eller lösenordet stämmer inte. Kontrollera stavningen och försök igen."
        ),
        "enter_current_password": _("Skriv ditt nuvarande lösenord."),
        "incorrect_password": _("Lösenordet stämmer inte."),
    }

    def is_open_for_signup(self, request):
        return False

    # allauth's emails go through our outbox, in our words and the reader's language
    # (people.account_emails); allauth would render and send them at once in its own.
    def send_password_reset_mail(self, user, email, context) -> None:
        account_emails.queue(account_emails.RESET_LINK, email=email, user=user)

    def send_confirmation_mail(self, request, emailconfirmation, signup) -> None:
        address = emailconfirmation.email_address
        account_emails.queue(
            account_emails.CONFIRMATION_SIGNUP if signup else account_emails.CONFIRMATION,
            email=address.email,
            user=address.user,
            email_address_id=address.pk,
        )

    def send_account_already_exists_mail(self, email: str) -> None:
        from people.models import User

        user = User.objects.filter(email__iexact=email).first()
        account_emails.queue(account_emails.ACCOUNT_ALREADY_EXISTS, email=email, user=user)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        if not account_settings.EMAIL_NOTIFICATIONS:
            return
        if template_prefix not in account_emails.NOTICES:
            # A notice of a feature we do not use (security keys): allauth's own.
            super().send_notification_mail(template_prefix, user, context, email)
            return
        # An invited person choosing their first password through the invitation's link (a
        # password reset to allauth) has just done it themselves: no "your password was
        # changed" to someone who never had one.
        if template_prefix == "account/email/password_reset" and user.last_login is None:
            return
        email = email or EmailAddress.objects.get_primary_email(user)
        if not email:
            return
        account_emails.queue(
            template_prefix,
            email=email,
            user=user,
            context=account_emails.notice_context(context),
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if template_prefix == account_emails.UNKNOWN_ACCOUNT:
            account_emails.queue(template_prefix, email=email)
            return
        # Only emails of features we have switched off (sign-in and password reset by code)
        # reach here; they would go out at once in allauth's words.
        super().send_mail(template_prefix, email, context)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up two-step verification straight after logging in (which a role that needs
        # it is sent to do): the password typed moments ago proves what a second prompt would,
        # so it is not asked for again; later in the session allauth asks as usual.
        if app == "allauth.mfa" and _password_entered_recently(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self) -> list[str]:
        # Our stage asks for the code unless the municipality's identity provider already
        # vouched for a second factor in this login (people.stages).
        return [
            "people.stages.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]


class MFAAdapter(DefaultMFAAdapter):
    """Roles that must use two-step verification cannot remove their authenticator."""

    # allauth's Swedish says "tvåfaktorsautentisering"; we say tvåstegsverifiering throughout
    # (issue 17). The keys are allauth's; the sweep of every page saw the first of these on the
    # page a mentor opens to turn the app off.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Din roll kräver tvåstegsverifiering, så du kan inte stänga av den."
        ),
        "add_email_blocked": _(
            "Du kan inte lägga till en e-postadress medan tvåstegsverifiering är på."
        ),
        "cannot_generate_recovery_codes": _(
            "Du kan skapa reservkoder först när du har kopplat en app för tvåstegsverifiering."
        ),
        "unverified_email": _(
            "Du kan slå på tvåstegsverifiering först när du har bekräftat din e-postadress."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        from people.permissions import requires_mfa

        return not requires_mfa(authenticator.user)


def _password_entered_recently(request) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    now = time.time()
    return any(
        # A login through the municipality's identity provider proves as much as a password
        # (accounts it created have none).
        record.get("method") in ("password", "socialaccount")
        and now - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)
    )
