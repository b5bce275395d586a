from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from people.models import FollowUpAssignment, FollowUpLevel, Organisation
from people.validators import validate_no_identity_number


class CooperationGroupForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"), max_length=120, validators=[validate_no_identity_number]
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Kommuner"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Små kommuner som följs upp tillsammans. En kommun kan ingå i en grupp."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            pk__in=[m.pk for m in municipalities]
        ).order_by("name")


class CountySetupForm(forms.Form):
    """The platform operator's changes to one county: municipalities to move into it, people
    to make its coordinators (by email), and coordinators to remove."""

    move = forms.ModelMultipleChoiceField(
        label=_("Flytta hit kommuner"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Kommunen följs därefter upp i det här länet, och lämnar en samverkansgrupp i "
            "sitt gamla län."
        ),
    )
    appoint = forms.CharField(
        label=_("Nya länssamordnare (e-postadresser)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_identity_number],
        help_text=_("En eller flera, åtskilda med kommatecken. Personen behöver ett konto."),
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Ta bort länssamordnare"),
        queryset=FollowUpAssignment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].queryset = (
            Organisation.objects.exclude(county_area=county)
            .select_related("county_area")
            .order_by("name")
        )
        self.fields["move"].label_from_instance = _municipality_label
        self.fields["remove"].queryset = (
            FollowUpAssignment.objects.filter(county=county, level=FollowUpLevel.COUNTY)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["remove"].label_from_instance = _coordinator_label
        if not self.fields["remove"].queryset.exists():
            del self.fields["remove"]

    def clean_appoint(self) -> list[str]:
        emails = [e.strip() for e in self.cleaned_data["appoint"].replace("\n", ",").split(",")]
        emails = [e for e in emails if e]
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(NOT_AN_EMAIL % {"email": email}) from None
        return emails


NOT_AN_EMAIL = _("”%(email)s” är inte en e-postadress.")
IN_COUNTY = _("%(name)s (nu i %(county)s)")
NO_COUNTY = _("%(name)s (inget län)")


def _municipality_label(organisation) -> str:
    if organisation.county_area_id:
        return IN_COUNTY % {"name": organisation.name, "county": organisation.county_area.name}
    return NO_COUNTY % {"name": organisation.name}


def _coordinator_label(assignment) -> str:
    return f"{assignment.user.get_full_name()} ({assignment.user.email})"
