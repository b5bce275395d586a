from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, DateInput
from mentoring.forms import DURATION_RANGE
from mentoring.models import MAX_SESSION_MINUTES, SupervisionSession
from people.models import Unit
from people.validators import validate_no_identity_number
from safety.models import (
    DEFAULT_QUESTIONS,
    Answer,
    IncidentKind,
    Location,
    SafetySettings,
    WhoKnows,
)
from safety.validators import validate_no_street_address

CHOOSE_ONE = _("Välj ett av svaren.")
CHOOSE_KIND = _("Välj vad som hände ur listan.")
BAD_URL = _("Skriv en hel webbadress som börjar med https://.")


def _answer(label, help_text=""):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
    )


class SafetyCheckForm(forms.Form):
    """The checklist (säkerhetsbedömning). Nothing here names the family or where they live."""

    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    planned_on = DateField(label=_("När är besöket eller mötet?"), widget=DateInput())
    location = forms.ChoiceField(
        label=DEFAULT_QUESTIONS["location"],
        choices=Location.choices,
        widget=forms.RadioSelect,
        help_text=_("Ange bara typ av plats, aldrig adressen."),
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
    )
    known_threats = _answer(DEFAULT_QUESTIONS["known_threats"])
    weapons = _answer(DEFAULT_QUESTIONS["weapons"])
    animals = _answer(DEFAULT_QUESTIONS["animals"])
    earlier_incidents = _answer(
        DEFAULT_QUESTIONS["earlier_incidents"],
        _("Läs in ärendet och fråga kollegor som har träffat familjen."),
    )
    decision_to_communicate = forms.BooleanField(
        label=DEFAULT_QUESTIONS["decision_to_communicate"], required=False
    )
    who_knows = forms.ChoiceField(
        label=DEFAULT_QUESTIONS["who_knows"],
        choices=WhoKnows.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
    )
    notes = forms.CharField(
        label=_("Annat att tänka på"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv aldrig namn, personnummer eller adress."),
        validators=[validate_no_identity_number, validate_no_street_address],
    )

    def __init__(self, *args, units, questions: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.only_unit = units[0] if len(units) == 1 else None
        if self.only_unit is not None:
            self.fields["unit"].initial = self.only_unit
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].required = False
        # The municipality's wording where it has its own (safety.selectors.questions_for).
        self.questions = {**DEFAULT_QUESTIONS, **(questions or {})}
        for name, text in self.questions.items():
            self.fields[name].label = text

    def clean_unit(self):
        return self.cleaned_data.get("unit") or self.only_unit

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "questions": {k: str(v) for k, v in self.questions.items()}}


class CaseSafetyCheckForm(SafetyCheckForm):
    """The same checklist on a case: the case decides the unit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, units=Unit.objects.none(), **kwargs)
        del self.fields["unit"]


class IncidentForm(forms.Form):
    """That something happened: when, what kind, whether it is reported, and who is told
    (the manager always). No description: what was said belongs in the municipality's own
    report, not here."""

    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    occurred_on = DateField(label=_("När hände det?"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Vad hände?"),
        choices=IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    reported_in_system = forms.BooleanField(
        label=_("Jag har rapporterat händelsen i kommunens system för tillbud och arbetsskador"),
        required=False,
    )
    tell_mentor = forms.BooleanField(
        label=_("Min mentor får också veta"),
        required=False,
        help_text=_("Din chef får alltid veta, och erbjuder dig ett avlastningssamtal."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.only_unit = units[0] if len(units) == 1 else None
        if self.only_unit is not None:
            self.fields["unit"].initial = self.only_unit
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].required = False

    def clean_unit(self):
        return self.cleaned_data.get("unit") or self.only_unit


def _debrief_text(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_identity_number, validate_no_street_address],
    )


class DebriefSessionForm(forms.Form):
    """The debrief in supervision (avlastningssamtal efter händelse): a session in the mentor's
    log with a structured note, private to the pair like every session."""

    date = DateField(label=_("Datum"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Längd (minuter)"),
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        error_messages={"min_value": DURATION_RANGE, "max_value": DURATION_RANGE},
    )
    format = forms.ChoiceField(label=_("Form"), choices=SupervisionSession.Format.choices)
    what_happened = _debrief_text(
        _("Vad hände?"), _("Syns bara för er två. Skriv aldrig namn, personnummer eller adress.")
    )
    how_you_are = _debrief_text(_("Hur mår du?"))
    support_needed = _debrief_text(_("Vilket stöd behöver du?"))
    changes = _debrief_text(_("Vad behöver ändras i ärendet eller i rutinerna?"))


class SafetySettingsForm(forms.ModelForm):
    """The municipality's routine (kommunens rutin): its reporting link and text, and its own
    wording of any of the safety check's questions (empty: the national wording)."""

    class Meta:
        model = SafetySettings
        fields = [
            "reporting_url",
            "reporting_text",
            *(f"{name}_question" for name in DEFAULT_QUESTIONS),
        ]
        widgets = {"reporting_text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"reporting_url": {"invalid": BAD_URL}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_url"].assume_scheme = "https"
        self.fields["reporting_url"].help_text = _(
            "Till exempel länken till KIA eller IA-systemet. Lämna tomt om kommunen inte har "
            "någon länk."
        )
        for name, default in DEFAULT_QUESTIONS.items():
            field = self.fields[f"{name}_question"]
            field.help_text = _("Nationell formulering: %(text)s") % {"text": default}
            field.widget.attrs["placeholder"] = str(default)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
