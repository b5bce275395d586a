"""Writes for single sign-on: a municipality's identity provider (kept in step with allauth's
SocialApp), and the accounts it signs in or creates just in time."""

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from people import permissions
from people.audit import Choice, record_event
from people.models import UNIT_ROLES, AuditAction, Membership, Role, User
from people.services import add_membership
from sso.claims import Claims
from sso.models import Arrival, EmailDomain, IdentityProvider, Protocol

NOT_YOUR_MUNICIPALITY = _("Du kan bara ställa in inloggning för din egen kommun.")
DOMAIN_TAKEN = _("Domänen %(domain)s hör redan till en annan kommuns identitetstjänst.")
DOMAIN_USED_ELSEWHERE = _(
    "Det finns konton i domänen %(domain)s som hör till en annan kommun, så domänen kan inte "
    "knytas till er identitetstjänst."
)
NEED_DOMAIN = _("Ange minst en e-postdomän.")
NEED_OIDC = _("Ange utfärdare (issuer) och klient-id.")
NEED_SECRET = _("Ange klienthemligheten.")
NEED_METADATA = _("Ange metadataadressen eller klistra in metadata (XML).")
BAD_METADATA = _("Metadata gick inte att läsa: %(problem)s")
BAD_GROUP_LINE = _("Raden ”%(line)s” ska se ut som: grupp = roll (en av %(roles)s).")
NEED_UNIT = _("Välj en enhet för nya konton, eller stäng av att konton skapas vid inloggning.")
UNIT_ELSEWHERE = _("Enheten hör inte till kommunen.")

# Roles a directory group may give. Editors (redaktörer) are national, so no municipality's
# directory may make someone one.
GROUP_ROLES = tuple(role for role in Role if role != Role.EDITOR)


def parse_group_roles(text: str) -> list[tuple[str, str]]:
    """The lines "group = role" in order; a ValidationError names a line that is not one."""
    pairs = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        group, _sep, role = (part.strip() for part in line.rpartition("="))
        if not group or role not in GROUP_ROLES:
            raise ValidationError(
                {
                    "group_roles": BAD_GROUP_LINE
                    % {"line": line[:80], "roles": ", ".join(r.value for r in GROUP_ROLES)}
                }
            )
        pairs.append((group, role))
    return pairs


def _clean_domains(idp: IdentityProvider, domains: list[str]) -> list[str]:
    cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d.strip()})
    if not cleaned:
        raise ValidationError({"domains": NEED_DOMAIN})
    errors = []
    for domain in cleaned:
        candidate = EmailDomain(identity_provider=idp, domain=domain)
        try:
            candidate.full_clean(exclude=["identity_provider", "domain"])
            EmailDomain._meta.get_field("domain").run_validators(domain)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        taken = EmailDomain.objects.filter(domain=domain)
        if idp.pk:
            taken = taken.exclude(identity_provider=idp)
        if taken.exists():
            errors.append(DOMAIN_TAKEN % {"domain": domain})
            continue
        # Claiming a domain whose addresses already work elsewhere would let this
        # municipality's directory assert those people's addresses.
        if (
            Membership.objects.filter(user__email__iendswith=f"@{domain}")
            .exclude(organisation_id=idp.organisation_id)
            .exists()
        ):
            errors.append(DOMAIN_USED_ELSEWHERE % {"domain": domain})
    if errors:
        raise ValidationError({"domains": errors})
    return cleaned


def _saml_idp_settings(idp: IdentityProvider) -> dict:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    if idp.metadata_url:
        return {"entity_id": idp.saml_entity_id or None, "metadata_url": idp.metadata_url}
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(
            idp.metadata_xml, entity_id=idp.saml_entity_id or None
        )["idp"]
        settings = {
            "entity_id": parsed["entityId"],
            "sso_url": parsed["singleSignOnService"]["url"],
            "x509cert": parsed.get("x509cert") or parsed["x509certMulti"]["signing"][0],
        }
    except Exception as error:
        raise ValidationError(
            {"metadata_xml": BAD_METADATA % {"problem": str(error)[:200]}}
        ) from error
    if slo := parsed.get("singleLogoutService", {}).get("url"):
        settings["slo_url"] = slo
    return settings


