"""The open-pulse link on learning's "Min introduktion": the tag lives here, in the app above
learning, so learning's code never imports pulse (as safety's prompt on mentoring's case page)."""

from django import template

from pulse import selectors

register = template.Library()


@register.inclusion_tag("pulse/_open_pulses_body.html")
def open_pulses(user):
    return {"invitations": selectors.open_invitations_for(user)}
