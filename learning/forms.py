from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from content.models import Question
from core.dates import format_date
from learning import run_management
from people.validators import validate_no_identity_number


class KnowledgeCheckForm(forms.Form):
    """One field per question shown in the attempt, its choices in the attempt's order; they
    carry only ids and text, never whether they are right."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(self.questions, start=1):
            choices = [(choice.id, choice.text) for choice in question.choices]
            label = f"{number}. {question.text}"
            if question.kind == "multiple":
                self.fields[question.id] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Välj alla svar som stämmer."),
                    error_messages={"required": _("Svara på frågan.")},
                )
            else:
                self.fields[question.id] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    help_text=_("Välj ett svar."),
                    error_messages={"required": _("Svara på frågan.")},
                )

    def answers(self) -> dict[str, list[str]]:
        result = {}
        for key, value in self.cleaned_data.items():
            result[key] = value if isinstance(value, list) else [value]
        return result


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course.title} – {obj.name} ({format_date(obj.start_date)})"


class NominationForm(forms.Form):
    """A municipal admin nominates a manager of their municipality to a course run."""

    manager = forms.ModelChoiceField(label=_("Chef"), queryset=None)
    run = RunChoiceField(label=_("Kursomgång"), queryset=None)

    def __init__(self, *args, managers, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["run"].queryset = runs


class AttendanceForm(forms.Form):
    """Who was at a session: one checkbox per participant; unticked means absent."""

    present = forms.TypedMultipleChoiceField(
        label=_("Närvarande"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(p.pk, p.user.get_full_name()) for p in participants]


class RevokeCertificateForm(forms.Form):
    """A municipal admin revokes a certificate (återkallar ett intyg) with a reason."""

    reason = forms.CharField(
        label=_("Skäl till att intyget återkallas"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sparas i granskningsloggen. Skriv inga personnummer eller klientuppgifter."),
        error_messages={"required": _("Skriv varför intyget återkallas.")},
        validators=[validate_no_identity_number],
    )
    confirm = forms.BooleanField(
        label=_("Jag vill återkalla intyget. Det går inte att ångra."),
        error_messages={"required": _("Bekräfta att du vill återkalla intyget.")},
    )


class RunMessageForm(forms.Form):
    """A message from whoever manages a run to everyone in it; the limits are the service's."""

    subject = forms.CharField(
        label=_("Ämne"),
        validators=[validate_no_identity_number],
        error_messages={"required": _("Skriv en ämnesrad.")},
    )
    message = forms.CharField(
        label=_("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_no_identity_number],
        help_text=_("Skriv inga personnummer eller klientuppgifter."),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    include_waitlist = forms.BooleanField(
        label=_("Skicka också till dem som står på reservlistan"), required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit, too_long in (
            ("subject", run_management.MESSAGE_SUBJECT_MAX, run_management.SUBJECT_TOO_LONG),
            ("message", run_management.MESSAGE_BODY_MAX, run_management.BODY_TOO_LONG),
        ):
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(limit, message=too_long % {"max": limit}))
            field.widget.attrs["maxlength"] = str(limit)
