"""Journey 3: the first-line manager enrols in a leadership course run (kursomgång) from the
course page and follows the team on "Mitt team"."""

import re

import pytest

from learning import services
from learning.models import RunEnrolment
from tests.factories import add_course, add_module, right_answers
from tests.learning.conftest import make_run

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_enrols_in_a_run_and_opens_mitt_team(journey, catalog, course, chef, ny):
    page = journey.page
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    add_module(leadership, title="Att leda socialsekreterare")
    run = make_run(leadership, seats=2, name="Höstomgången")
    services.enrol_in_course(None, learner=ny, course=course)
    first = course.modules().first()
    services.submit_knowledge_check(ny, module=first, answers=right_answers(first))

    journey.log_in_as(chef)
    journey.check("min introduktion för chefen")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kurser").click()
    journey.check("kurskatalog")
    page.get_by_role("link", name="Ledarskap").click()
    page.get_by_text("2 platser kvar").wait_for()
    journey.check("ledarskapskurs")

    page.get_by_role("button", name=re.compile(r"^Anmäl dig\W+Höstomgången$")).click()
    page.get_by_text("Du har en plats").wait_for()
    assert page.get_by_text("1 plats kvar").is_visible()
    journey.check("anmäld till kursomgången")
    place = RunEnrolment.objects.get(run=run, user=chef)
    assert place.status == RunEnrolment.Status.ENROLLED

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mitt team").click()
    page.get_by_role("heading", level=1, name="Mitt team").wait_for()
    assert page.get_by_role("rowheader", name=ny.full_name).is_visible()
    journey.check("mitt team")
