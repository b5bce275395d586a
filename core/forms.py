"""Form fields the apps share. A date is typed where the browser has no date picker (older
browsers, some screen-reader set-ups, or a browser whose language lacks one): the field then
is a plain text box, so it shows the format to type, accepts the ways Swedes write a date, and
refuses anything else with a sentence that names the format, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Shown only when the browser falls back to a text box: a date picker ignores placeholders.
DATE_FORMAT_HINT = _("ÅÅÅÅ-MM-DD")
INVALID_DATE = _("Ange datumet som ÅÅÅÅ-MM-DD.")
# ISO first (what a date picker sends), then what people type in Sweden: 20261129 as in the
# identity-number habit, and day first with a dot or a slash, never month first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # A date picker needs the value as ISO 8601 whatever the page's language.
        super().__init__(
            attrs={"placeholder": DATE_FORMAT_HINT, **(attrs or {})}, format="%Y-%m-%d"
        )


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": INVALID_DATE}

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)
