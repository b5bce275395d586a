"""Min introduktion reads no more than it shows (issue 23, session 31): the site for its links
from the outline's cache instead of Wagtail's query, and of each course only the columns the
page needs. The links must stay right."""

import datetime

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import selectors, services
from tests.factories import right_answers
from tests.queries import exact_queries


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(
        None, learner=ny, course=course, due_date=timezone.localdate() + datetime.timedelta(30)
    )


def _warm_dashboard(client, user):
    from django.db import connection

    client.force_login(user)
    path = reverse("learning:dashboard")
    client.get(path)  # the session, the site root paths and the outlines
    with CaptureQueriesContext(connection) as captured:
        body = client.get(path).content.decode()
    return body, [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_the_dashboard_does_not_look_the_site_up(client, ny, course, enrolled):
    first = course.modules().first()
    services.submit_knowledge_check(ny, module=first, answers=right_answers(first))
    body, queries = _warm_dashboard(client, ny)
    assert not [sql for sql in queries if "wagtailcore_site" in sql]
    # The links are the pages' own, not only cheap: the course and the module to read next.
    assert f'href="{course.url}"' in body
    assert f'href="{course.modules()[1].url}"' in body


@pytest.mark.django_db
def test_the_courses_come_from_the_outline_cache_with_only_the_columns_shown(
    client, ny, course, enrolled
):
    _body, warm = _warm_dashboard(client, ny)
    assert not [sql for sql in warm if "content_coursepage" in sql]  # personal rows only
    course.save_revision().publish()  # a new curriculum generation: the course is read again
    client.get(reverse("learning:dashboard"))
    _body, queries = _warm_dashboard(client, ny)
    assert not [sql for sql in queries if "content_coursepage" in sql]
    from django.db import connection

    course.title = "Ny titel"
    course.save_revision().publish()
    with CaptureQueriesContext(connection) as cold:
        body = client.get(reverse("learning:dashboard")).content.decode()
    assert "Ny titel" in body  # the change shows at once
    (read,) = [q["sql"] for q in cold.captured_queries if 'FROM "content_coursepage"' in q["sql"]]
    assert '"content_coursepage"."sequential_modules"' in read
    for unread in ("learning_outcomes", "summary", "requires_approval", "search_description"):
        assert unread not in read, unread


@pytest.mark.django_db
def test_an_unpublished_course_leaves_the_dashboard_at_once(client, ny, course, enrolled):
    body, _queries = _warm_dashboard(client, ny)
    assert f'href="{course.url}"' in body
    course.unpublish()
    body = client.get(reverse("learning:dashboard")).content.decode()
    assert "Du har inga kurser ännu" in body
    course.save_revision().publish()
    assert course.title in client.get(reverse("learning:dashboard")).content.decode()


@pytest.mark.django_db
def test_what_the_dashboard_shows_of_a_course_costs_no_further_query(ny, course, enrolled):
    course.sequential_modules = True
    course.save_revision().publish()
    link = course.url  # warms the site root paths, as a request does
    selectors.dashboard_for(ny)  # and the course outlines (read again after the publish)
    # The enrolments with their courses, the progress and the module dates: a course column
    # left out that the locks or the links need would be one query more per course.
    with exact_queries(3):
        (progress,) = selectors.dashboard_for(ny)
        shown = (progress.course.title, progress.course.url, progress.course.translation_key)
    assert {"summary", "learning_outcomes"} <= progress.course.get_deferred_fields()
    assert shown[:2] == (course.title, link)
    # sequential_modules came with the course: the second module waits for the first.
    assert progress.modules[0].locked_reason is None
    assert progress.modules[1].locked_reason
