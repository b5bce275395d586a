from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import ModulePage


class KnowledgeCheckForm(forms.Form):
    """One field per question; choices carry only ids and text, never whether they are right."""

    def __init__(self, *args, module: ModulePage, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = module.questions()
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
