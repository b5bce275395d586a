"""Every allauth page we use, in our layout and our words in Swedish and English: the
reauthentication prompts, email addresses and their confirmation, the identity-provider
connection, recovery codes, setting a password, a closed sign-up and an inactive account. The
stock phrases the screenshot sweep found (and allauth's English) must not show."""

import re
import time
from html import unescape

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as _USER_OF_THE_RECORDS,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# allauth's own wording (its English msgids and its Swedish catalogue), as seen on the pages.
STOCK = [
    "Vänligen",
    "autentisera dig igen",
    "Ange ditt lösenord",
    "Recipient",
    "Epost",
    "Lägg till epost",
    "Kontakta oss",
    "tredjeparts",
    "Third-Party",
    "Confirm Access",
    "Återställningskod",
    "tvåfaktor",
    "Registrering stängd",
    "Sign Up Closed",
    "Account Inactive",
]

# allauth's Swedish for "email" ("Verifiera din mail"); in English the word is ours too.
SWEDISH_STOCK = ["mail ", "Recovery Codes", "Email Addresses"]


def _body(response) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    html = response.content.decode()
    assert 'class="site-header"' in html  # our layout, not allauth's bare one
    main = unescape(html[html.index("<main") :])
    text = re.sub(r"<[^>]+>", " ", main).lower()  # what the reader sees, not field names
    stock = STOCK + (SWEDISH_STOCK if response["Content-Language"] == "sv" else [])
    for phrase in stock:
        assert phrase.lower() not in text, phrase
    return main


def _get(client, name, lang, **kwargs):
    # The language switcher's cookie (the browser's own language is ignored on purpose).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response["Content-Language"] == lang
    return response


def _log_in(client, user, lang):
    # A logged-in person reads in the language of their profile.
    user.preferred_language = lang
    user.save(update_fields=["preferred_language"])
    client.force_login(user)


def _password_just_typed(client, user, lang):
    """As if the password had been typed again moments ago (allauth's record of it), so the
    pages behind a reauthentication show themselves rather than the prompt."""
    _log_in(client, user, lang)
    session = client.session
    session[_USER_OF_THE_RECORDS] = user_id_to_str(user)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()


@pytest.fixture
def verified_ny(ny):
    EmailAddress.objects.update_or_create(
        user=ny, email=ny.email, defaults={"verified": True, "primary": True}
    )
    return ny


@pytest.fixture
def mentor_with_app(settings, mentor):
    settings.MFA_REQUIRED = False
    TOTP.activate(mentor, generate_totp_secret())
    RecoveryCodes.activate(mentor)
    return mentor


@pytest.mark.parametrize(
    ("lang", "heading", "button"),
    [("sv", "Bekräfta att det är du", "Bekräfta"), ("en", "Confirm that it is you", "Confirm")],
)
def test_reauthentication_asks_in_our_words(client, verified_ny, lang, heading, button):
    _log_in(client, verified_ny, lang)
    html = _body(_get(client, "account_reauthenticate", lang))
    assert f"<h1>{heading}</h1>" in html
    assert f">{button}</button>" in html
    # The other way in, by a code in the email, is named by us and not by allauth's adapter.
    other = {"sv": "Med en kod i e-posten", "en": "With a code by email"}[lang]
    assert other in html and "sign-in code" not in html


@pytest.mark.parametrize(
    ("lang", "legend"), [("sv", "Skicka koden till"), ("en", "Send the code to")]
)
def test_reauthentication_by_code_names_the_address(client, verified_ny, lang, legend):
    _log_in(client, verified_ny, lang)
    html = _body(_get(client, "account_request_reauthentication_code", lang))
    assert f"<legend>{legend}</legend>" in html
    assert verified_ny.email in html


@pytest.mark.parametrize(
    ("lang", "heading", "add"),
    [
        ("sv", "Dina e-postadresser", "Lägg till en e-postadress"),
        ("en", "Your email addresses", "Add an email address"),
    ],
)
def test_email_addresses_page(client, verified_ny, lang, heading, add):
    _password_just_typed(client, verified_ny, lang)
    html = _body(_get(client, "account_email", lang))
    assert f"<h1>{heading}</h1>" in html
    assert f"<h2>{add}</h2>" in html
    # The radio button sits inside its label, beside the address (not above it).
    label = html[html.index('<label for="email_radio_') :]
    assert label.index('type="radio"') < label.index(verified_ny.email) < label.index("</label>")


