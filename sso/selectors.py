"""Reads for single sign-on."""

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
