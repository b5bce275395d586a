"""The one date filter every template uses: `{{ value|datum }}` ("29 nov. 2026"),
`{{ value|datum:"tid" }}` (with the time) and `{{ value|datum:"veckodag" }}` (with the weekday).
Loaded as a builtin (settings.TEMPLATES) so no template can forget to load it and fall back to
Django's |date with a format of its own."""

from django import template

from core.dates import format_date

register = template.Library()


@register.filter
def datum(value, style: str = "") -> str:
    return format_date(value, style)
