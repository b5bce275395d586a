"""Learner data for Wagtail page templates (content/ never imports learning/)."""

from django import template

from learning import selectors

register = template.Library()


@register.inclusion_tag("learning/tags/module_progress.html", takes_context=True)
def module_progress(context, page):
    request = context["request"]
    position = selectors.module_position_for(request.user, module=page)
    return {"request": request, "page": page, "position": position}


@register.inclusion_tag("learning/tags/course_enrolment.html", takes_context=True)
def course_enrolment(context, page):
    request = context["request"]
    progress = selectors.course_progress_for(request.user, course=page)
    return {"request": request, "page": page, "progress": progress}