def _app_fields(idp: IdentityProvider) -> dict:
    if idp.protocol == Protocol.OIDC:
        return {
            "provider": "openid_connect",
            "client_id": idp.client_id,
            "settings": {
                "server_url": idp.issuer,
                "oauth_pkce_enabled": True,
                "scope": ["openid", "profile", "email"],
            },
        }
    return {
        "provider": "saml",
        # allauth's SAML URLs name the app by client_id: /accounts/saml/<client_id>/acs/.
        "client_id": idp.slug,
        "settings": {
            "idp": _saml_idp_settings(idp),
            "attribute_mapping": {"uid": [], "email": []},
            "advanced": {
                # allauth reads this here (advanced), and only here.
                "reject_idp_initiated_sso": not idp.allow_idp_initiated,
                "want_assertion_signed": True,
                "want_message_signed": False,
                "reject_deprecated_algorithm": True,
            },
        },
    }


@transaction.atomic
def save_identity_provider(
    actor: User,
    *,
    idp: IdentityProvider,
    domains: list[str],
    client_secret: str = "",
) -> IdentityProvider:
    """Set up or change a municipality's identity provider (identitetstjänst), its email
    domains and allauth's SocialApp for it, as its municipal admin or the platform operator."""
    if not (
        actor.is_superuser
        or idp.organisation_id in permissions.administered_organisation_ids(actor)
    ):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    idp.full_clean(exclude=["app"])
    errors: dict[str, list] = {}
    if idp.protocol == Protocol.OIDC and not (idp.issuer and idp.client_id):
        errors["issuer"] = [NEED_OIDC]
    if idp.protocol == Protocol.OIDC and not client_secret and not idp.app_id:
        errors["client_secret"] = [NEED_SECRET]
    if idp.protocol == Protocol.SAML and not (idp.metadata_url or idp.metadata_xml.strip()):
        errors["metadata_url"] = [NEED_METADATA]
    if idp.create_accounts and idp.default_unit_id is None:
        errors["default_unit"] = [NEED_UNIT]
    elif idp.default_unit_id and idp.default_unit.organisation_id != idp.organisation_id:
        errors["default_unit"] = [UNIT_ELSEWHERE]
    try:
        parse_group_roles(idp.group_roles)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned_domains = _clean_domains(idp, domains)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    created = idp.app_id is None
    fields = _app_fields(idp)
    app = idp.app or SocialApp()
    app.provider = fields["provider"]
    app.provider_id = idp.provider_id
    app.name = idp.organisation.name
    app.client_id = fields["client_id"]
    app.settings = fields["settings"]
    if client_secret:
        app.secret = client_secret
    app.save()
    idp.app = app
    idp.save()
    idp.domains.exclude(domain__in=cleaned_domains).delete()
    for domain in cleaned_domains:
        EmailDomain.objects.get_or_create(identity_provider=idp, domain=domain)
    record_event(
        actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=idp,
        organisation=idp.organisation_id,
        note=gettext_noop("Identitetstjänst %(protocol)s: %(domains)s"),
        note_values={
            "protocol": Choice("sso.identityprovider", "protocol", idp.protocol),
            "domains": ", ".join(cleaned_domains),
        },
    )
    return idp


def role_for(idp: IdentityProvider, claims: Claims) -> str | None:
    """The role the first matching "group = role" line gives, or None."""
    groups = set(claims.groups)
    for group, role in parse_group_roles(idp.group_roles):
        if group in groups:
            return role
    return None


@transaction.atomic
def provision_arrival(*, idp: IdentityProvider, user: User, claims: Claims) -> Membership:
    """Give a person the identity provider just created their role in its municipality: the
    role of a mapped group, else new hire (nyanställd) in the default unit, pending the
    municipal admin's confirmation of unit and role."""
    role = role_for(idp, claims)
    unit = idp.default_unit if role is None or role in UNIT_ROLES else None
    membership = add_membership(
        None,
        user=user,
        role=role or Role.NEW_HIRE,
        start_date=timezone.localdate(),
        unit=unit,
        organisation=idp.organisation,
    )
    Arrival.objects.create(
        user=user,
        identity_provider=idp,
        confirmed_at=timezone.now() if role is not None else None,
    )
    return membership


@transaction.atomic
def confirm_arrival(actor: User, *, arrival: Arrival) -> Arrival:
    """The municipal admin confirms a person the identity provider created just in time."""
    organisation_id = arrival.identity_provider.organisation_id
    if organisation_id not in permissions.administered_organisation_ids(actor):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    arrival.confirmed_at = timezone.now()
    arrival.full_clean()
    arrival.save(update_fields=["confirmed_at"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=arrival,
        organisation=organisation_id,
        summary="Konto från identitetstjänsten bekräftat",
    )
    return arrival
