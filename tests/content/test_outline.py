"""The cached course outline (content/outline.py): read once, then no query; every editor's
change shows at once, on the outline and on the learner's pages."""

import pytest

from content import outline
from content.models import ModulePage
from learning import services
from tests.factories import add_course, add_module


def titles(course) -> list[str]:
    return [module.title for module in outline.live_modules_by_course([course])[course.path]]


@pytest.mark.django_db
def test_a_cached_outline_costs_no_query(course, django_assert_num_queries):
    other = add_course(course.get_parent(), title="Fördjupning")
    other.prerequisites.add(course)
    other.save_revision().publish()
    outline.live_modules_by_course([course, other])
    outline.prerequisites_by_course([course.pk, other.pk])
    with django_assert_num_queries(0):
        modules = outline.live_modules_by_course([course, other])
        required = outline.prerequisites_by_course([course.pk, other.pk])
    assert [m.title for m in modules[course.path]] == ["Modul 1", "Modul 2", "Modul 3"]
    assert modules[other.path] == []
    assert modules[course.path][0].list_url == ModulePage.objects.get(title="Modul 1").url
    assert required == {course.pk: [], other.pk: [(course.pk, "Yrkesintroduktion")]}


@pytest.mark.django_db
def test_a_course_not_cached_yet_is_read_with_the_cached_ones(course, django_assert_num_queries):
    outline.live_modules_by_course([course])
    other = add_course(course.get_parent(), title="Fördjupning")
    add_module(other, title="Samtal")
    with django_assert_num_queries(1):
        modules = outline.live_modules_by_course([course, other])
    assert [m.title for m in modules[other.path]] == ["Samtal"]


@pytest.mark.django_db
def test_published_unpublished_moved_renamed_and_deleted_modules_show_at_once(course):
    assert titles(course) == ["Modul 1", "Modul 2", "Modul 3"]
    add_module(course, title="Modul 4")
    assert titles(course) == ["Modul 1", "Modul 2", "Modul 3", "Modul 4"]
    second = ModulePage.objects.get(title="Modul 2")
    second.unpublish()
    assert titles(course) == ["Modul 1", "Modul 3", "Modul 4"]
    fourth = ModulePage.objects.get(title="Modul 4")
    fourth.move(course, pos="first-child")
    assert titles(course) == ["Modul 4", "Modul 1", "Modul 3"]
    fourth.refresh_from_db()
    fourth.title = "Inledning"
    fourth.save_revision().publish()
    assert titles(course) == ["Inledning", "Modul 1", "Modul 3"]
    ModulePage.objects.get(title="Modul 3").delete()
    assert titles(course) == ["Inledning", "Modul 1"]


@pytest.mark.django_db
def test_a_prerequisite_added_on_publishing_locks_the_course_at_once(client, ny, course):
    advanced = add_course(course.get_parent(), title="Fördjupning")
    module = add_module(advanced, title="Fördjupningsmodul")
    services.enrol_in_course(None, learner=ny, course=advanced)
    client.force_login(ny)
    assert "Låst" not in client.get(module.url).content.decode()
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    assert "Låst: gå först klart Yrkesintroduktion." in client.get(module.url).content.decode()


@pytest.mark.django_db
def test_a_module_added_by_an_editor_shows_in_the_learners_navigation(client, ny, course):
    services.enrol_in_course(None, learner=ny, course=course)
    first = course.modules().first()
    client.force_login(ny)
    assert "Modul 1 av 3" in client.get(first.url).content.decode()
    added = add_module(course, title="Ny modul")
    page = client.get(first.url).content.decode()
    assert "Modul 1 av 4" in page
    assert f'<a href="{added.url}">Ny modul</a>' in page


@pytest.mark.django_db
def test_a_new_generation_reads_outlines_again(course):
    """What another process's change does through a shared cache: outlines cached under the
    earlier generation are not served."""
    assert titles(course) == ["Modul 1", "Modul 2", "Modul 3"]
    # A bulk update sends no signal (as in seed_scale): the cached outline is still served...
    ModulePage.objects.filter(title="Modul 1").update(title="Ändrad")
    assert titles(course)[0] == "Modul 1"
    # ...until a new generation starts, which any page change elsewhere does.
    outline.forget_outlines()
    assert titles(course)[0] == "Ändrad"


@pytest.mark.django_db
def test_changing_the_site_starts_a_new_generation(course):
    """The modules' links depend on the site's root page."""
    from django.core.cache import cache
    from wagtail.models import Site

    titles(course)
    before = cache.get(outline.GENERATION_KEY)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Introsteg"
    site.save()
    assert cache.get(outline.GENERATION_KEY) != before
