"""Shared form rendering (templates/includes/form_fields.html): one way to label a field, to mark
it optional, to word its errors and to sum the errors up at the top of the form.

Why here rather than in each form: the rules are about presentation and hold for every form,
Django's, allauth's and ours alike; and a label that says "(valfri)" itself, or a select that
starts with Django's "---------", is caught whoever wrote the form."""

import re
from dataclasses import dataclass

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy

register = template.Library()

# A label that already says it is optional; the include adds one marker of its own.
_OPTIONAL_IN_LABEL = re.compile(r"\s*\((?:valfri|valfritt|valfria|optional)\)\s*$", re.IGNORECASE)
_DASHES = re.compile(r"^-{3,}$")
CHOOSE = gettext_lazy("Välj …")
# Django's "Detta fält måste fyllas i." names no field; in the summary at the top of a long form
# the reader must know which one, so the message is a full sentence that names it.
REQUIRED_TEXT = gettext_lazy("Fältet ”%(field)s” måste fyllas i.")
REQUIRED_CHOICE = gettext_lazy("Välj ett alternativ under ”%(field)s”.")
REQUIRED_BOX = gettext_lazy("Kryssa i rutan ”%(field)s” för att gå vidare.")


def _label(field: BoundField) -> str:
    return _OPTIONAL_IN_LABEL.sub("", str(field.label or field.name))


@register.filter
def clean_label(field: BoundField) -> str:
    """The field's label without an "(valfri)" of its own."""
    return _label(field)


@register.filter
def shows_optional(field: BoundField) -> bool:
    """Mark a field optional unless it is a single checkbox (ticking it is the choice)."""
    return not field.field.required and field.widget_type != "checkbox"


def _is_choice(field: BoundField) -> bool:
    return isinstance(
        field.field, forms.ChoiceField | forms.ModelChoiceField | forms.MultipleChoiceField
    )


def _messages(field: BoundField) -> list[str]:
    label = _label(field)
    out = []
    # Django's own "required" message becomes a sentence naming the field; a form's own message
    # for an empty field (e.g. "Beskriv problemet du stötte på.") already says more, and stays.
    default = str(forms.Field.default_error_messages["required"])
    for error in field.errors.as_data():
        if error.code == "required" and all(str(m) == default for m in error.messages):
            if field.widget_type == "checkbox":
                template_text = REQUIRED_BOX
            elif _is_choice(field):
                template_text = REQUIRED_CHOICE
            else:
                template_text = REQUIRED_TEXT
            out.append(str(template_text) % {"field": label})
        else:
            out.extend(str(message) for message in error.messages)
    return out


@register.filter
def field_messages(field: BoundField) -> list[str]:
    """The field's errors as the reader sees them beside the field."""
    return _messages(field)


@dataclass
class SummaryItem:
    anchor: str
    label: str
    message: str


@register.simple_tag
def error_summary(form) -> list[SummaryItem]:
    """One line per error, each linking to its field, in the form's order; errors that belong
    to no field (or to a hidden one) link to the top of the form."""
    items = [SummaryItem(anchor="", label="", message=str(e)) for e in form.non_field_errors()]
    for field in form.hidden_fields():
        items += [SummaryItem(anchor="", label="", message=str(e)) for e in field.errors]
    for field in form.visible_fields():
        anchor = field.id_for_label or field.auto_id
        if field.use_fieldset and field.auto_id:
            # A group of radio buttons or checkboxes: the first choice takes the focus.
            anchor = f"{field.auto_id}_0"
        items += [
            SummaryItem(anchor=anchor, label=_label(field), message=m) for m in _messages(field)
        ]
    return items


@register.filter
def without_dashes(field: BoundField) -> BoundField:
    """Django starts an optional select with "---------"; we say "Välj …" instead."""
    widget = field.field.widget
    choices = getattr(field.field, "choices", None)
    if not isinstance(widget, forms.Select) or choices is None:
        return field
    empty_label = getattr(field.field, "empty_label", None)
    if empty_label is not None and _DASHES.match(str(empty_label)):
        field.field.empty_label = CHOOSE
        if hasattr(field.field, "iterator"):  # ModelChoiceField: its choices read empty_label
            field.field.widget.choices = field.field.choices
    # What the widget will render: a model field's choices arrive as a lazy iterator (Django
    # 5's BlankChoiceIterator), and a form may have fixed a ModelChoiceField's choices as a list
    # read once for many forms; both kept their "---------" before. A queryset's own iterator
    # is left alone (it read empty_label above, and listing it would cost a query).
    rendered = field.field.widget.choices
    if isinstance(rendered, ModelChoiceIterator):
        return field
    rendered = list(rendered)
    if any(_DASHES.match(str(label)) for _value, label in rendered):
        field.field.choices = [
            (value, CHOOSE if _DASHES.match(str(label)) else label) for value, label in rendered
        ]
    return field


@register.filter
def without_placeholder(field: BoundField, drop: bool = True) -> BoundField:
    """allauth's forms repeat the label as a placeholder in its own wording ("Epost-adress");
    a placeholder that vanishes as one types is no label, so its pages drop them."""
    if drop:
        field.field.widget.attrs.pop("placeholder", None)
    return field
