"""A login whose identity provider vouched for a second factor counts as two-step verified
(people.permissions.used_mfa_in_session reads allauth's records of the session)."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import authentication_step_completed
from django.dispatch import receiver

from sso.adapters import REQUEST_MFA_KEY


@receiver(authentication_step_completed)
def record_identity_provider_mfa(sender, request, method, user, **kwargs):
    if method != "socialaccount":
        return
    asserted = getattr(request, REQUEST_MFA_KEY, None)
    if asserted is not None and asserted == (kwargs.get("provider"), kwargs.get("uid")):
        record_authentication(request, user, "mfa", type="idp", provider=kwargs.get("provider"))
