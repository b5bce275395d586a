import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa import stages

# A record of the identity provider's second factor counts for the login being completed,
# which allauth finishes within the same request; an older one is from another login.
_IDP_MFA_FRESH_SECONDS = 60


class AuthenticateStage(stages.AuthenticateStage):
    """allauth's two-step stage, skipped when the municipality's identity provider asserted a
    second factor in this very login (sso records it as an "mfa" step of type "idp")."""

    def _should_handle(self, request) -> bool:
        if self.login.user is not None and _idp_vouched_for_mfa(request, self.login.user):
            return False
        return super()._should_handle(request)


def _idp_vouched_for_mfa(request, user) -> bool:
    now = time.time()
    return any(
        record.get("method") == "mfa"
        and record.get("type") == "idp"
        and now - record.get("at", 0) < _IDP_MFA_FRESH_SECONDS
        for record in get_authentication_records(request, user)
    )
