from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, DateInput
from mentoring.models import (
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    MAX_SESSION_MINUTES,
    CaseStage,
    CaseType,
    CheckAnswer,
    EndReason,
    EntrustmentLevel,
    SessionTopic,
    Specialisation,
    SupervisionSession,
)
from mentoring.services.cases import UNKNOWN_CASE_TYPE
from people.models import Unit, User
from people.validators import validate_no_identity_number

DURATION_RANGE = _("Ett samtal är mellan 1 och 480 minuter (8 timmar).")
NO_CLIENT_DATA = _("Skriv aldrig klienters namn eller personnummer.")


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

    @classmethod
    def for_proposals(cls, proposals, *, mentors) -> list[tuple]:
        """(proposal, unbound form) for a run's page; the mentor list is read once for all of
        them, not once per proposal."""
        pairs = [(p, cls(mentors=mentors, initial={"mentor": p.mentor})) for p in proposals]
        if pairs:
            choices = list(pairs[0][1].fields["mentor"].choices)
            for _proposal, form in pairs:
                form.fields["mentor"].choices = choices
        return pairs


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
    # A debrief after an incident is logged from the incident (safety), which links the two.
    kind = forms.ChoiceField(
        label=_("Typ av samtal"),
        choices=[
            (value, label)
            for value, label in SupervisionSession.Kind.choices
            if value != SupervisionSession.Kind.DEBRIEF
        ],
    )
    date = DateField(label=_("Datum"), widget=DateInput())
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
    # The service reports the model's field (mentee_reflection), which this form names
    # differently; checking here puts the error on the field the mentee typed in.
    reflection = forms.CharField(
        label=_("Din reflektion (valfri)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_identity_number],
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


# --------------------------------------------------------------------------------------------
# Supervised cases
# --------------------------------------------------------------------------------------------
def _date_field(label):
    return DateField(label=label, widget=DateInput())


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Ärendereferens"),
        max_length=40,
        help_text=_(
            "Kommunens egen pseudonyma kod för ärendet, t.ex. BoU-2026-014. "
            "Aldrig namn eller personnummer."
        ),
    )
    case_type = forms.ModelChoiceField(
        label=_("Ärendetyp"),
        queryset=CaseType.objects.none(),
        error_messages={"invalid_choice": UNKNOWN_CASE_TYPE, "required": UNKNOWN_CASE_TYPE},
    )
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    opened_on = _date_field(_("Startdatum"))
    supervisor = forms.ModelChoiceField(
        label=_("Namngiven handledare"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Krävs innan ett ärende med hög risk kan gå vidare efter beslut."),
    )

    def __init__(self, *args, units, case_types, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["case_type"].queryset = case_types
        self.fields["supervisor"].queryset = supervisors
        if len(units) == 1:
            self.fields["unit"].initial = units[0]
            self.fields["unit"].widget = forms.HiddenInput()


class CaseStageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Skede"),
        choices=[(value, label) for value, label in CaseStage.choices if value != "closed"],
    )
    supervisor = forms.ModelChoiceField(
        label=_("Namngiven handledare"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors


class CloseCaseForm(forms.Form):
    closed_on = _date_field(_("Avslutsdatum"))


def _check(label):
    return forms.ChoiceField(label=label, choices=CheckAnswer.choices, widget=forms.RadioSelect)


class CaseReviewForm(forms.Form):
    date = _date_field(_("Datum för genomgången"))
    observed_level = forms.TypedChoiceField(
        label=_("Anförtroendenivå du såg i genomgången"),
        choices=EntrustmentLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Det här är underlag, inte ett beslut om nivå."),
    )
    child_spoken_alone = _check(_("Har barnet fått tala enskilt?"))
    child_view_documented = _check(_("Är barnets egen syn dokumenterad?"))
    risk_assessment_made = _check(_("Är en riskbedömning gjord?"))
    honour_risk_assessment_made = _check(
        _("Är den särskilda riskbedömningen vid hedersrelaterat våld gjord?")
    )
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_CLIENT_DATA,
    )
    sign_off = forms.BooleanField(
        label=_("Jag signerar genomgången i beslutsskedet"),
        required=False,
        help_text=_(
            "Signeringen är ett stöd för handläggaren, inte det formella beslutet. En signerad "
            "genomgång kan inte ändras."
        ),
    )

    def __init__(self, *args, honour_related: bool, may_sign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not honour_related:
            del self.fields["honour_risk_assessment_made"]
        if not may_sign:
            del self.fields["sign_off"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("honour_risk_assessment_made", CheckAnswer.NOT_APPLICABLE)
        data.setdefault("sign_off", False)
        return data


class EntrustmentDecisionForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Anförtroendenivå"), choices=EntrustmentLevel.choices, coerce=int
    )
    valid_until = DateField(
        label=_("Giltigt till (valfritt)"),
        required=False,
        widget=DateInput(),
    )
    rationale = forms.CharField(
        label=_("Motivering (valfri)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_CLIENT_DATA,
    )


# --------------------------------------------------------------------------------------------
# Lifecycle (issue 18)
# --------------------------------------------------------------------------------------------
class EndMentorshipForm(forms.Form):
    # A change of mentor is its own action (the new mentorship starts with it).
    reason = forms.ChoiceField(
        label=_("Skäl till avslutet"),
        choices=[
            (value, label)
            for value, label in EndReason.choices
            if value != EndReason.CHANGE_OF_MENTOR
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_identity_number],
        help_text=NO_CLIENT_DATA,
    )


class ChangeMentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Ny mentor"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_identity_number],
        help_text=NO_CLIENT_DATA,
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Vad vill du att vi ska veta?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_identity_number],
        help_text=_(
            "Bara kommunadministratören och din chef ser det här, aldrig din mentor. "
            "Skriv aldrig klienters namn eller personnummer."
        ),
    )


class BookMeetingForm(forms.Form):
    date = DateField(label=_("Datum"), widget=DateInput())
    time = forms.TimeField(label=_("Tid"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("Plats eller länk"),
        max_length=300,
        validators=[validate_no_identity_number],
        help_text=_("Till exempel ett rum eller en länk till videomötet. Inga klientuppgifter."),
    )


class EditSessionForm(SessionForm):
    """The session form without the agenda (what was ticked off stays as logged)."""

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, modules=modules, agenda=[], **kwargs)
        del self.fields["discussed"]
        # A debrief after an incident stays one (the incident links it as its debrief), and
        # no other session becomes one: the only kind offered is the one it has.
        if self.initial.get("kind") == SupervisionSession.Kind.DEBRIEF:
            self.fields["kind"].choices = [
                (SupervisionSession.Kind.DEBRIEF, SupervisionSession.Kind.DEBRIEF.label)
            ]
