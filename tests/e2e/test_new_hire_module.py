"""Journey 1: the new hire logs in, opens the next module, fails its knowledge check without
being shown the right answers, waits out the pause, passes, and sees the progress move; once
with the mouse, once with the keyboard alone."""

import datetime
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import ModuleProgress
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def enrolled(ny, course):
    due = timezone.localdate() + datetime.timedelta(days=30)
    return services.enrol_in_course(None, learner=ny, course=course, due_date=due)


def test_new_hire_fails_then_passes_the_knowledge_check(journey, ny, course, enrolled):
    page = journey.page
    journey.log_in_as(ny)
    assert page.url.endswith("/min-introduktion/")
    assert page.get_by_text("0 av 3 moduler klara").is_visible()
    journey.check("min introduktion")

    page.get_by_role("link", name=re.compile(r"^Börja\W+Modul 1$")).click()
    page.get_by_role("heading", level=1, name="Modul 1").wait_for()
    journey.check("modul 1")

    page.get_by_role("link", name="Till kunskapskontrollen").click()
    journey.check("kunskapskontroll")

    # Sent without an answer: the error is tied to its question, and the form says so.
    page.get_by_role("button", name="Lämna in svaren").click()
    group = page.get_by_role("group", name="1. Vad gäller?")
    assert page.get_by_role("radio", name="Rätt", exact=True).get_attribute("aria-invalid")
    assert "Svara på frågan." in _description_of(page, group)
    journey.check("kunskapskontroll – fel i formuläret")

    page.get_by_role("radio", name="Fel", exact=True).check()
    page.get_by_role("button", name="Lämna in svaren").click()
    page.get_by_text("Inte godkänt den här gången").wait_for()
    # Which question was wrong and why, never the right option; the next try after a pause.
    assert page.get_by_text("Därför.").is_visible()
    assert page.get_by_text("– rätt svar", exact=True).count() == 0
    assert page.get_by_text("Rätt svar visas när du har klarat kontrollen.").is_visible()
    assert page.get_by_text("Nästa försök öppnar").is_visible()
    assert page.get_by_role("link", name="Försök igen").count() == 0
    journey.check("inte godkänt")

    _end_the_pause()
    page.get_by_role("link", name="Läs modulen igen").click()
    page.get_by_role("heading", level=1, name="Modul 1").wait_for()
    page.get_by_role("link", name="Till kunskapskontrollen").click()
    page.get_by_role("radio", name="Rätt", exact=True).check()
    page.get_by_role("button", name="Lämna in svaren").click()
    page.get_by_text("Godkänt! Du fick 100 %").wait_for()
    assert page.get_by_text("1 av 3 moduler klara").is_visible()
    journey.check("godkänt")

    page.get_by_role("link", name="Min introduktion").click()
    assert page.get_by_text("1 av 3 moduler klara").is_visible()
    assert page.locator("progress").get_attribute("value") == "1"
    assert page.get_by_role("link", name=re.compile(r"^Fortsätt\W+Modul 2$")).is_visible()
    journey.check("min introduktion efter modul 1")


def test_new_hire_module_flow_with_the_keyboard_alone(journey, ny, course, enrolled):
    page = journey.page
    journey.goto("/accounts/login/")

    # The skip link is the first stop and moves focus to the main content.
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    _tab_to(page, "E-post")
    page.keyboard.type(ny.email)
    _tab_to(page, "Lösenord")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/min-introduktion/")

    _tab_to(page, "Börja: Modul 1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{course.modules().first().url}")
    _tab_to(page, "Till kunskapskontrollen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kunskapskontroll/")

    # A wrong answer: into the radio group, and the arrow keys move to "Fel" and select it
    # (the choices come in the order the server shuffled them for this attempt).
    _choose_with_the_keyboard(page, "Fel")
    _tab_to(page, "Lämna in svaren")
    page.keyboard.press("Enter")
    page.get_by_text("Inte godkänt den här gången").wait_for()

    _end_the_pause()
    _tab_to(page, "Läs modulen igen")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Modul 1").wait_for()
    _tab_to(page, "Till kunskapskontrollen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kunskapskontroll/")
    _choose_with_the_keyboard(page, "Rätt")
    _tab_to(page, "Lämna in svaren")
    page.keyboard.press("Space")
    page.get_by_text("Godkänt! Du fick 100 %").wait_for()

    _tab_to(page, "Nästa modul: Modul 2")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Modul 2").wait_for()
    _tab_to(page, "Min introduktion")
    page.keyboard.press("Enter")
    page.wait_for_url("**/min-introduktion/")
    assert page.get_by_text("1 av 3 moduler klara").is_visible()
    journey.check("efter tangentbordet")


def _choose_with_the_keyboard(page, label: str) -> None:
    """Tab into the question's radio group and pick `label` with the arrow keys (or Space, when
    the first choice is the one)."""
    focused = _tab_to_any(page, {"Rätt", "Fel", "Också fel"})
    if focused["label"] == label:
        page.keyboard.press("Space")
    for _ in range(3):
        if _focused(page)["label"] == label:
            break
        page.keyboard.press("ArrowDown")
    assert _focused(page)["label"] == label
    assert page.get_by_role("radio", name=label, exact=True).is_checked()


def _tab_to_any(page, names: set[str]) -> dict:
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["outline"], f"no visible focus on {focused}"
        if focused["label"] in names:
            return focused
    raise AssertionError(f"none of {names} reached with Tab on {page.url}")


def _end_the_pause() -> None:
    """As if the learner came back after the pause that follows a failed attempt."""
    ModuleProgress.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def _description_of(page, locator) -> str:
    ids = (locator.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in ids)


_FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const label = el.labels && el.labels.length ? el.labels[0].innerText.trim() : "";
    return {
        id: el.id,
        tag: el.tagName.toLowerCase(),
        text: (el.getAttribute("aria-label") || el.textContent || el.value || "")
            .trim().replace(/\\s+/g, " "),
        label: label,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
}"""


def _focused(page) -> dict:
    return page.evaluate(_FOCUSED)


def _tab_to(page, name: str, *, limit: int = 40) -> dict:
    """Press Tab until the element called `name` (its text or its label) has focus; every stop
    on the way must show a visible focus outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "body":
            break
        assert focused["outline"], f"no visible focus on {focused}"
        if name in (focused["text"], focused["label"]):
            return focused
    raise AssertionError(f"{name!r} not reached with Tab on {page.url}")
