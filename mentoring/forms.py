from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import (
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    MAX_SESSION_MINUTES,
    SessionTopic,
    Specialisation,
    SupervisionSession,
)
from people.models import User

DURATION_RANGE = _("Ett samtal är mellan 1 och 480 minuter (8 timmar).")


class RunMatchingForm(forms.Form):
    scope = forms.ChoiceField(label=_("Matcha för"))

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = {self._key(s): s for s in scopes}
        self.fields["scope"].choices = [(key, s.label) for key, s in self.scopes.items()]

    @staticmethod
    def _key(scope) -> str:
        return f"u{scope.unit.pk}" if scope.unit else f"o{scope.organisation.pk}"

    def selected(self):
        return self.scopes[self.cleaned_data["scope"]]


class AdjustProposalForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Byt mentor"), queryset=User.objects.none())

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Ditt svar"),
        choices=[("yes", _("Ja, jag tackar ja")), ("no", _("Nej, jag tackar nej"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Skäl om du tackar nej"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av samtal"), choices=SupervisionSession.Kind.choices)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("Längd (minuter)"),
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        error_messages={"min_value": DURATION_RANGE, "max_value": DURATION_RANGE},
    )
    format = forms.ChoiceField(label=_("Form"), choices=SupervisionSession.Format.choices)
    topics = forms.ModelMultipleChoiceField(
        label=_("Ämnen"),
        queryset=SessionTopic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Moduler ni pratade om"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    discussed = forms.MultipleChoiceField(
        label=_("Att ta upp: det här pratade ni om"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Syns bara för dig och adepten. Skriv aldrig klienters namn eller personnummer."
        ),
    )
    agreed_actions = forms.CharField(
        label=_("Överenskomna åtgärder"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, modules, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = modules
        self.fields["discussed"].choices = [
            (entry.key, f"{entry.module.title}: {entry.prompt}") for entry in agenda
        ]


class ConfirmSessionForm(forms.Form):
    reflection = forms.CharField(
        label=_("Din reflektion (valfri)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MentorProfileForm(forms.Form):
    years_experience = forms.IntegerField(label=_("År i yrket"), min_value=0, max_value=60)
    capacity = forms.IntegerField(
        label=_("Antal adepter som mest"), min_value=1, max_value=MAX_CAPACITY, initial=2
    )
    specialisations = forms.ModelMultipleChoiceField(
        label=_("Inriktningar"),
        queryset=Specialisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Språk"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    accepts_other_municipalities = forms.BooleanField(
        label=_("Jag kan ta emot adepter från andra kommuner i länet"), required=False
    )
    is_active = forms.BooleanField(label=_("Jag tar emot nya adepter"), required=False)


class MenteeNeedsForm(forms.Form):
    specialisations = forms.ModelMultipleChoiceField(
        label=_("Det här vill jag prata om"),
        queryset=Specialisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.CharField(
        label=_("Övriga önskemål"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MentorshipForm(forms.Form):
    goals = forms.CharField(
        label=_("Mål för mentorskapet"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    planned_frequency_days = forms.IntegerField(
        label=_("Planerad frekvens (dagar)"),
        required=False,
        min_value=1,
        max_value=180,
        help_text=_("Lämna tomt för standard: varje vecka, varannan vecka, sedan varje månad."),
    )
