"""The module page's aside built in Python (learning_tags.module_progress, issue 23 session 32)
gives the HTML the former template gave (former_module_progress.html, its module list without
the fragment cache that kept it), in Swedish and English, for every state the aside shows:
not enrolled, at the start, in the middle, at the end, locked, overdue, a knowledge check
passed, failed, paused or to re-read, a module without a check; and nothing typed by an
editor reaches the page unescaped.

Compared with each run of whitespace as one space (the template's indentation is not kept; a
space is never added or lost, so the page reads the same) and the CSRF token's random mask
left out."""

import datetime
import itertools
import re
import uuid
from pathlib import Path

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from content.models import CoursePage, ModulePage
from learning import selectors
from learning.models import Enrolment, ModuleProgress
from learning.selectors.progress import (
    PREVIOUS_MODULE_FIRST,
    CourseProgress,
    ModulePosition,
    ModuleStatus,
)
from tests.factories import question, stream

FORMER = Template((Path(__file__).parent / "former_module_progress.html").read_text())
NEW = Template("{% load learning_tags %}{% module_progress page position %}")
HOSTILE = "<script>alert('x')</script> & \"Åsa\""


def _same(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r"\s+", " ", html).strip()


def _course(*, title="Yrkesintroduktion", kind="self_paced") -> CoursePage:
    course = CoursePage(pk=7, title=title, kind=kind, translation_key=uuid.uuid4())
    course.list_url = "/kurser/yrkesintroduktion/"
    return course


def _module(number: int, *, title=None, check=True) -> ModulePage:
    module = ModulePage(
        pk=100 + number,
        title=title or f"Modul {number}",
        translation_key=uuid.uuid4(),
        knowledge_check=stream([question()] if check else []),
        pass_mark=70,
        failures_before_reread=3,
    )
    module.list_url = f"/kurser/yrkesintroduktion/modul-{number}/"
    return module


def _position(
    *,
    at: int,
    modules: list[ModulePage],
    progress: dict[int, ModuleProgress] | None = None,
    enrolled: bool = True,
    course: CoursePage | None = None,
    change=None,
) -> ModulePosition:
    """The learner at module `at` (1-based) of `modules`; `change(statuses)` adjusts states."""
    progress = progress or {}
    statuses = [
        ModuleStatus(module=module, number=i, progress=progress.get(i))
        for i, module in enumerate(modules, start=1)
    ]
    if change:
        change(statuses)
    enrolment = Enrolment(pk=1, status=Enrolment.Status.ACTIVE) if enrolled else None
    course_progress = CourseProgress(
        course=course or _course(), enrolment=enrolment, modules=statuses
    )
    current = statuses[at - 1]
    return ModulePosition(
        course=course_progress,
        current=current,
        previous=modules[at - 2] if at > 1 else None,
        next=modules[at] if at < len(modules) else None,
        latest_score=current.progress.latest_score if current.progress else None,
    )


def _done(score=90) -> ModuleProgress:
    return ModuleProgress(completed_at=timezone.now(), best_score=score, latest_score=score)


def _states() -> dict[str, tuple[ModulePage, ModulePosition]]:
    now = timezone.now()
    modules = [_module(n) for n in range(1, 6)]
    reading = [*modules[:2], _module(3, check=False), *modules[3:]]
    hostile = [_module(1, title=HOSTILE), _module(2, title=f"{HOSTILE} 2"), _module(3)]

    def overdue(statuses):
        statuses[1].due_date = timezone.localdate() - datetime.timedelta(days=3)
        statuses[1].overdue = True
        statuses[2].due_date = timezone.localdate() + datetime.timedelta(days=5)
        statuses[3].overdue = True

    def in_order(statuses):
        for previous, status in itertools.pairwise(statuses):
            if not previous.is_complete and not status.is_complete:
                status.locked_reason = PREVIOUS_MODULE_FIRST % {"title": previous.module.title}

    def prerequisites(statuses):
        for status in statuses:
            status.locked_reason = f"Låst: gå först klart {HOSTILE}."

    states = {
        "not enrolled": (modules[0], _position(at=1, modules=modules, enrolled=False)),
        "not enrolled, cohort course": (
            modules[0],
            _position(at=1, modules=modules, enrolled=False, course=_course(kind="cohort")),
        ),
        "start": (modules[0], _position(at=1, modules=modules)),
        "start, opened": (
            modules[0],
            _position(at=1, modules=modules, progress={1: ModuleProgress()}),
        ),
        "middle, latest score": (
            modules[2],
            _position(
                at=3,
                modules=modules,
                progress={1: _done(), 2: _done(), 3: ModuleProgress(latest_score=40)},
            ),
        ),
        "middle, paused and re-read": (
            modules[2],
            _position(
                at=3,
                modules=modules,
                progress={
                    1: _done(),
                    3: ModuleProgress(
                        latest_score=0,
                        failed_attempts=3,
                        next_attempt_at=now + datetime.timedelta(hours=5),
                    ),
                },
            ),
        ),
        "middle, pause over": (
            modules[2],
            _position(
                at=3,
                modules=modules,
                progress={
                    3: ModuleProgress(
                        latest_score=10,
                        failed_attempts=1,
                        next_attempt_at=now - datetime.timedelta(minutes=1),
                    )
                },
            ),
        ),
        "passed": (
            modules[1],
            _position(at=2, modules=modules, progress={1: _done(), 2: _done(75)}),
        ),
        "passed without a score": (
            modules[1],
            _position(at=2, modules=modules, progress={2: ModuleProgress(completed_at=now)}),
        ),
        "end": (
            modules[4],
            _position(at=5, modules=modules, progress={n: _done() for n in range(1, 6)}),
        ),
        "overdue and due": (modules[1], _position(at=2, modules=modules, change=overdue)),
        "due, not overdue": (modules[2], _position(at=3, modules=modules, change=overdue)),
        "locked": (modules[3], _position(at=4, modules=modules, change=in_order)),
        "locked by prerequisites": (
            modules[1],
            _position(at=2, modules=modules, progress={1: _done()}, change=prerequisites),
        ),
        "reading module": (reading[2], _position(at=3, modules=reading)),
        "reading module, done": (
            reading[2],
            _position(at=3, modules=reading, progress={3: ModuleProgress(completed_at=now)}),
        ),
        "only module": (modules[0], _position(at=1, modules=modules[:1])),
        "titles to escape": (
            hostile[1],
            _position(at=2, modules=hostile, course=_course(title=HOSTILE)),
        ),
    }
    return states


