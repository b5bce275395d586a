"""The safety prompt on mentoring's case page: the template tag lives here, in the app above
mentoring, so mentoring's code never imports safety (as content's pages read learning's tags)."""

from django import template

from safety import selectors

register = template.Library()


@register.inclusion_tag("safety/_case_prompt_body.html")
def case_safety_prompt(case, access):
    """High or critical risk in the decision stage: has a check for communicating the decision
    been made, and (for the holder) a link to make one."""
    return {"case": case, "prompt": selectors.case_prompt_for(case, is_holder=access.is_holder)}
