"""The sign-in, invitation and two-step pages in our layout and our words: one term
(tvåstegsverifiering), no stock allauth phrasing, "Avbryt" never the primary button, labels
without colons, and no English on a Swedish page."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STOCK = [
    "Epost-adress",
    "Vänligen kontakta oss",
    "tvåfaktor",
    "Ändra lösenord",
    "mail ",
]


def _no_stock_wording(html: str) -> None:
    lowered = html.lower()
    for phrase in STOCK:
        assert phrase.lower() not in lowered, phrase
    assert not re.search(r"<label[^>]*>[^<]*:\s*</label>", html), "a label ends in a colon"


def _primary_buttons(html: str) -> list[str]:
    main = html[html.index("<main") :]
    return re.findall(r'class="button"[^>]*>([^<]+)<', main)


def test_the_invitation_link_lands_on_choose_a_password(client, ny):
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(ny), "key": default_token_generator.make_token(ny)},
    )
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert "<h1>Välj lösenord</h1>" in html
    assert 'class="site-header"' in html
    _no_stock_wording(html)
    assert all("Avbryt" not in label for label in _primary_buttons(html))
    assert _primary_buttons(html) == ["Spara lösenordet"]


def test_a_used_link_says_so_in_our_words(client, ny):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})
    html = client.get(url, follow=True).content.decode()
    assert "Länken gäller inte längre" in html
    _no_stock_wording(html)


def test_a_wrong_password_is_told_plainly_at_the_top(client, ny):
    response = client.post(
        reverse("account_login"), {"login": ny.email, "password": "fel-lösenord"}
    )
    html = response.content.decode()
    assert "E-postadressen eller lösenordet stämmer inte." in html
    assert html.index("error-summary") < html.index('name="password"')
    _no_stock_wording(html)


@pytest.mark.parametrize(
    "name", ["account_reset_password", "account_reset_password_done", "account_login"]
)
def test_public_account_pages_use_our_words(client, name):
    html = client.get(reverse(name)).content.decode()
    assert 'class="site-header"' in html
    _no_stock_wording(html)


def test_signing_out_is_said_in_swedish(client, ny):
    client.post(reverse("account_login"), {"login": ny.email, "password": PASSWORD})
    response = client.post(reverse("account_logout"), follow=True)
    html = response.content.decode()
    assert "Du är utloggad." in html
    assert "signed out" not in html


def test_two_step_pages_say_tvastegsverifiering(client, settings, mentor):
    settings.MFA_REQUIRED = False
    client.force_login(mentor)
    for name in ("mfa_index", "mfa_activate_totp", "account_change_password"):
        response = client.get(reverse(name), follow=True)
        html = response.content.decode()
        _no_stock_wording(html)
        assert all("Avbryt" not in label for label in _primary_buttons(html)), name
    assert "Tvåstegsverifiering" in client.get(reverse("mfa_index")).content.decode()
