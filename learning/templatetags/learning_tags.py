"""Learner data for Wagtail page templates (content/ never imports learning/)."""

import functools
from html import escape

from django import template
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.dates import DateStyle, format_date
from core.links import pk_url
from learning import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def module_position(context, page):
    """Where the learner is in the module's course (and whether the module is locked); the
    before_serve_page hook has already computed it for this request."""
    request = context["request"]
    return selectors.module_position_in_request(request, module=page)


def _link(page, request) -> str:
    url = getattr(page, "list_url", None)
    if url is None:
        url = page.get_url(request=request)
    return url


@register.simple_tag(takes_context=True)
def outline_url(context, page):
    """{% pageurl %} for a page from the course outline, which carries its link (`list_url`,
    content.outline: the same for every reader): no URL built per view. Other pages as
    {% pageurl %}."""
    return _link(page, context.get("request"))


# The module page's aside ("Din plats i kursen") is built here in Python (issue 23, session
# 32). Through the template engine it was ~115 nodes, six blocktranslate, an include and a
# cached fragment for the module list keyed by a digest of all 65 rows: about a third of what
# the module page cost beyond the bare page (benchmarks/README.md, "Module page, session 32").
# Values are escaped as Django's autoescape does (html.escape, quotes included), the texts are
# the template's msgids and dates go through core.dates. The markup is the former template's,
# element for element: tests/learning/test_module_aside.py renders the old template beside it.
YOUR_PLACE = _("Din plats i kursen")
NOT_ENROLLED = _(
    "Du är inte anmäld till kursen. Anmäl dig för att spara dina framsteg och göra "
    "kunskapskontrollen."
)
ENROL = _("Anmäl dig till kursen")
PROGRESS_IN = _("Framsteg i %(title)s")
MODULES_DONE = _("%(done)s av %(total)s moduler klara")
MODULE_NUMBER = _("Modul %(number)s av %(total)s")
DONE = _("Klar")
DUE = _("Klart senast")
OVERDUE = _("Försenad")
LOCKED = _("Låst")
MARK_READ = _("Markera modulen som klar")
NEXT = _("Nästa modul")
PREVIOUS = _("Föregående modul")
PASSED = _("Du har klarat kunskapskontrollen (%(score)s %%).")
TAKE_AGAIN = _("Gör kunskapskontrollen igen")
LATEST_SCORE = _("Senaste försök: %(score)s %%. Godkänt från %(pass)s %%.")
FINISH_WITH_CHECK = _("Avsluta med kunskapskontrollen. Godkänt från %(pass)s %%.")
REREAD = _(
    "Du har inte klarat kunskapskontrollen på %(count)s försök. Läs modulen igen och prata med "
    "din mentor om det som känns svårt innan du försöker igen."
)
OPENS_AT = _("Nästa försök öppnar %(time)s.")
TO_CHECK = _("Till kunskapskontrollen")
MODULES = _("Moduler")

PROGRESS = (
    '<div class="progress">\n'
    '<progress max="{total}" value="{completed}" aria-label="{label}">{percent} %</progress>\n'
    '<span class="progress__label">{done}</span>\n'
    "</div>"
)
FORM = (
    '<form method="post" action="{action}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '<button type="submit" class="button">{label}</button>\n'
    "</form>"
)


def _text(message, **values) -> str:
    """A text as {% translate %} and {% blocktranslate %} show it: without values, escaped
    whole; with values, the values escaped and the translation's own characters kept."""
    if not values:
        return escape(str(message))
    return str(message) % {name: escape(str(value)) for name, value in values.items()}


@register.simple_tag(takes_context=True)
def module_progress(context, page, position) -> SafeString:
    """The aside: the learner's place in the course, the knowledge check or the button that
    marks the module read, the next and previous modules, and the course's modules."""
    request = context["request"]
    parts = ['<aside class="card" aria-labelledby="course-position">']
    if position:
        parts.append(_position(request, page, position))
        parts.append(_module_list(page, position))
    parts.append("</aside>")
    # Safe: every value above went through escape(); the rest is this module's markup.
    return SafeString("\n".join(parts))  # nosec B703


