"""A municipality's own identity provider (identitetstjänst: Entra ID, ADFS, a federation),
the email domains it vouches for, and the people it created just in time."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import Organisation, Unit
from people.validators import validate_no_identity_number


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class Preset(models.TextChoices):
    """Which claim names the identity provider sends (sso.claims.PRESETS)."""

    ENTRA = "entra", _("Microsoft Entra ID")
    ADFS = "adfs", _("ADFS")
    STANDARD = "standard", _("Standardnamn (OpenID Connect / SAML)")


class IdentityProvider(models.Model):
    """One municipality's identity provider. The protocol settings live in allauth's own
    SocialApp (`app`), which sso.services keeps in step with this row; this row holds what
    decides who may land where: the municipality, its email domains and the group mapping."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("kommun"),
    )
    slug = models.SlugField(
        _("inloggningsadress"),
        max_length=50,
        unique=True,
        help_text=_("Kommunens egen inloggningsadress blir /sso/<adress>/."),
    )
    protocol = models.CharField(_("protokoll"), max_length=8, choices=Protocol.choices)
    preset = models.CharField(
        _("attributnamn"), max_length=16, choices=Preset.choices, default=Preset.ENTRA
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="identity_provider",
    )
    # OpenID Connect (the secret lives only in allauth's SocialApp).
    issuer = models.URLField(
        _("utfärdare (issuer)"),
        blank=True,
        help_text=_("Till exempel https://login.microsoftonline.com/<tenant-id>/v2.0"),
    )
    client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    # SAML 2.0: the identity provider's metadata, by address or pasted.
    metadata_url = models.URLField(_("metadataadress"), blank=True)
    metadata_xml = models.TextField(_("metadata (XML)"), blank=True)
    saml_entity_id = models.CharField(
        _("identitetstjänstens entity id"), max_length=400, blank=True
    )
    # Claim / attribute names; empty means the preset's.
    email_attribute = models.CharField(
        _("attribut för e-post"),
        max_length=200,
        blank=True,
        validators=[validate_no_identity_number],
    )
    name_attribute = models.CharField(
        _("attribut för namn"),
        max_length=200,
        blank=True,
        validators=[validate_no_identity_number],
    )
    groups_attribute = models.CharField(
        _("attribut för grupper"),
        max_length=200,
        blank=True,
        validators=[validate_no_identity_number],
    )
    group_roles = models.TextField(
        _("grupper som ger roller"),
        blank=True,
        validators=[validate_no_identity_number],
        help_text=_(
            "En rad per grupp: gruppens namn eller id, likhetstecken, roll. "
            "Till exempel: a1b2c3 = mentor. Första raden som stämmer gäller."
        ),
    )
    mfa_values = models.CharField(
        _("värden som betyder tvåstegsverifiering"),
        max_length=400,
        blank=True,
        validators=[validate_no_identity_number],
        help_text=_(
            "amr-värden (OpenID Connect) eller AuthnContextClassRef (SAML), åtskilda med "
            "kommatecken. Tomt betyder förinställningens värden."
        ),
    )
    default_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet för nya konton"),
        help_text=_(
            "Personer som loggar in första gången utan inbjudan hamnar här tills du har "
            "bekräftat deras enhet och roll."
        ),
    )
    create_accounts = models.BooleanField(
        _("skapa konton vid första inloggningen"),
        default=True,
        help_text=_("Annars kan bara inbjudna personer logga in via identitetstjänsten."),
    )
    allow_idp_initiated = models.BooleanField(
        _("tillåt inloggning som startar hos identitetstjänsten"),
        default=False,
        help_text=_(
            "Gäller SAML. Av som standard: en sådan inloggning kan inte knytas till "
            "en begäran härifrån."
        ),
    )
    enabled = models.BooleanField(_("aktiv"), default=True)
    single_logout = models.BooleanField(
        _("logga ut även hos identitetstjänsten"),
        default=False,
        help_text=_(
            "Den som loggat in via identitetstjänsten och loggar ut här skickas vidare och "
            "loggas ut där också (OpenID Connect: end_session_endpoint; SAML: Single "
            "Logout). Av: utloggningen gäller bara här."
        ),
    )

    class Meta:
        verbose_name = _("identitetstjänst")
        verbose_name_plural = _("identitetstjänster")
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.organisation} ({self.get_protocol_display()})"

    @property
    def provider_id(self) -> str:
        """allauth's name for this provider: the URL segment for OpenID Connect, and the
        key of its SocialAccounts. Distinct per municipality, so two SAML apps never share
        one account namespace (an allauth trap with several SAML apps)."""
        return f"{self.protocol}-{self.slug}"


