from django import forms
from django.utils.translation import gettext_lazy as _

from people.validators import validate_no_identity_number
from pulse.models import SCALE, Question

PICK_ONE = _("Välj ett svar mellan 1 och 5.")
SCALE_CHOICES = [(value, str(value)) for value in range(SCALE[0], SCALE[1] + 1)]


class PulseForm(forms.Form):
    """The three questions (1 = stämmer inte alls, 5 = stämmer helt) and a free comment."""

    workload = forms.TypedChoiceField(
        label=Question.WORKLOAD.label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": PICK_ONE, "invalid_choice": PICK_ONE},
    )
    support = forms.TypedChoiceField(
        label=Question.SUPPORT.label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": PICK_ONE, "invalid_choice": PICK_ONE},
    )
    stay = forms.TypedChoiceField(
        label=Question.STAY.label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": PICK_ONE, "invalid_choice": PICK_ONE},
    )
    comment = forms.CharField(
        label=_("Vill du säga något mer?"),
        help_text=_(
            "Läses bara av kommunens administratör, tillsammans med minst fyra andras svar. "
            "Skriv inte namn eller personnummer."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_identity_number],
    )
