from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Unit
from sso.models import DirectorySync, IdentityProvider


class IdentityProviderForm(forms.ModelForm):
    # Required, but checked by the service (sso.services.NEED_DOMAIN) with the other rules, so
    # every problem shows at once.
    domains = forms.CharField(
        required=False,
        label=_("E-postdomäner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "En per rad, till exempel exempelkommun.se. Bara adresser i dessa domäner "
            "kan logga in via identitetstjänsten."
        ),
    )
    client_secret = forms.CharField(
        label=_("Klienthemlighet"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Lämna tomt för att behålla den som är sparad."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "protocol",
            "preset",
            "slug",
            "issuer",
            "client_id",
            "metadata_url",
            "metadata_xml",
            "saml_entity_id",
            "email_attribute",
            "name_attribute",
            "groups_attribute",
            "group_roles",
            "mfa_values",
            "default_unit",
            "create_accounts",
            "allow_idp_initiated",
            "enabled",
            "single_logout",
        ]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = Unit.objects.filter(
            organisation=organisation
        ).select_related("organisation")
        if self.instance.pk:
            self.fields["domains"].initial = "\n".join(
                d.domain for d in self.instance.domains.all()
            )

    def domain_list(self) -> list[str]:
        return self.cleaned_data["domains"].split()


class DirectorySyncForm(forms.ModelForm):
    class Meta:
        model = DirectorySync
        fields = ["unit_attribute", "default_unit", "group_roles"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = Unit.objects.filter(
            organisation=organisation
        ).select_related("organisation")


class ScimTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Benämning"),
        max_length=100,
        help_text=_("Till exempel Entra ID – provisionering."),
    )
