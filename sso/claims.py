"""What an identity provider said about a person, read with the municipality's attribute
names: Entra ID, ADFS and the standard names come preset."""

from dataclasses import dataclass, field

from sso.models import IdentityProvider, Preset, Protocol
from sso.saml_provider import AUTHN_CONTEXTS_KEY

_XMLSOAP = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
_MS = "http://schemas.microsoft.com/"
# Entra ID and ADFS both report a second factor with this method reference (SAML attribute
# authnmethodsreferences, or ADFS's AuthnContext); Entra's OpenID Connect tokens say "mfa" in
# amr (RFC 8176). Swedish eID at LoA 3 (Sambi, Freja, BankID) is two-factor by definition.
_MULTIPLE_AUTHN = f"{_MS}claims/multipleauthn"
_REFEDS_MFA = "https://refeds.org/profile/mfa"
_LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"

PRESETS = {
    (Preset.ENTRA, Protocol.OIDC): {
        "email": "email",
        "name": "name",
        "groups": "groups",
        "mfa": ("mfa",),
    },
    (Preset.ENTRA, Protocol.SAML): {
        "email": f"{_XMLSOAP}emailaddress",
        "name": f"{_MS}identity/claims/displayname",
        "groups": f"{_MS}ws/2008/06/identity/claims/groups",
        "mfa": (_MULTIPLE_AUTHN,),
    },
    (Preset.ADFS, Protocol.OIDC): {
        "email": "email",
        "name": "unique_name",
        "groups": "group",
        "mfa": ("mfa", _MULTIPLE_AUTHN),
    },
    (Preset.ADFS, Protocol.SAML): {
        "email": f"{_XMLSOAP}emailaddress",
        "name": f"{_XMLSOAP}name",
        "groups": "http://schemas.xmlsoap.org/claims/Group",
        "mfa": (_MULTIPLE_AUTHN,),
    },
    (Preset.STANDARD, Protocol.OIDC): {
        "email": "email",
        "name": "name",
        "groups": "groups",
        "mfa": ("mfa",),
    },
    (Preset.STANDARD, Protocol.SAML): {
        "email": "urn:oid:0.9.2342.19200300.100.1.3",
        "name": "urn:oid:2.16.840.1.113730.3.1.241",
        "groups": "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",
        "mfa": (_REFEDS_MFA, _LOA3),
    },
}
# SAML attributes that carry the authentication methods used (Entra ID and ADFS send this one
# in the attribute statement); allauth keeps the attributes, not the AuthnContext element.
SAML_METHOD_ATTRIBUTES = (f"{_MS}claims/authnmethodsreferences",)


@dataclass(frozen=True)
class Claims:
    email: str
    name: str
    email_verified: bool | None
    groups: tuple[str, ...] = ()
    methods: tuple[str, ...] = field(default=())


def names_for(idp: IdentityProvider) -> dict:
    preset = PRESETS[(Preset(idp.preset), Protocol(idp.protocol))]
    mfa = tuple(v.strip() for v in idp.mfa_values.split(",") if v.strip()) or preset["mfa"]
    return {
        "email": idp.email_attribute or preset["email"],
        "name": idp.name_attribute or preset["name"],
        "groups": idp.groups_attribute or preset["groups"],
        "mfa": mfa,
    }


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _first(value) -> str:
    values = _as_list(value)
    return values[0].strip() if values else ""


def _verified(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).lower() in ("true", "1")


def read_claims(idp: IdentityProvider, extra_data: dict) -> Claims:
    """The person as the identity provider described them. OpenID Connect: the userinfo
    answer over the ID token's claims, but the authentication methods (amr) from the ID token
    only, since they describe this login. SAML: the attribute statement (lists of values)."""
    names = names_for(idp)
    if idp.protocol == Protocol.OIDC:
        id_token = extra_data.get("id_token") or {}
        data = {**id_token, **(extra_data.get("userinfo") or {})}
        methods = tuple(_as_list(id_token.get("amr")))
    else:
        data = extra_data
        methods = tuple(
            [m for name in SAML_METHOD_ATTRIBUTES for m in _as_list(data.get(name))]
            + _as_list(data.get(AUTHN_CONTEXTS_KEY))
        )
    return Claims(
        email=_first(data.get(names["email"])).lower(),
        name=_first(data.get(names["name"])),
        email_verified=_verified(data.get("email_verified")),
        groups=tuple(_as_list(data.get(names["groups"]))),
        methods=methods,
    )


def asserted_mfa(idp: IdentityProvider, claims: Claims) -> bool:
    return bool(set(claims.methods) & set(names_for(idp)["mfa"]))
