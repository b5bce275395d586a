"""The learner's position read in one query (learning.selectors.progress, issue 23 session 33):
the whole progress row of the module being read, and for the course's other modules only
whether they are started and done; the module page and the course page show each module's
state from that, and the row the module page changes is the real one."""

import re

import pytest
from django.utils import translation
from wagtail.models import Locale

from content.models import ModulePage
from learning import selectors, services
from learning.models import ModuleProgress
from tests.factories import right_answers


def _states_on_course_page(body: str, modules) -> list[str]:
    """Each module's badge in the course page's list, in order ("" for none)."""
    states = []
    for module in modules:
        row = re.search(
            rf'<li><a href="{re.escape(module.url)}">{module.title}</a>(.*?)</li>', body, re.S
        )
        assert row, module.title
        badge = re.search(r'<span class="badge[^"]*">([^<]*)</span>', row.group(1))
        states.append(badge.group(1) if badge else "")
    return states


@pytest.mark.django_db
def test_course_page_shows_each_module_done_started_or_not(client, ny, course):
    first, second, third = course.modules()
    services.enrol_in_course(None, learner=ny, course=course)
    services.submit_knowledge_check(ny, module=first, answers=right_answers(first))
    services.open_module(ny, module=second)
    client.force_login(ny)
    body = client.get(course.url).content.decode()
    assert _states_on_course_page(body, [first, second, third]) == ["Klar", "Påbörjad", ""]
    assert "1 av 3 moduler klara" in body


@pytest.mark.django_db
def test_position_has_the_whole_row_of_the_module_read_and_the_state_of_the_others(
    ny, course, django_assert_num_queries
):
    first, second, third = course.modules()
    services.enrol_in_course(None, learner=ny, course=course)
    services.submit_knowledge_check(ny, module=first, answers=right_answers(first))
    services.open_module(ny, module=third)
    stored = ModuleProgress.objects.get(enrolment__user=ny, module=third)
    stored.failed_attempts = 2
    stored.save(update_fields=["failed_attempts"])
    second.routed_parent = course  # as routing leaves it (content.models.route_to_child)
    selectors.module_position_for(ny, module=second)  # the outline read once
    with django_assert_num_queries(1):
        position = selectors.module_position_for(ny, module=second)
    assert position.current.module.pk == second.pk
    assert position.current.progress is None and not position.current.is_started
    statuses = position.course.modules
    assert [s.is_complete for s in statuses] == [True, False, False]
    assert [s.is_started for s in statuses] == [True, False, True]
    assert position.course.completed == 1

    third.routed_parent = course
    with django_assert_num_queries(1):
        position = selectors.module_position_for(ny, module=third)
    row = position.current.progress
    assert row.pk == stored.pk and row.failed_attempts == 2 and row.started_at == stored.started_at
    assert row.get_deferred_fields() == set()  # every column: the page may change the row
    assert position.current.is_started and not position.current.is_complete


@pytest.mark.django_db
def test_opening_a_module_creates_its_row_once_and_the_position_shows_it(client, ny, course):
    _first, second, _third = course.modules()
    services.enrol_in_course(None, learner=ny, course=course)
    client.force_login(ny)
    assert client.get(second.url).status_code == 200
    assert client.get(second.url).status_code == 200
    assert ModuleProgress.objects.filter(enrolment__user=ny).count() == 1
    position = selectors.module_position_for(ny, module=ModulePage.objects.get(pk=second.pk))
    assert position.current.progress == ModuleProgress.objects.get(module=second)
    assert not position.course.modules[0].is_started


@pytest.mark.django_db
def test_a_translation_reads_its_originals_row(ny, course):
    first = course.modules().first()
    services.enrol_in_course(None, learner=ny, course=course)
    services.open_module(ny, module=first)
    english = Locale.objects.get(language_code="en")
    translated = first.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    with translation.override("en"):
        position = selectors.module_position_for(
            ny, module=ModulePage.objects.get(pk=translated.pk)
        )
    assert position.current.progress == ModuleProgress.objects.get(module=first)
    assert position.current.is_started
