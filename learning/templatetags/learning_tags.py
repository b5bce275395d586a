"""Learner data for Wagtail page templates (content/ never imports learning/)."""

import hashlib

from django import template
from django.utils import translation

from learning import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def module_position(context, page):
    """Where the learner is in the module's course (and whether the module is locked); the
    before_serve_page hook has already computed it for this request."""
    request = context["request"]
    return selectors.module_position_in_request(request, module=page)


@register.simple_tag(takes_context=True)
def outline_url(context, page):
    """{% pageurl %} for a page from the course outline, which carries its link (`list_url`,
    content.outline: the same for every reader): no URL built per view. Other pages as
    {% pageurl %}."""
    url = getattr(page, "list_url", None)
    if url is None:
        url = page.get_url(request=context.get("request"))
    return url


@register.inclusion_tag("learning/tags/module_progress.html", takes_context=True)
def module_progress(context, page, position):
    check = None
    if position and page.has_knowledge_check:
        # From the progress row alone: no query.
        check = selectors.knowledge_check_state(position.current.progress, module=page)
    return {
        "request": context["request"],
        "page": page,
        "position": position,
        "check": check,
        "nav_digest": _module_nav_digest(page, position) if position else "",
    }


def _module_nav_digest(page, position) -> str:
    """A digest of everything the module list shows: the language, and per module its link,
    title, whether it is the page being read, and its state. Rendering a large course's list
    (65 modules) cost more than the rest of the learner's data on the page, and each reload,
    and everyone at the same point of the course, shows the same list: it is cached under this
    digest, so a cached list is never out of date."""
    shown = [
        (
            status.module.list_url,
            status.module.title,
            status.module.translation_key == page.translation_key,
            status.is_complete,
            status.locked_reason or "",
            status.is_overdue,
        )
        for status in position.course.modules
    ]
    return hashlib.sha256(repr((translation.get_language(), shown)).encode()).hexdigest()


@register.inclusion_tag("learning/tags/course_enrolment.html", takes_context=True)
def course_enrolment(context, page):
    request = context["request"]
    progress = selectors.course_progress_for(request.user, course=page)
    return {"request": request, "page": page, "progress": progress}


@register.inclusion_tag("learning/tags/course_runs.html", takes_context=True)
def course_runs(context, page):
    """A cohort course's runs (kursomgångar) with seats left and the user's own place."""
    request = context["request"]
    panel = selectors.course_runs_for(request.user, course=page)
    return {"request": request, "user": request.user, "page": page, "panel": panel}
