"""Wagtail's view restrictions (privacy: a password, logged-in users, groups) on a module
page: which pages' restrictions apply comes from the outline (content.outline.
restriction_pages, issue 23 session 33), the restrictions themselves are read on every view.
So a restriction set or lifted on the course, the catalogue or the site's home takes effect
on the next view, a module moved to a restricted course is restricted at once, and an alias
counts as its source, as in Wagtail."""

import pytest
from wagtail.models import Page, PageViewRestriction

from content.models import ModulePage
from tests.factories import add_course, add_module

PASSWORD_FORM = 'name="password"'


def _restrict(page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )


def _shown(client, module) -> bool:
    response = client.get(module.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert (PASSWORD_FORM in body) != (module.title in body and "<article>" in body)
    return PASSWORD_FORM not in body


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["course", "catalog", "home"])
def test_a_restriction_set_or_lifted_above_the_module_applies_at_the_next_view(
    client, ny, course, level
):
    module = course.modules().first()
    client.force_login(ny)
    assert _shown(client, module)  # the outline read and kept
    restricted = {
        "course": course,
        "catalog": course.get_parent(),
        "home": course.get_parent().get_parent(),
    }[level]
    restriction = _restrict(restricted)
    assert not _shown(client, module)
    restriction.delete()
    assert _shown(client, module)


@pytest.mark.django_db
def test_a_module_moved_to_a_restricted_course_is_restricted(client, ny, catalog, course):
    closed = add_course(catalog, title="Stängd kurs")
    _restrict(closed)
    module = add_module(course, title="Flyttas")
    client.force_login(ny)
    assert _shown(client, module)
    module.move(closed, pos="last-child")
    assert not _shown(client, ModulePage.objects.get(pk=module.pk))


@pytest.mark.django_db
def test_the_pages_asked_for_are_the_ones_wagtail_asks_for(catalog, course):
    module = course.modules().first()
    alias_source = add_course(catalog, title="Källa")
    alias = alias_source.create_alias(parent=catalog, update_slug="alias-kurs")
    aliased_module = add_module(alias.specific, title="I aliaset")
    for page in (course, course.get_parent(), alias_source):
        _restrict(page)
    for reading in (module, aliased_module):
        reading = ModulePage.objects.get(pk=reading.pk)
        ours = set(reading.get_view_restrictions())
        assert ours == set(Page.get_view_restrictions(reading)) and ours
