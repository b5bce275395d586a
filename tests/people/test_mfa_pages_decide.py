"""The two-step pages offer only what can be done (issue 17): the sweep of every page showed a
mentor the refusal to turn the app off beside a red "Stäng av", a person without an app an empty
card with "Skapa nya reservkoder", and allauth's "Autentiseringskod" as the code field's name."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.people.test_allauth_pages import _body, _get, _password_just_typed

pytestmark = pytest.mark.django_db


def _with_app(user):
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def _submit_buttons(main: str) -> int:
    return main.count('type="submit"')


def _main(client, user, name: str, lang: str) -> str:
    """The page's <main>, as its reader sees it right after typing the password again; in our
    layout and free of allauth's stock phrases (_body's checks)."""
    _password_just_typed(client, user, lang)
    response = _get(client, name, lang)
    _body(response)
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_role_that_must_keep_the_app_is_offered_no_button_to_turn_it_off(client, mentor):
    _with_app(mentor)
    main = _main(client, mentor, "mfa_deactivate_totp", "sv")
    assert "Din roll kräver tvåstegsverifiering" in main
    assert _submit_buttons(main) == 0
    assert f'href="{reverse("mfa_index")}"' in main
    assert "Tillbaka till tvåstegsverifiering" in main
    # A notice, not an error summary asking to correct something that cannot be corrected.
    assert "Rätta det här" not in main
    assert "<form" not in main


def test_a_new_hire_may_turn_the_app_off(client, ny):
    _with_app(ny)
    main = _main(client, ny, "mfa_deactivate_totp", "sv")
    assert _submit_buttons(main) == 1
    assert "Stäng av" in main
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=ny, type=Authenticator.Type.TOTP).exists()


@pytest.mark.parametrize(
    ("lang", "explanation"),
    [
        ("sv", "Du kan skapa reservkoder först när du har kopplat en app"),
        ("en", "You can create recovery codes once you have connected an app"),
    ],
)
def test_without_an_app_new_codes_are_not_offered_but_the_way_to_an_app_is(
    client, ny, lang, explanation
):
    main = _main(client, ny, "mfa_generate_recovery_codes", lang)
    assert explanation in main
    assert _submit_buttons(main) == 0
    assert f'href="{reverse("mfa_activate_totp")}"' in main


def test_with_an_app_new_codes_are_offered(client, ny):
    _with_app(ny)
    main = _main(client, ny, "mfa_generate_recovery_codes", "sv")
    assert _submit_buttons(main) == 1
    assert "Skapa nya reservkoder" in main


@pytest.mark.parametrize(
    ("lang", "label"), [("sv", "Koden från appen"), ("en", "The code from the app")]
)
def test_the_code_field_is_named_in_our_words(client, ny, lang, label):
    main = _main(client, ny, "mfa_activate_totp", lang)
    assert f">{label}<" in main or f">{label} <" in main
    assert "Autentiseringskod" not in main and "Authenticator code" not in main