def _request():
    request = RequestFactory().get("/kurser/yrkesintroduktion/modul-1/")
    request.user = None
    return request


STATES = (
    "not enrolled",
    "not enrolled, cohort course",
    "start",
    "start, opened",
    "middle, latest score",
    "middle, paused and re-read",
    "middle, pause over",
    "passed",
    "passed without a score",
    "end",
    "overdue and due",
    "due, not overdue",
    "locked",
    "locked by prerequisites",
    "reading module",
    "reading module, done",
    "only module",
    "titles to escape",
)


@pytest.mark.django_db  # a page's default locale is read from the database
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("state", STATES)
def test_aside_is_the_former_templates(state, language):
    page, position = _states()[state]
    request = _request()
    with translation.override(language):
        former = FORMER.render(
            RequestContext(
                request,
                {
                    "page": page,
                    "position": position,
                    "check": _former_check(page, position),
                },
            )
        )
        new = NEW.render(Context({"request": request, "page": page, "position": position}))
    assert _same(new) == _same(former)
    assert new.count("<aside") == 1 and new.count("</aside>") == 1
    # Nothing the editors typed reaches the page unescaped.
    assert "<script>" not in new


def _former_check(page, position):
    """What the former inclusion tag passed the template as `check`."""
    if position and page.has_knowledge_check:
        return selectors.knowledge_check_state(position.current.progress, module=page)
    return None


@pytest.mark.django_db
def test_no_position_is_an_empty_aside():
    request = _request()
    new = NEW.render(Context({"request": request, "page": _module(1), "position": None}))
    former = FORMER.render(RequestContext(request, {"page": _module(1), "position": None}))
    assert _same(new) == _same(former)


@pytest.mark.django_db
def test_every_state_is_compared_and_every_branch_shown():
    """The states compared above reach every branch of the aside."""
    states = _states()
    assert tuple(states) == STATES
    request = _request()
    shown = ""
    for page, position in states.values():
        shown += NEW.render(Context({"request": request, "page": page, "position": position}))
    for text in (
        "Du är inte anmäld till kursen",
        "Anmäl dig till kursen",
        "Markera modulen som klar",
        "Avsluta med kunskapskontrollen",
        "Senaste försök: 40 %",
        "Du har inte klarat kunskapskontrollen på 3 försök",
        "Nästa försök öppnar",
        "Till kunskapskontrollen",
        "Du har klarat kunskapskontrollen (75 %)",
        "Gör kunskapskontrollen igen",
        "Klart senast",
        'class="badge badge--overdue">Försenad',
        'class="badge badge--overdue">Låst',
        'title="Låst: bli klar med modulen',
        "Nästa modul",
        "Föregående modul",
        'aria-current="page"',
        "&lt;script&gt;",
    ):
        assert text in shown, text


@pytest.mark.django_db
def test_a_module_renamed_or_moved_is_listed_as_it_is_now():
    """The rows' escaped links are kept per process by their values (_row_start): a new title
    or link is a new row, never the one rendered before."""
    request = _request()
    modules = [_module(n) for n in range(1, 4)]
    before = NEW.render(
        Context(
            {"request": request, "page": modules[0], "position": _position(at=1, modules=modules)}
        )
    )
    assert '<a href="/kurser/yrkesintroduktion/modul-2/">Modul 2</a>' in before
    renamed = _module(2, title="Samtal & <dokumentation>")
    renamed.list_url = "/kurser/annan-kurs/modul-2/"
    modules = [modules[0], renamed, modules[2]]
    after = NEW.render(
        Context(
            {"request": request, "page": modules[0], "position": _position(at=1, modules=modules)}
        )
    )
    assert '<a href="/kurser/annan-kurs/modul-2/">Samtal &amp; &lt;dokumentation&gt;</a>' in after
    assert "/kurser/yrkesintroduktion/modul-2/" not in after and ">Modul 2<" not in after
    # The module being read is marked whichever rows were kept before.
    later = NEW.render(
        Context(
            {"request": request, "page": modules[2], "position": _position(at=3, modules=modules)}
        )
    )
    assert '<li aria-current="page">\n<a href="/kurser/yrkesintroduktion/modul-3/">' in later
    assert later.count('aria-current="page"') == 1