def _position(request, page, position) -> str:
    progress, current = position.course, position.current
    course = progress.course
    parts = [
        f'<h2 id="course-position">{_text(YOUR_PLACE)}</h2>',
        f'<p><a href="{escape(_link(course, request))}">{escape(course.title)}</a></p>',
    ]
    if progress.enrolment is None:
        parts.append(f"<p>{_text(NOT_ENROLLED)}</p>")
        if course.is_self_paced:
            parts.append(_form(request, pk_url("learning:enrol", course.pk), ENROL))
        return "\n".join(parts)
    parts.append(
        PROGRESS.format(
            total=progress.total,
            completed=progress.completed,
            percent=progress.percent,
            label=_text(PROGRESS_IN, title=course.title),
            done=_text(MODULES_DONE, done=progress.completed, total=progress.total),
        )
    )
    done = f'<span class="badge badge--done">{_text(DONE)}</span>' if current.is_complete else ""
    number = _text(MODULE_NUMBER, number=current.number, total=progress.total)
    parts.append(f"<p>{number}\n{done}</p>")
    if current.due_date and not current.is_complete:
        late = ""
        if current.is_overdue:
            late = f'<span class="badge badge--overdue">{_text(OVERDUE)}</span>'
        parts.append(f"<p>{_text(DUE)}: {escape(format_date(current.due_date))}\n{late}</p>")
    if current.locked_reason:
        parts.append(
            f'<p><span class="badge badge--overdue">{_text(LOCKED)}</span> '
            f"{escape(current.locked_reason)}</p>"
        )
    elif page.has_knowledge_check:
        parts.append(_knowledge_check(page, position))
    elif not current.is_complete:
        parts.append(_form(request, pk_url("learning:complete", page.pk), MARK_READ))
    for label, neighbour in ((NEXT, position.next), (PREVIOUS, position.previous)):
        if neighbour:
            parts.append(
                f'<p><a href="{escape(_link(neighbour, request))}">{_text(label)}: '
                f"{escape(neighbour.title)}</a></p>"
            )
    return "\n".join(parts)


def _knowledge_check(page, position) -> str:
    current = position.current
    check_url = escape(pk_url("learning:check", page.pk))
    if current.is_complete:
        passed = _text(PASSED, score=current.progress.best_score)
        return f'<p>{passed}</p>\n<p><a href="{check_url}">{_text(TAKE_AGAIN)}</a></p>'
    # From the progress row alone: no query.
    check = selectors.knowledge_check_state(current.progress, module=page)
    if position.latest_score is not None:
        score = _text(LATEST_SCORE, score=position.latest_score, **{"pass": page.pass_mark})
    else:
        score = _text(FINISH_WITH_CHECK, **{"pass": page.pass_mark})
    parts = [f"<p>{score}</p>"]
    if check.reread:
        reread = _text(REREAD, count=check.failed_attempts)
        parts.append(f'<p class="message message--warning" role="status">{reread}</p>')
    if check.is_paused:
        opens = _text(OPENS_AT, time=format_date(check.opens_at, DateStyle.DATE_TIME))
        parts.append(f"<p>{opens}</p>")
    else:
        parts.append(f'<p><a class="button" href="{check_url}">{_text(TO_CHECK)}</a></p>')
    return "\n".join(parts)


def _form(request, action: str, label) -> str:
    """A form with one button, {% csrf_token %} included."""
    return FORM.format(action=escape(action), token=escape(get_token(request)), label=_text(label))


def _module_list(page, position) -> str:
    """The course's modules, the one being read marked, each with its state. Built on every
    view: 65 rows cost less than the digest of the rows and the cache read that kept the
    template's list (benchmarks/README.md, "Module page, session 32"). Each row's link is
    escaped once per process (_row_start): escaping 65 titles and links was 130 of the page's
    181 html.escape calls."""
    done = f'<span class="badge badge--done">{_text(DONE)}</span>'
    locked = _text(LOCKED)
    late = f'<span class="badge badge--overdue">{_text(OVERDUE)}</span>'
    reading = position.current
    locked_badges: dict[str, str] = {}  # one reason for every module when a course is missing
    rows = []
    for status in position.course.modules:
        module = status.module
        if status.is_complete:
            badge = done
        elif reason := status.locked_reason:
            badge = locked_badges.get(reason)
            if badge is None:
                badge = f'<span class="badge" title="{escape(reason)}">{locked}</span>'
                locked_badges[reason] = badge
        elif status.overdue:
            badge = late
        else:
            badge = ""
        rows.append(f"{_row_start(module.list_url, module.title, status is reading)}{badge}\n</li>")
    return f'<h3>{_text(MODULES)}</h3>\n<ol class="module-nav">\n' + "\n".join(rows) + "\n</ol>"


@functools.lru_cache(maxsize=4096)
def _row_start(url: str, title: str, current: bool) -> str:
    """A module list row up to its badge. Kept by the values it is made of, so a module renamed
    or moved (a new title or link) is a new entry and nothing can be stale; the oldest entries
    go first, so a process keeps at most 4,096 (~1 MB)."""
    marked = ' aria-current="page"' if current else ""
    return f'<li{marked}>\n<a href="{escape(url)}">{escape(title)}</a>\n'


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
