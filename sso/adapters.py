"""allauth's social account adapter for municipalities' identity providers: it decides which
account a login from an identity provider reaches, and never one outside its municipality."""

import logging

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from people.adapters import InvitationOnlyAccountAdapter
from people.models import User
from people.permissions import NATIONAL_ROLES
from people.validators import validate_no_identity_number
from sso import selectors, services
from sso.claims import Claims, asserted_mfa, read_claims
from sso.models import IdentityProvider

logger = logging.getLogger(__name__)

UNKNOWN_PROVIDER = _("Inloggningen kom från en identitetstjänst som inte är inställd här.")
LOGIN_ONLY = _("Ett konto hos identitetstjänsten kan bara användas för att logga in.")
NO_EMAIL = _("Identitetstjänsten skickade ingen e-postadress, så vi vet inte vem du är.")
WRONG_DOMAIN = _(
    "Identitetstjänsten skickade en e-postadress som inte hör till kommunen. Kontakta din "
    "kommunadministratör."
)
UNVERIFIED = _("Identitetstjänsten har inte bekräftat din e-postadress.")
NOT_THIS_MUNICIPALITY = _(
    "Ditt konto kan inte loggas in via den här kommunens identitetstjänst. Logga in med "
    "e-post och lösenord."
)
NOT_INVITED = _("Du har inget konto här än. Be din kommunadministratör att bjuda in dig.")

# allauth passes this between pre_social_login and the authentication record of the same
# request (sso.signals), so a second factor the identity provider vouched for is recorded.
REQUEST_MFA_KEY = "_sso_asserted_mfa"


def refuse(request, message) -> None:
    raise ImmediateHttpResponse(
        render(request, "sso/refused.html", {"message": message}, status=403)
    )


def may_sign_in_through(user: User, idp: IdentityProvider) -> bool:
    """An account the municipality's identity provider may sign in: active, in that
    municipality only, and no superuser, Django staff or national editor (their accounts are
    not the municipality's to vouch for)."""
    if not user.is_active or user.is_superuser or user.is_staff:
        return False
    memberships = list(user.memberships.values_list("organisation_id", "role"))
    return bool(memberships) and all(
        organisation_id == idp.organisation_id and role not in NATIONAL_ROLES
        for organisation_id, role in memberships
    )


class MunicipalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        # A switched-off identity provider answers as if it did not exist (a 404).
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        enabled = set(
            IdentityProvider.objects.filter(
                app__in=[a.pk for a in apps if a.pk], enabled=True
            ).values_list("app_id", flat=True)
        )
        return [app for app in apps if app.pk in enabled]

    def pre_social_login(self, request, sociallogin):
        idp = selectors.identity_provider_for_app(sociallogin.account.provider)
        if idp is None:
            refuse(request, UNKNOWN_PROVIDER)
        # Only logins: connecting an identity provider's account to whoever is logged in
        # (allauth's "connect" process) would skip the checks below.
        if sociallogin.state.get("process") not in (None, AuthProcess.LOGIN):
            refuse(request, LOGIN_ONLY)
        claims = read_claims(idp, sociallogin.account.extra_data)
        self._check(request, idp, claims, sociallogin)
        # The identity provider vouches for the addresses of its domains.
        sociallogin.email_addresses = [
            EmailAddress(email=claims.email, verified=True, primary=True)
        ]
        if asserted_mfa(idp, claims):
            setattr(
                request,
                REQUEST_MFA_KEY,
                (sociallogin.account.provider, sociallogin.account.uid),
            )

    def _check(self, request, idp: IdentityProvider, claims: Claims, sociallogin) -> None:
        where = idp.organisation_id
        if not claims.email or "@" not in claims.email:
            logger.warning("SSO login refused (organisation %s): no email", where)
            refuse(request, NO_EMAIL)
        domain = claims.email.rpartition("@")[2]
        if not idp.domains.filter(domain=domain).exists():
            logger.warning("SSO login refused (organisation %s): foreign domain", where)
            refuse(request, WRONG_DOMAIN)
        if claims.email_verified is False:
            refuse(request, UNVERIFIED)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = User.objects.filter(email__iexact=claims.email).first()
        if user is not None:
            if not may_sign_in_through(user, idp):
                logger.warning("SSO login refused (organisation %s): account elsewhere", where)
                refuse(request, NOT_THIS_MUNICIPALITY)
            if not sociallogin.is_existing:
                sociallogin.connect(request, user)
            return
        if not idp.create_accounts or idp.default_unit_id is None:
            refuse(request, NOT_INVITED)

    def is_open_for_signup(self, request, sociallogin):
        # Reached only after pre_social_login let a just-in-time account through.
        return True

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        idp = selectors.identity_provider_for_app(sociallogin.account.provider)
        claims = read_claims(idp, sociallogin.account.extra_data)
        user = sociallogin.user
        user.email = claims.email
        name = claims.name[:200]
        try:
            validate_no_identity_number(name)
        except ValidationError:  # a name with a personnummer is not stored
            name = ""
        user.full_name = name
        user.set_unusable_password()
        return user

    @transaction.atomic
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        idp = selectors.identity_provider_for_app(sociallogin.account.provider)
        services.provision_arrival(
            idp=idp, user=user, claims=read_claims(idp, sociallogin.account.extra_data)
        )
        return user


class MunicipalAccountAdapter(InvitationOnlyAccountAdapter):
    """people's account adapter, plus single logout: allauth asks for the address to go to
    after logging out before it ends the session, which is when we still know how the person
    signed in."""

    def get_logout_redirect_url(self, request):
        from sso.logout import single_logout_url

        return single_logout_url(request) or super().get_logout_redirect_url(request)
