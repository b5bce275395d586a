"""Journey 4: the curriculum editor (redaktör) edits a module in the Wagtail admin, publishes
it, and the learner sees the change."""

import pytest

from learning import services

WAGTAIL_STREAMFIELD = ".w-field--block_widget"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_publishes_a_module_and_the_learner_sees_it(journey, course, redaktor, ny, settings):
    # Wagtail's autosave (its feature, not ours) made this journey depend on its timing: it
    # saves a draft when its form watcher, which takes the form's first state about 2 s after
    # the editor opens, sees a change. Published while that request ran, the draft was left
    # newer than the published revision; filled before the watcher's first state (load 8-10,
    # 2026-11-30), nothing was autosaved and waiting for "saved" timed out. Without autosave
    # the editor's publish is the only save, as the journey means.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = journey.page
    module = course.modules().first()
    services.enrol_in_course(None, learner=ny, course=course)

    journey.log_in_as(redaktor)
    assert page.url.endswith("/admin/")
    journey.check("wagtail start")
    journey.goto(f"/admin/pages/{module.pk}/edit/")
    # Wagtail's StreamField editor (its own templates and Draftail) leaves a top-level text
    # block's input and the rich-text areas without a label; everything else must pass.
    journey.check("redigera modul", exclude=[WAGTAIL_STREAMFIELD])
    intro = "Ny ingress: så förbereder du ett barnsamtal."
    page.get_by_role("textbox", name="Ingress").fill(intro)
    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.locator("footer button[name='action-publish']").click()
    page.wait_for_url(f"**/admin/pages/{course.pk}/")
    module.refresh_from_db()
    assert module.intro == intro
    assert not module.has_unpublished_changes
    journey.check("publicerad")

    page.context.clear_cookies()
    journey.log_in_as(ny)
    journey.goto(module.url)
    assert page.locator(".lead").inner_text() == intro
    journey.check("modulen efter ändringen")
