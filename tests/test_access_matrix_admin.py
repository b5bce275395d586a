"""The access matrix, part 2 of 2: the Wagtail and Django admins (the areas declared in
tests/test_access_matrix.py, AREAS), every pattern in them walked with every role, parameters
filled with placeholder values. Nobody without access ever gets a page; anonymous visitors are
sent to a login.

A file of its own so that `--dist loadfile` can run it beside part 1 (the declared table of our
own pages) on the other worker: together they were the suite's largest file (81.8 s of pytest in
CI, this walk two thirds of it).
"""
# The matrix's `world` fixture is imported, so a test taking it as a parameter shadows the name.
# ruff: noqa: F811

import pytest

from tests.test_access_matrix import (  # noqa: F401 - world and contexts_not_kept are fixtures
    ALL_PATTERNS,
    AREAS,
    ROLES,
    _client_for,
    _outcome,
    _placeholder_path,
    contexts_not_kept,
    world,
)

# Static assets of the Wagtail admin that any browser may fetch: the icon sprite and the
# JavaScript translation catalogue (no data in either).
ADMIN_ASSETS = {"wagtailadmin_sprite", "wagtailadmin_javascript_catalog", "admin:jsi18n"}
# The admins' logout pages, walked after all the others (see the walk below).
ADMIN_LOGOUTS = {"admin:logout", "wagtailadmin_logout"}


def _to_a_login(response) -> bool:
    """Sent to a login page: ours, or an admin's own login URL that forwards to ours."""
    location = response.get("Location", "")
    return response.status_code in (404, 405) or (
        response.status_code == 302
        and any(p in location for p in ("/accounts/login/", "/admin/login/", "-admin/login/"))
    )


def _admin_walk() -> list[tuple[str, str, str]]:
    """(path, name, area) for every pattern in the admins, placeholders filled, the logout pages
    last: a GET of Wagtail's (a 405) deletes the session cookie all the same, and the editors
    walked the 184 admin pages after it as anonymous visitors. The same for every role, so
    worked out once."""
    walk = []
    for route, name, pattern in sorted(ALL_PATTERNS, key=lambda entry: entry[1] in ADMIN_LOGOUTS):
        area = next((a for a in AREAS if route.startswith(a)), None)
        path = _placeholder_path(route, pattern) if area is not None else None
        if path is not None:
            walk.append((path, name, area))
    return walk


ADMIN_WALK = _admin_walk()


@pytest.mark.django_db
@pytest.mark.usefixtures("contexts_not_kept")
@pytest.mark.parametrize("role", ROLES)
def test_the_admins_are_closed_to_everyone_without_access(role, world):
    from django.test import Client

    user = world.users[role]
    client = _client_for(Client, user)
    wrong = []
    checked = 0
    logged_in_until_the_logouts = user is None
    for path, name, area in ADMIN_WALK:
        if name in ADMIN_LOGOUTS and not logged_in_until_the_logouts:
            assert client.session.get("_auth_user_id") == str(user.pk), "logged out mid-walk"
            logged_in_until_the_logouts = True
        allowed = role in AREAS[area]
        response = client.get(path)
        got = _outcome(response)
        checked += 1
        if got == "error" and name != "wagtailadmin_error_test":
            # (Wagtail's /admin/failwhale/ fails on purpose, for admins testing error pages.)
            wrong.append(f"{path} ({name}): server error")
        elif not allowed and response.status_code == 200 and name not in ADMIN_ASSETS:
            wrong.append(f"{path} ({name}): answered 200 to a role without access")
        elif (
            not allowed
            and role == "anonym"
            and not _to_a_login(response)
            and name not in ADMIN_ASSETS | ADMIN_LOGOUTS
        ):
            wrong.append(f"{path} ({name}): anonymous got {response.status_code}")
    assert checked > 300 and logged_in_until_the_logouts
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
