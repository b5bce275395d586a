"""Journey: a course leader manages a full run's waitlist from its roster (kursomgång): moves
a waiting manager up after confirming, and writes to everyone in the run after a preview.
Every page fits 375 px (the roster's tables scroll in their own container)."""

import pytest

from core.models import OutboxMessage
from learning.models import RunEnrolment
from learning.services import runs
from tests.factories import add_course, add_module
from tests.learning.conftest import make_managers, make_run

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_course_leader_moves_someone_up_and_messages_the_run(
    journey, catalog, kursledare, kommun_a, enhet_a
):
    page = journey.page
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    add_module(leadership, title="Att leda socialsekreterare")
    run = make_run(
        leadership,
        seats=2,
        sessions=4,
        name="Våromgången",
        leaders=[kursledare],
        organiser=kommun_a,
    )
    people = make_managers(enhet_a, 4)
    for manager in people:
        runs.enrol_in_course_run(manager, run=run)
    last = RunEnrolment.objects.get(run=run, user=people[3])

    journey.log_in_as(kursledare)
    journey.goto("/min-introduktion/kursomgangar/", check="kursomgångar")
    page.get_by_role("link", name="Våromgången").click()
    page.get_by_role("heading", level=2, name="Reservlista").wait_for()
    journey.check("deltagare och reservlista")
    page.get_by_role("link", name=f"Flytta upp {people[3].full_name}").click()
    page.get_by_role("button", name="Ja, flytta upp").wait_for()
    journey.check("bekräfta flytt på reservlistan")
    page.get_by_role("button", name="Ja, flytta upp").click()
    page.get_by_text("står nu som nummer 1 på reservlistan", exact=False).wait_for()
    last.refresh_from_db()
    assert last.waitlist_position == 1

    page.get_by_role("link", name="Skicka meddelande till deltagarna").click()
    page.get_by_label("Ämne").fill("Lokalbyte")
    page.get_by_label("Meddelande", exact=True).fill("Vi ses i sal 3 i stället.")
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_role("heading", level=2, name="2 mottagare").wait_for()
    journey.check("förhandsgranska meddelandet")
    page.get_by_role("button", name="Skicka").click()
    page.get_by_text("Meddelandet är skickat till 2 personer.").wait_for()
    assert OutboxMessage.objects.filter(handler="learning.tasks.run_message_email").count() == 2
