"""Single logout (enkel utloggning), when the municipality switched it on for its identity
provider: a person who signed in through it and logs out here is sent on to log out there
too. OpenID Connect: RP-initiated logout at the provider's end_session_endpoint; SAML: a
LogoutRequest built by python3-saml through allauth's own SAML setup, answered at allauth's
SLS endpoint. Off, unknown or unreachable: the logout stays local, as without single sign-on."""

import logging
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.urls import reverse

from sso import selectors
from sso.models import IdentityProvider, Protocol

logger = logging.getLogger(__name__)


def _signed_in_through(request) -> tuple[IdentityProvider, str] | None:
    """The identity provider and account id of the session's sign-in, when it was one."""
    records = get_authentication_records(request, getattr(request, "user", None))
    social = [r for r in records if r.get("method") == "socialaccount" and r.get("provider")]
    if not social:
        return None
    idp = selectors.identity_provider_for_app(social[-1]["provider"])
    return (idp, str(social[-1].get("uid", ""))) if idp is not None else None


def _oidc_url(request, idp: IdentityProvider, back: str) -> str | None:
    from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

    endpoint = OpenIDConnectOAuth2Adapter(request, idp.provider_id).openid_config.get(
        "end_session_endpoint"
    )
    if not endpoint:
        return None
    # client_id instead of id_token_hint (RP-Initiated Logout 1.0, section 2): we keep no
    # tokens (SOCIALACCOUNT_STORE_TOKENS is off).
    query = urlencode({"client_id": idp.client_id, "post_logout_redirect_uri": back})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _saml_url(request, idp: IdentityProvider, uid: str, back: str) -> str | None:
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.providers.saml.utils import build_auth

    provider = get_adapter(request).get_provider(request, provider="saml", client_id=idp.slug)
    auth = build_auth(request, provider)
    if not auth.get_settings().get_idp_slo_url():
        return None
    return auth.logout(return_to=back, name_id=uid)


def single_logout_url(request) -> str | None:
    """Where to send a person who logs out, so their identity provider logs them out too; None
    when the logout stays local."""
    found = _signed_in_through(request)
    if found is None or not found[0].single_logout:
        return None
    idp, uid = found
    back = request.build_absolute_uri(reverse("account_login"))
    try:
        if idp.protocol == Protocol.OIDC:
            return _oidc_url(request, idp, back)
        return _saml_url(request, idp, uid, back)
    except Exception as error:
        # Their provider being down must never keep anyone logged in here.
        logger.warning(
            "Single logout unavailable (organisation %s): %r", idp.organisation_id, error
        )
        return None
