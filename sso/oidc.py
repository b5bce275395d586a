"""allauth's OpenID Connect callback, with one change: the ID token's signature is always
checked against the provider's published keys.

allauth skips that check when the token came straight from the token endpoint (OpenID
Connect Core 3.1.3.7 lets TLS stand in for it). We do not: the token's `amr` claim decides
whether the municipality's two-step verification counts as ours (sso.claims), so a token
altered on the way (a proxy that ends TLS, a misconfigured load balancer) must be refused,
not believed. Everything else is allauth's view and adapter."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


@login_not_required
def callback(request, provider_id):
    try:
        view = OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