_DOMAIN = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Skriv en domän, till exempel kommun.se."),
)


class EmailDomain(models.Model):
    """An email domain the municipality's identity provider vouches for. A domain belongs to
    one identity provider only (the unique constraint), so two municipalities never claim the
    same addresses."""

    identity_provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("domän"), max_length=253, unique=True, validators=[_DOMAIN])

    class Meta:
        verbose_name = _("e-postdomän")
        verbose_name_plural = _("e-postdomäner")
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class Arrival(models.Model):
    """A person the identity provider created just in time (without an invitation): they
    start as new hires in the default unit until the municipal admin confirms unit and role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_arrival"
    )
    identity_provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="arrivals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ny via identitetstjänsten")
        verbose_name_plural = _("nya via identitetstjänsten")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.user)


# --------------------------------------------------------------------------------------------
# Provisioning from the municipality's directory (katalogsynk, SCIM 2.0; sso/scim/)
# --------------------------------------------------------------------------------------------
class UnitAttribute(models.TextChoices):
    """Which attribute of the directory's user names the person's unit (enhet); Entra ID and
    ADFS/AD send all of these through the enterprise extension."""

    DEPARTMENT = "department", _("Avdelning (department)")
    DIVISION = "division", _("Division (division)")
    COST_CENTER = "costCenter", _("Kostnadsställe (costCenter)")
    ORGANIZATION = "organization", _("Organisation (organization)")


class DirectorySync(models.Model):
    """How a municipality's directory provisions its staff here over SCIM 2.0: which
    attribute names the unit, where people without one go, and which directory groups give
    which roles."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="directory_sync",
        verbose_name=_("kommun"),
    )
    unit_attribute = models.CharField(
        _("attribut för enhet"),
        max_length=16,
        choices=UnitAttribute.choices,
        default=UnitAttribute.DEPARTMENT,
        help_text=_("Värdet ska vara enhetens namn här, till exempel Barn och unga – utredning."),
    )
    default_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet när katalogen inte anger någon"),
    )
    group_roles = models.TextField(
        _("grupper som ger roller"),
        blank=True,
        validators=[validate_no_identity_number],
        help_text=_(
            "En rad per grupp: gruppens namn eller id, likhetstecken, roll. Första raden som "
            "stämmer gäller. Utan rader gäller grupper som heter som en roll, till exempel "
            "Mentor eller mentor."
        ),
    )

    class Meta:
        verbose_name = _("katalogsynk")
        verbose_name_plural = _("katalogsynk")

    def __str__(self):
        return str(self.organisation)


class ScimToken(models.Model):
    """A bearer token the municipality's directory uses for SCIM. Only its SHA-256 is
    stored: the token itself is shown once, to the admin who created it. It acts with that
    admin's rights, and stops working when they are no longer the municipality's admin."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_tokens"
    )
    label = models.CharField(
        _("benämning"), max_length=100, validators=[validate_no_identity_number]
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, validators=[validate_no_identity_number]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM-nyckel")
        verbose_name_plural = _("SCIM-nycklar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DirectoryAccount(models.Model):
    """A person as the municipality's directory knows them: its own id (externalId), and
    whether it has deleted them (then SCIM no longer shows them; the account is deactivated,
    every record stays)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directory_accounts"
    )
    external_id = models.CharField(
        max_length=255, blank=True, validators=[validate_no_identity_number]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("konto från katalogen")
        verbose_name_plural = _("konton från katalogen")

    def __str__(self):
        return str(self.user)


class DirectoryGroup(models.Model):
    """A group the municipality's directory keeps here; its members get the role the
    group maps to (DirectorySync.group_roles)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directory_groups"
    )
    display_name = models.CharField(
        _("namn"), max_length=255, validators=[validate_no_identity_number]
    )
    external_id = models.CharField(
        max_length=255, blank=True, validators=[validate_no_identity_number]
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="directory_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grupp från katalogen")
        verbose_name_plural = _("grupper från katalogen")
        ordering = ["display_name", "pk"]

    def __str__(self):
        return self.display_name
