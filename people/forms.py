from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from people.models import UNIT_ROLES, Role, Unit, User
from people.validators import validate_no_identity_number


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form, the user's input kept: a ValidationError at its
    field when the form has one, else above the form; a PermissionDenied above the form. The
    one way every view puts a service error on a form."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Namn"), max_length=200, validators=[validate_no_identity_number]
    )
    email = forms.EmailField(label=_("E-postadress"))
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    role = forms.ChoiceField(
        label=_("Roll"), choices=[(r.value, r.label) for r in Role if r in UNIT_ROLES]
    )
    start_date = forms.DateField(
        label=_("Startdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].initial = Role.NEW_HIRE


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "receives_digest"]


class InvitationCSVForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "En rad per person med kolumnerna e-post, namn, enhet, roll och startdatum "
            "(ÅÅÅÅ-MM-DD). Semikolon eller komma som avgränsare."
        ),
    )
