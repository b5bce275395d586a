"""The form that reports an accessibility barrier."""

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Organisation
from people.validators import validate_no_identity_number


class AccessibilityReportForm(forms.Form):
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Vad försökte du göra, och vad hindrade dig? Skriv aldrig uppgifter om klienter."
        ),
        error_messages={"required": _("Beskriv problemet du stötte på.")},
        validators=[validate_no_identity_number],
    )
    page_url = forms.CharField(
        label=_("Sida där problemet finns"),
        max_length=500,
        required=False,
        help_text=_("Adressen eller namnet på sidan, till exempel /min-introduktion/."),
        validators=[validate_no_identity_number],
    )
    organisation = forms.ModelChoiceField(
        label=_("Din kommun"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Vet inte eller vill inte ange"),
        help_text=_("Då når rapporten din kommuns administratör direkt."),
    )
    name = forms.CharField(
        label=_("Ditt namn"),
        max_length=200,
        required=False,
        validators=[validate_no_identity_number],
    )
    email = forms.EmailField(
        label=_("Din e-postadress"),
        required=False,
        help_text=_("Om du vill ha svar."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # A logged-in person's report goes to their own municipality; we know who they are.
            for field in ("organisation", "name", "email"):
                del self.fields[field]
