""" "Väntar på mig" off the dashboard (issue 23): the modules due are read in the block's one
query through the learning_moduledue view, and their titles and links come by primary key, not
by joining the pages to the view (ten relations to plan instead of six: most of the mentor
overview's planning time at 30,000 staff). The items stay the dashboard's, in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from learning import selectors as learning_selectors
from learning import services as learning_services
from learning.models import ModuleDeadline
from people import waiting
from tests.content.test_i18n import translate

TODAY = timezone.localdate()
GROUP = "Moduler att bli klar med"


@pytest.fixture
def due(mentor, course):
    enrolment = learning_services.enrol_in_course(
        None, learner=mentor, course=course, due_date=TODAY + datetime.timedelta(days=60)
    )
    first, second, _third = course.modules()
    for module, days in ((first, -2), (second, 5)):
        ModuleDeadline.objects.create(
            enrolment=enrolment, module=module, due_date=TODAY + datetime.timedelta(days=days)
        )
    return first, second


def _modules(groups):
    # The label in the active language (English in the second test).
    return [group.items for group in groups if group.label == translation.gettext(GROUP)]


@pytest.mark.django_db
def test_the_block_joins_no_page_to_the_view(mentor, due):
    with CaptureQueriesContext(connection) as queries:
        [items] = _modules(waiting.waiting_for(mentor))
    assert [item.title for item in items] == [
        "Modul 1 (Yrkesintroduktion)",
        "Modul 2 (Yrkesintroduktion)",
    ]
    [block] = [q["sql"] for q in queries if "learning_moduledue" in q["sql"]]
    part = block[block.index('FROM "learning_moduledue"') :]
    part = part[: part.index("UNION")] if "UNION" in part else part
    assert " JOIN " not in part


@pytest.mark.django_db
def test_titles_in_english_are_the_dashboards(mentor, course, due):
    first, _second = due
    translate(course, title="Professional introduction")
    translate(first, title="Module 1 in English")
    with translation.override("en"):
        [from_block] = _modules(waiting.waiting_for(mentor))
        [from_dashboard] = _modules(
            waiting.waiting_for(mentor, courses=learning_selectors.dashboard_for(mentor))
        )
    assert [item.title for item in from_block] == [
        "Module 1 in English (Professional introduction)",
        "Modul 2 (Professional introduction)",
    ]
    assert from_block == from_dashboard
