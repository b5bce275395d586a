"""/admin/ (Wagtail) for a logged-in person who is not an editor: a page that says the admin is
for editors, with a link home, instead of an endless redirect between /admin/ and the login."""

import pytest
from django.urls import reverse

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
