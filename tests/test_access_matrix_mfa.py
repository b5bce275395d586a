"""The access matrix under two-step verification: every URL pattern of the project, walked with
a mentor who has not set it up, must be refused unless it is on the one allow-list
(people.permissions.MFA_OPEN_URL_NAMES). A new URL is refused by default; if something lets it
through, this test names it.
"""
# The matrix's `world` fixture is imported, so tests taking it as a parameter shadow the name.
# ruff: noqa: F811

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from people import permissions
from tests.test_access_matrix import (  # noqa: F401 - world is a fixture
    ALL_PATTERNS,
    POLICIES,
    _placeholder_path,
    world,
)

PAGE_SERVING = permissions.MFA_PAGE_VIEW_NAME


def _path_for(name, pattern, route, objects):
    policy = POLICIES.get(name)
    if policy is not None:
        kwargs = policy.kwargs(objects) if policy.kwargs else None
        return reverse(name, kwargs=kwargs), policy.method
    return _placeholder_path(route, pattern), "get"


def _refused(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(
        (reverse("mfa_activate_totp"), reverse("mfa_reauthenticate"))
    )


def test_the_allow_list_names_only_existing_urls_and_page_types():
    names = {name for _route, name, _pattern in ALL_PATTERNS}
    assert not permissions.MFA_OPEN_URL_NAMES - names
    assert PAGE_SERVING in names
    for label in permissions.MFA_OPEN_PAGE_TYPES:
        apps.get_model(label)  # raises LookupError for a type that no longer exists


@pytest.fixture
def unverified_mentor(world, settings):
    settings.MFA_REQUIRED = True
    client = Client(raise_request_exception=False)
    client.force_login(world.users["mentor"])  # the password, no second factor
    return client


@pytest.mark.django_db
def test_every_pattern_not_on_the_allow_list_is_refused(world, unverified_mentor):
    wrong, checked = [], 0
    for route, name, pattern in ALL_PATTERNS:
        if name in permissions.MFA_OPEN_URL_NAMES or name == PAGE_SERVING:
            continue
        path, method = _path_for(name, pattern, route, world)
        if path is None:
            continue  # regex routes: the page tree (below), documents, DEBUG media
        response = getattr(unverified_mentor, method)(path)
        checked += 1
        if not _refused(response):
            wrong.append(f"{method.upper()} {path} ({name}): {response.status_code}")
    assert checked > 300
    assert not wrong, "open to a mentor without two-step verification:\n" + "\n".join(wrong)


def _regex_path(route: str) -> str:
    """allauth's provider routes are regexes (^saml/(?P<organization_slug>[^/]+)/acs/): each
    group filled with a placeholder."""
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "x", route).replace("^", "")


@pytest.mark.django_db
def test_the_allow_list_is_open(world, unverified_mentor):
    wrong = []
    for route, name, pattern in ALL_PATTERNS:
        if name not in permissions.MFA_OPEN_URL_NAMES:
            continue
        path, method = _path_for(name, pattern, route, world)
        if path is None:
            path = _regex_path(route)
        response = getattr(unverified_mentor, method)(path)
        if _refused(response) or response.status_code >= 500:
            wrong.append(f"{method.upper()} {path} ({name}): {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_only_public_page_types_of_the_tree_are_open(world, unverified_mentor):
    catalog = world.course.get_parent()
    for page in (catalog.get_parent(), catalog, world.course):
        assert unverified_mentor.get(page.url).status_code == 200, page.url
    assert _refused(unverified_mentor.get(world.module.url))
    # Documents are served by their own regex route: refused as well.
    assert _refused(unverified_mentor.get("/dokument/1/x.pdf"))
