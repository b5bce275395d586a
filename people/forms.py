from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, DateInput
from people.models import UNIT_ROLES, Role, StaffStatus, Unit, User
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


def service_error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """A service's refusal as the list of sentences to show."""
    return list(getattr(error, "messages", [str(error)]))


def message_service_error(request, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal as one error message on the next page, for actions without a
    form to show it on (a button that posts and redirects)."""
    from django.contrib import messages

    messages.error(request, " ".join(service_error_messages(error)))


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Namn"), max_length=200, validators=[validate_no_identity_number]
    )
    email = forms.EmailField(label=_("E-postadress"))
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    role = forms.ChoiceField(
        label=_("Roll"), choices=[(r.value, r.label) for r in Role if r in UNIT_ROLES]
    )
    start_date = DateField(label=_("Startdatum"), widget=DateInput())

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


class StaffFilterForm(forms.Form):
    """Search and filter on the staff list (Personal); read from the query string."""

    q = forms.CharField(label=_("Sök namn eller e-post"), required=False, max_length=100)
    enhet = forms.ModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    roll = forms.ChoiceField(label=_("Roll"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = units
        self.fields["roll"].choices = [("", _("Alla")), *Role.choices]
        self.fields["status"].choices = [("", _("Alla")), *StaffStatus.choices]

    def filters(self) -> dict:
        """The valid filters only: a bad value in one field never hides the whole list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": (data.get("q") or "").strip(),
            "unit": data.get("enhet"),
            "role": data.get("roll") or "",
            "status": data.get("status") or "",
        }


class MembershipForm(forms.Form):
    """A person's role, unit and start date, as the municipal admin changes them."""

    role = forms.ChoiceField(label=_("Roll"))
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Lämna tomt för roller som gäller hela kommunen."),
    )
    start_date = DateField(label=_("Startdatum"), widget=DateInput())

    def __init__(self, *args, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class OpenWorkForm(forms.Form):
    """Hand over or close one piece of a leaver's open work."""

    REASSIGN, CLOSE = "overlamna", "avsluta"
    CONFIRMED = "ja"

    item = forms.RegexField(regex=r"^[a-z_]{1,40}:\d{1,12}$", widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(REASSIGN, REASSIGN), (CLOSE, CLOSE)])
    to = forms.TypedChoiceField(label=_("Till"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "–"), *candidates]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REASSIGN and not data.get("to"):
            self.add_error("to", CHOOSE_SOMEONE)
        return data


CHOOSE_SOMEONE = _("Välj vem som ska ta över.")


BAD_DATE = _("Skriv datumet som år-månad-dag, till exempel 2026-03-31.")
DATES_REVERSED = _("Från-datumet ligger efter till-datumet. Byt plats på dem eller ändra ett.")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from people.audit import person_name

        return person_name(obj, obj.pk)


class AuditFilterForm(forms.Form):
    """Filters on the audit log (granskningslogg), read from the query string."""

    person = PersonChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Alla")
    )
    typ = forms.ChoiceField(label=_("Posttyp"), required=False)
    handelse = forms.ChoiceField(label=_("Händelse"), required=False)
    fran = DateField(
        label=_("Från och med"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=DateInput(),
    )
    till = DateField(
        label=_("Till och med"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=DateInput(),
    )

    def __init__(self, *args, people, record_types, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["typ"].choices = [("", _("Alla")), *record_types]
        self.fields["handelse"].choices = [("", _("Alla")), *actions]

    def clean(self):
        data = super().clean()
        since, until = data.get("fran"), data.get("till")
        if since and until and since > until:
            self.add_error("till", DATES_REVERSED)
        return data
