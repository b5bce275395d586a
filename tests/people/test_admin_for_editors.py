"""/admin/ (Wagtail) for a logged-in person who is not an editor: a page that says the admin is
for editors, with a link home, instead of an endless redirect between /admin/ and the login."""

import os

import pytest
from django.templatetags.static import static
from django.urls import reverse

from benchmarks.redis_commands import commands_during
from tests.factories import UserFactory
from tests.redis_monitor import worker_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["ny", "chef", "mentor"])
def test_a_non_editor_gets_an_explanation_not_a_redirect(client, request, settings, who):
    settings.MFA_REQUIRED = False
    person = request.getfixturevalue(who)
    client.force_login(person)
    for path in ("/admin/", "/admin/pages/", "/admin/images/"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert "Redigeringsläget är för redaktörer" in html
        assert f'href="{reverse("people:start")}"' in html


def test_the_admins_login_link_ends_somewhere_instead_of_looping(client, settings, ny):
    settings.MFA_REQUIRED = False
    client.force_login(ny)
    response = client.get("/admin/login/", follow=True)
    assert len(response.redirect_chain) <= 3
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("learning:dashboard")


def test_an_editor_reaches_the_admin(client, settings, redaktor):
    settings.MFA_REQUIRED = False
    client.force_login(redaktor)
    assert client.get("/admin/").status_code == 200


def test_a_visitor_is_still_sent_to_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("language", "heading", "explanation", "home"),
    [
        (
            "sv",
            "Redigeringsläget är för redaktörer",
            "Här skriver och publicerar redaktörerna kursernas moduler.",
            "Till startsidan",
        ),
        (
            "en",
            "The editing area is for editors",
            "This is where editors write and publish the courses",
            "To the start page",
        ),
    ],
)
def test_the_page_says_what_the_admin_is_for_in_the_persons_language(
    client, settings, ny, language, heading, explanation, home
):
    """A page of its own since issue 16 (no site navigation: it cost a cache round trip and most
    of the rendering of a refusal): it still explains, in the person's language, fits a phone
    and leads home."""
    settings.MFA_REQUIRED = False
    ny.preferred_language = language
    ny.save(update_fields=["preferred_language"])
    client.force_login(ny)
    response = client.get("/admin/pages/")
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<title>{heading} – Introsteg</title>" in html
    assert f"<h1>{heading}</h1>" in html
    assert explanation in html
    assert f'<a class="button" href="{reverse("people:start")}">{home}</a>' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f'<link rel="stylesheet" href="{static("css/introsteg.css")}">' in html


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_the_refusal_sends_nothing_to_the_cache(client, settings, ny):
    """Without the site's navigation the page reads nothing from the shared cache (it read the
    person's navigation roles and the pages version, one round trip)."""
    settings.MFA_REQUIRED = False
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.SharedRedisCache",
            "LOCATION": worker_url(os.environ["REDIS_URL"]),
        }
    }
    client.force_login(ny)
    assert client.get("/admin/pages/").status_code == 403
    commands = commands_during(
        settings.CACHES["default"]["LOCATION"],
        lambda: client.get("/admin/pages/"),
    )
    # (A new connection's handshake, HELLO, CLIENT and the SELECT of its database, is no read:
    # Django closes the cache's connections at the end of every request.)
    handshake = ("HELLO", "CLIENT", "SELECT")
    assert [command for command in commands if not command.startswith(handshake)] == []


def _fresh(user):
    """The person as the next request loads them: no permissions cached on the instance."""
    return type(user).objects.get(pk=user.pk)


def test_the_one_query_check_answers_as_djangos_has_perm(redaktor, kommunadmin, ny, mentor):
    """people.admin_access.may_enter_wagtail_admin is user.has_perm("wagtailadmin.access_admin")
    in one query (issue 16): the same answer for the editors' and municipal admins' groups, a
    permission given to the person directly, none, another permission only, superusers, and
    inactive people (who hold no permission, whatever their groups)."""
    from django.contrib.auth.models import Permission

    from people.admin_access import may_enter_wagtail_admin
    from tests.queries import exact_queries

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    direct = ny
    direct.user_permissions.add(access_admin)
    other_only = UserFactory()
    other_only.user_permissions.add(Permission.objects.exclude(pk=access_admin.pk).first())
    superuser = UserFactory(is_superuser=True)
    inactive_editor = UserFactory(is_active=False)
    inactive_editor.groups.set(redaktor.groups.all())
    inactive_superuser = UserFactory(is_superuser=True, is_active=False)
    expected = {
        "redaktor": (redaktor, True),
        "kommunadmin": (kommunadmin, True),
        "direct": (direct, True),
        "mentor": (mentor, False),
        "other permission only": (other_only, False),
        "superuser": (superuser, True),
        "inactive editor": (inactive_editor, False),
        "inactive superuser": (inactive_superuser, False),
    }
    assert redaktor.groups.exists() and kommunadmin.groups.exists()
    for who, (user, answer) in expected.items():
        assert _fresh(user).has_perm("wagtailadmin.access_admin") is answer, who
        loaded = _fresh(user)
        with exact_queries(1 if user.is_active and not user.is_superuser else 0):
            assert may_enter_wagtail_admin(loaded) is answer, who
