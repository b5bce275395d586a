from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Organisation
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
