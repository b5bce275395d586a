"""allauth's SAML provider, keeping one more fact of the response: the authentication
context (AuthnContextClassRef) the identity provider asserted, which says whether the person
used a second factor. Registered through allauth's own hook,
SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]; everything else is allauth's."""

from allauth.socialaccount.providers.saml.provider import SAMLProvider

AUTHN_CONTEXTS_KEY = "_authn_contexts"


class MunicipalSAMLProvider(SAMLProvider):
    # allauth's URLs and views for SAML, unchanged.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data):
        extra = dict(super().extract_extra_data(data))
        extra[AUTHN_CONTEXTS_KEY] = list(data.get_last_authn_contexts() or [])
        return extra


provider_classes = [MunicipalSAMLProvider]