@pytest.mark.parametrize(
    ("lang", "heading", "help"),
    [
        ("sv", "Bekräfta din e-postadress", "Fråga din kommunadministratör eller chef."),
        ("en", "Confirm your email address", "Ask your municipal administrator or manager."),
    ],
)
def test_verification_sent(client, lang, heading, help):
    html = _body(_get(client, "account_email_verification_sent", lang))
    assert f"<h1>{heading}</h1>" in html and help in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_confirming_an_address(client, ny, lang):
    address = EmailAddress.objects.create(user=ny, email="ny.ny@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key
    html = _body(_get(client, "account_confirm_email", lang, key=key))
    assert {"sv": "Bekräfta e-postadressen", "en": "Confirm the email address"}[lang] in html
    assert "ny.ny@example.org" in html
    html = _body(_get(client, "account_confirm_email", lang, key="nope"))
    assert {"sv": "Länken gäller inte längre", "en": "The link is no longer valid"}[lang] in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("sv", "Inloggning via kommunens identitetstjänst"),
        ("en", "Sign-in through the municipality's identity provider"),
    ],
)
def test_identity_provider_connection(client, ny, lang, heading):
    _log_in(client, ny, lang)
    html = _body(_get(client, "socialaccount_connections", lang))
    assert heading in html
    assert "<h2" not in html  # no empty "add a provider" section


@pytest.mark.parametrize(
    ("lang", "heading", "codes"),
    [
        ("sv", "Reservkoder", "Oanvända reservkoder"),
        ("en", "Recovery codes", "Unused recovery codes"),
    ],
)
def test_recovery_codes(client, mentor_with_app, lang, heading, codes):
    _password_just_typed(client, mentor_with_app, lang)
    html = _body(_get(client, "mfa_view_recovery_codes", lang))
    assert f"<h1>{heading}</h1>" in html and codes in html
    html = _body(_get(client, "mfa_generate_recovery_codes", lang))
    assert {"sv": "Skapa nya reservkoder", "en": "Make new recovery codes"}[lang] in html
    assert {"sv": "slutar gälla", "en": "stop working"}[lang] in html


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [
        ("sv", "Skriv koden som appen i din telefon visar just nu"),
        ("en", "Type the code the app on your phone shows now"),
    ],
)
def test_reauthentication_with_the_app(client, mentor_with_app, lang, prompt):
    _log_in(client, mentor_with_app, lang)
    html = _body(_get(client, "mfa_reauthenticate", lang))
    assert prompt in html
    assert {"sv": "Med lösenordet", "en": "With your password"}[lang] in html


@pytest.mark.parametrize(
    ("lang", "heading"), [("sv", "Välj lösenord"), ("en", "Choose a password")]
)
def test_setting_a_first_password(client, ny, lang, heading):
    ny.set_unusable_password()
    ny.save()
    _log_in(client, ny, lang)
    html = _body(_get(client, "account_set_password", lang))
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("sv", "Konton skapas genom inbjudan"), ("en", "Accounts are created by invitation")],
)
def test_sign_up_is_closed_in_our_words(client, lang, heading):
    html = _body(_get(client, "account_signup", lang))
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(
    ("lang", "heading"), [("sv", "Kontot är avstängt"), ("en", "The account is closed")]
)
def test_an_inactive_account(client, lang, heading):
    html = _body(_get(client, "account_inactive", lang))
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("sv", "Skriv koden från e-posten"), ("en", "Enter the code from the email")],
)
def test_the_emailed_code_is_asked_for_in_our_words(client, verified_ny, lang, heading):
    _log_in(client, verified_ny, lang)
    response = client.post(
        reverse("account_request_reauthentication_code"), {"recipient": verified_ny.email}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = _body(_get(client, "account_confirm_reauthentication_code", lang))
    assert f"<h1>{heading}</h1>" in html
    assert verified_ny.email in html
    assert "Enter Sign-In Code" not in html
    assert {"sv": "Vi har skickat en kod till", "en": "We have sent a code to"}[lang] in html
    assert "inloggningskod" not in html


@pytest.mark.parametrize(
    ("lang", "sent", "removed"),
    [
        (
            "sv",
            "Vi har skickat en länk till ny.extra@example.org",
            "Adressen ny.extra@example.org är borttagen.",
        ),
        (
            "en",
            "We have sent a link to ny.extra@example.org",
            "The address ny.extra@example.org is removed.",
        ),
    ],
)
def test_email_address_changes_are_told_in_our_words(client, verified_ny, lang, sent, removed):
    _password_just_typed(client, verified_ny, lang)
    url = reverse("account_email")
    response = client.post(url, {"action_add": "", "email": "ny.extra@example.org"}, follow=True)
    html = _body(response)
    assert sent in html and "Verifierings-mail" not in html
    response = client.post(url, {"action_remove": "", "email": "ny.extra@example.org"}, follow=True)
    html = _body(response)
    assert removed in html and "Ta bort epost-adress" not in html
