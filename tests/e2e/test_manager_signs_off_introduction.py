"""Journey 6: a new hire has done every module; the first-line manager sees her on Mitt team,
signs the introduction off after the closing conversation, and the public check (no login)
shows the certificate the municipality signed."""

import re

import pytest

from learning import services
from learning.models import Certificate
from tests.factories import right_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_signs_off_and_the_public_check_shows_the_certificate(journey, course, chef, ny):
    page = journey.page
    services.enrol_in_course(None, learner=ny, course=course)
    for module in course.modules():
        services.submit_knowledge_check(ny, module=module, answers=right_answers(module))
    assert not Certificate.objects.exists()

    journey.log_in_as(chef)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mitt team").click()
    waiting = page.get_by_role("region", name="Väntar på ditt godkännande")
    waiting.get_by_text(ny.full_name, exact=True).wait_for()
    journey.check("mitt team med en som väntar på godkännande")
    waiting.get_by_role("link", name=f"Godkänn introduktionen för {ny.full_name}").click()
    page.get_by_role("heading", level=1, name=re.compile("Godkänn introduktionen")).wait_for()
    journey.check("godkänn introduktionen")

    # Without the confirmation nothing is signed off.
    page.get_by_role("button", name="Godkänn och utfärda intyget").click()
    page.get_by_text("Bekräfta att ni har haft det avslutande samtalet.", exact=True).wait_for()
    assert not Certificate.objects.exists()
    page.get_by_label("Kommentar").fill("Bra avslutande samtal.")
    page.get_by_label("Jag har haft det avslutande samtalet och godkänner introduktionen.").check()
    page.get_by_role("button", name="Godkänn och utfärda intyget").click()
    page.get_by_text(re.compile(r"är godkänd och intyget är utfärdat")).wait_for()
    assert page.get_by_text("Ingen väntar på godkännande just nu.").is_visible()
    certificate = Certificate.objects.get(user=ny)

    # Anyone, without logging in, checks the certificate by its code.
    page.context.clear_cookies()
    journey.goto(f"/intyg/{certificate.code}/")
    page.get_by_text("Intyget är äkta och giltigt.").wait_for()
    for fact in (ny.full_name, "Kommun A", "Barn och unga – utredning", chef.full_name):
        assert page.get_by_text(fact, exact=False).first.is_visible(), fact
    journey.check("kontroll av intyget")
