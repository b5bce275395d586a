"""Journey 7: a person leaves. The municipal admin finds the mentor on the staff list, hands
over the case she supervises and her mentee on the leaver page (avslut), and deactivates her;
nothing is left held by someone who has left."""

import re

import pytest
from django.utils import timezone

from core.models import OutboxMessage
from mentoring.models import Mentorship, SupervisedCase
from people import views_staff
from people.models import Role
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_admin_hands_over_a_leavers_work_and_deactivates_her(
    journey, home, kommunadmin, mentor, ny, enhet_a, kommun_a, monkeypatch
):
    page = journey.page
    today = timezone.localdate()
    successor = person(
        enhet_a, Role.MENTOR, email="maja@example.org", full_name="Maja Efterträdare"
    )
    case = CaseFactory(
        holder=ny,
        supervisor=mentor,
        reference="LVU-7",
        case_type=CaseTypeFactory(organisation=kommun_a, name="Placering"),
    )
    mentorship = Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=today,
    )

    journey.log_in_as(kommunadmin)
    journey.goto("/personal/", check="personal")
    page.get_by_label("Sök namn eller e-post").fill("mentor")
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("link", name=mentor.full_name, exact=True).click()
    page.get_by_role("heading", level=1, name=mentor.full_name).wait_for()
    journey.check("personens sida")
    page.get_by_role("link", name=re.compile("^Avslut")).click()
    page.get_by_role("heading", level=1, name=re.compile("^Avslut")).wait_for()
    journey.check("avslut med öppet arbete")

    page.get_by_label("Ny handledare").select_option(label=successor.full_name)
    page.get_by_role("button", name="Lämna över LVU-7 (Placering)").click()
    # Each hand-over is confirmed first: who takes over, and that they are emailed.
    page.get_by_role("heading", level=1, name="Bekräfta överlämningen").wait_for()
    page.get_by_text(f"{successor.full_name} får ett mejl", exact=False).wait_for()
    journey.check("bekräfta överlämningen")
    page.get_by_role("button", name="Ja, lämna över").click()
    page.get_by_text("Överlämnat: LVU-7 (Placering).").wait_for()
    # As for a leaver with much open work in a large municipality: an item's list of names
    # only when the admin opens that item (people.views_staff.LEAVER_LIST_LIMIT).
    monkeypatch.setattr(views_staff, "LEAVER_LIST_LIMIT", 0)
    journey.goto(f"/personal/{mentor.pk}/avslut/", check="avslut, listan stängd")
    assert page.locator("select[name=to]").count() == 0
    page.get_by_role("link", name=re.compile(r"^Välj vem som tar över – Adept")).click()
    page.get_by_label("Ny mentor").wait_for()
    journey.check("avslut, en lista öppen")
    page.get_by_label("Ny mentor").select_option(label=successor.full_name)
    page.get_by_role("button", name=re.compile(r"^Lämna över Adept")).click()
    page.get_by_role("button", name="Ja, lämna över").click()
    page.get_by_text("inget öppet arbete kvar", exact=False).wait_for()
    journey.check("avslut klart")

    page.get_by_role("link", name="Gå vidare till avaktivering").click()
    page.get_by_role("button", name="Ja, avaktivera").click()
    page.get_by_text("är avaktiverad", exact=False).wait_for()
    journey.check("avaktiverad")

    mentor.refresh_from_db()
    assert not mentor.is_active
    assert SupervisedCase.objects.get(pk=case.pk).supervisor == successor
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert Mentorship.objects.get(mentee=ny, status=Mentorship.Status.ACTIVE).mentor == successor
    told = OutboxMessage.objects.filter(handler="team.tasks.handover_email")
    assert sorted((m.args["what"], m.recipient_id) for m in told) == sorted(
        [
            ("case_supervised", successor.pk),
            ("new_mentor", successor.pk),
            ("new_mentor_to_mentee", ny.pk),
        ]
    )
