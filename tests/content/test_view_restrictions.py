"""Wagtail's view restrictions (privacy: a password, logged-in users, groups) on the pages
route_to_child serves (catalogue, course, module): the row read fresh for the page served says
whether any page on its way from the root, itself included, carries a restriction or is an
alias (content.outline.page_to_serve, content.models.ServedFresh, issue 23 session 33). Only
when none does is Wagtail's check skipped; otherwise it runs as Wagtail runs it. Nothing is
cached, so a restriction set or lifted anywhere on the way, or a module moved under a
restricted course, applies at the next view."""

import pytest
from wagtail.models import Page, PageViewRestriction

from content.models import ModulePage
from content.outline import page_to_serve
from tests.factories import add_course, add_module
from tests.queries import exact_queries

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
@pytest.mark.parametrize("level", ["module", "course", "catalog", "home"])
def test_a_restriction_set_or_lifted_on_the_way_applies_at_the_next_view(client, ny, course, level):
    module = course.modules().first()
    client.force_login(ny)
    assert _shown(client, module)  # the outline read and kept
    restricted = {
        "module": module,
        "course": course,
        "catalog": course.get_parent(),
        "home": course.get_parent().get_parent(),
    }[level]
    restriction = _restrict(restricted)
    assert not _shown(client, module)
    restriction.delete()
    assert _shown(client, module)


@pytest.mark.django_db
def test_a_restricted_course_page_asks_for_its_password(client, ny, course):
    client.force_login(ny)
    assert client.get(course.url).status_code == 200
    _restrict(course)
    assert PASSWORD_FORM in client.get(course.url).content.decode()


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
def test_the_restrictions_found_are_the_ones_wagtail_finds(catalog, course):
    """Served pages with restrictions (or an alias) on the way get Wagtail's own answer; without,
    the answer is empty, and Wagtail's is too."""
    module = course.modules().first()
    alias_source = add_course(catalog, title="Källa")
    alias = alias_source.create_alias(parent=catalog, update_slug="alias-kurs")
    aliased_module = add_module(alias.specific, title="I aliaset")
    plain = add_module(add_course(catalog, title="Öppen"), title="Öppen modul")
    _restrict(alias_source)
    for reading in (module, aliased_module, plain):
        served = page_to_serve(reading.get_parent().specific, ModulePage, reading.slug)
        wagtails = set(Page.get_view_restrictions(served))
        assert set(served.get_view_restrictions()) == wagtails
        assert served.view_restrictions_absent == (reading.pk in (module.pk, plain.pk))
    assert set(Page.get_view_restrictions(aliased_module))  # the alias's source's restriction
    _restrict(course)
    served = page_to_serve(course, ModulePage, module.slug)
    assert not served.view_restrictions_absent
    assert set(served.get_view_restrictions()) == set(Page.get_view_restrictions(served))


@pytest.mark.django_db
def test_no_query_for_restrictions_when_there_are_none(course):
    module = course.modules().first()
    served = page_to_serve(course, ModulePage, module.slug)
    assert served.view_restrictions_absent
    with exact_queries(0):
        assert list(served.get_view_restrictions()) == []


@pytest.mark.django_db
def test_a_page_deeper_than_the_levels_looked_at_is_checked_by_wagtail(monkeypatch, course):
    """Only CHAIN_LEVELS prefixes of a path are looked at: a page deeper than that (here a
    module at level 5 against 4) is never taken as unrestricted."""
    from content import outline

    module = course.modules().first()
    assert module.depth == 5
    row = outline._page_row(ModulePage, module.pk)
    assert row.get()[-1] is False  # nothing restricted on the way, every level looked at
    monkeypatch.setattr(outline, "CHAIN_LEVELS", 4)
    assert outline._page_row(ModulePage, module.pk).get()[-1] is True


@pytest.mark.django_db
def test_the_password_page_is_ours_in_swedish_and_a_wrong_password_says_so(client, ny, course):
    """Wagtail's own password page was bare English HTML outside our layout (the sweep's
    screenshots showed it): ours extends base.html, and its form still goes to Wagtail's view."""
    restriction = _restrict(course)
    client.force_login(ny)
    body = client.get(course.url).content.decode()
    assert 'class="site-header' in body and '<html lang="sv"' in body
    assert "<h1>Sidan kräver ett lösenord</h1>" in body
    assert '<label for="id_password">Lösenord</label>' in body
    action = f"/_util/authenticate_with_password/{restriction.pk}/{course.pk}/"
    assert f'action="{action}"' in body

    wrong = client.post(action, {"password": "fel", "return_url": course.url})
    assert wrong.status_code == 200
    wrong_body = wrong.content.decode()
    assert "Lösenordet du angav är inte korrekt" in wrong_body
    assert 'class="site-header' in wrong_body and 'aria-invalid="true"' in wrong_body

    right = client.post(action, {"password": "hemligt", "return_url": course.url})
    assert right.status_code == 302 and right["Location"] == course.url
    assert PASSWORD_FORM not in client.get(course.url).content.decode()
