"""Reads for single sign-on."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from people import permissions
from sso.models import Arrival, EmailDomain, IdentityProvider


def identity_provider_for_app(provider_id: str) -> IdentityProvider | None:
    """The enabled identity provider behind allauth's provider id (the SocialAccount's
    provider), or None."""
    return (
        IdentityProvider.objects.select_related("organisation", "default_unit")
        .filter(app__provider_id=provider_id, enabled=True)
        .first()
    )


def identity_provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled identity provider that vouches for this address's domain, or None."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    row = (
        EmailDomain.objects.select_related("identity_provider__organisation")
        .filter(
            domain=domain, identity_provider__enabled=True, identity_provider__app__isnull=False
        )
        .first()
    )
    return row.identity_provider if row else None


def get_login_provider(*, slug: str) -> IdentityProvider:
    """The municipality's own login page: 404 for an unknown or switched-off slug."""
    idp = (
        IdentityProvider.objects.select_related("organisation", "app")
        .filter(slug=slug, enabled=True, app__isnull=False)
        .first()
    )
    if idp is None:
        raise Http404
    return idp


def pending_arrivals_for(user) -> QuerySet[Arrival]:
    """People created just in time in the admin's municipalities, not yet confirmed."""
    return (
        Arrival.objects.filter(
            identity_provider__organisation_id__in=permissions.administered_organisation_ids(user),
            confirmed_at__isnull=True,
        )
        .select_related("user", "identity_provider__organisation")
        .order_by("created_at")
    )


def provider_login_url(idp: IdentityProvider) -> str:
    """allauth's URL that starts a login with this identity provider (POST)."""
    from django.urls import reverse

    if idp.protocol == "oidc":
        return reverse("openid_connect_login", kwargs={"provider_id": idp.provider_id})
    return reverse("saml_login", kwargs={"organization_slug": idp.slug})


def administered_identity_provider(user) -> tuple:
    """(municipality, its identity provider or None) for a municipal admin's settings page;
    404 for anyone who administers no municipality."""
    from people.models import Organisation

    ids = sorted(permissions.administered_organisation_ids(user))
    if not ids:
        raise Http404
    organisation = Organisation.objects.get(pk=ids[0])
    idp = (
        IdentityProvider.objects.select_related("app", "default_unit")
        .prefetch_related("domains")
        .filter(organisation=organisation)
        .first()
    )
    return organisation, idp


def get_pending_arrival_for(user, *, pk: int) -> Arrival:
    arrival = pending_arrivals_for(user).filter(pk=pk).first()
    if arrival is None:
        raise Http404
    return arrival


def administered_directory(user) -> tuple:
    """(municipality, its directory settings or None, its tokens) for a municipal admin's
    directory page; 404 for anyone who administers no municipality."""
    from people.models import Organisation
    from sso.models import DirectorySync, ScimToken

    ids = sorted(permissions.administered_organisation_ids(user))
    if not ids:
        raise Http404
    organisation = Organisation.objects.get(pk=ids[0])
    sync = (
        DirectorySync.objects.select_related("default_unit")
        .filter(organisation=organisation)
        .first()
    )
    tokens = list(ScimToken.objects.filter(organisation=organisation).select_related("created_by"))
    return organisation, sync, tokens


def get_token_for_admin(user, *, pk: int):
    from sso.models import ScimToken

    token = ScimToken.objects.filter(
        pk=pk, organisation_id__in=permissions.administered_organisation_ids(user)
    ).first()
    if token is None:
        raise Http404
    return token


@dataclass(frozen=True)
class SignInRow:
    """One municipality on the operator's overview; `idp` is None without an identity
    provider."""

    organisation: object
    idp: IdentityProvider | None
    domains: tuple[str, ...]
    active_tokens: int
    last_scim_call: object
    last_sso_login: object

    @property
    def has_idp(self) -> bool:
        return self.idp is not None


def sign_in_overview(user) -> list[SignInRow]:
    """The platform operator's overview (plattformsansvarig, a superuser): every
    municipality's sign-in configuration, its active SCIM tokens, the directory's last call
    and the last login through its identity provider. 404 for everyone else; two queries,
    whatever the number of municipalities."""
    from allauth.socialaccount.models import SocialAccount
    from django.db.models import Count, F, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from people.models import Organisation
    from sso.models import ScimToken

    if not (user.is_authenticated and user.is_superuser):
        raise Http404
    last_login = (
        SocialAccount.objects.filter(provider=OuterRef("identity_provider__app__provider_id"))
        .order_by(F("last_login").desc(nulls_last=True))
        .values("last_login")[:1]
    )
    tokens = ScimToken.objects.filter(organisation=OuterRef("pk"))
    active = (
        tokens.filter(revoked_at__isnull=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_scim = tokens.order_by(F("last_used_at").desc(nulls_last=True)).values("last_used_at")[:1]
    organisations = (
        Organisation.objects.select_related("identity_provider")
        .annotate(
            active_tokens=Coalesce(Subquery(active, output_field=IntegerField()), 0),
            last_scim_call=Subquery(last_scim),
            last_sso_login=Subquery(last_login),
        )
        .order_by("name")
    )
    domains: dict[int, list[str]] = {}
    for organisation_id, domain in EmailDomain.objects.order_by("domain").values_list(
        "identity_provider__organisation_id", "domain"
    ):
        domains.setdefault(organisation_id, []).append(domain)
    rows = []
    for organisation in organisations:
        idp = getattr(organisation, "identity_provider", None)
        rows.append(
            SignInRow(
                organisation=organisation,
                idp=idp,
                domains=tuple(domains.get(organisation.pk, ())),
                active_tokens=organisation.active_tokens,
                last_scim_call=organisation.last_scim_call,
                last_sso_login=organisation.last_sso_login,
            )
        )
    return rows
