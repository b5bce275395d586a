from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, DateInput
from people.validators import validate_no_identity_number


class SignOffForm(forms.Form):
    """The manager's sign-off (godkännande) of an introduction after the closing conversation."""

    conversation_date = DateField(
        label=_("Datum för det avslutande samtalet"),
        widget=DateInput(),
        error_messages={
            "required": _("Ange datumet för det avslutande samtalet."),
            "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD."),
        },
    )
    comment = forms.CharField(
        label=_("Kommentar (valfri)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Syns inte på intyget. Skriv inga personnummer eller klientuppgifter."),
        validators=[validate_no_identity_number],
    )
    confirm = forms.BooleanField(
        label=_("Jag har haft det avslutande samtalet och godkänner introduktionen."),
        error_messages={"required": _("Bekräfta att ni har haft det avslutande samtalet.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"conversation_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
