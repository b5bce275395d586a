"""allauth's emails in our words (people.account_emails): each one triggered through the real
flow (the pages, the forms, a real TOTP code), delivered by the outbox, read from the sent
message, in Swedish and in English for an English reader."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from people.models import User
from tests.factories import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db

HANDLER = "people.tasks.account_email"
# allauth's stock wording, which must never reach anyone ("mail " catches "mail" alone, the
# anglicism allauth's Swedish uses; an English "email " is our own word).
STOCK = ("example.com", "Hello from", "Vänligen", "tvåfaktor", "E-post-adressen", "Thank you for")
STOCK_SWEDISH = (*STOCK, "mail ", "two-factor", "Hej från")
STOCK_ENGLISH = (*STOCK, "two-factor", "You are receiving this mail")
NEW_PASSWORD = "Ett-nytt-langt-losenord-2026"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a request and deliver what its commit put in the outbox (the worker, eager)."""

    def run(action):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = action()
        return response, mail.outbox[before:]

    return run


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def _has_logged_in_before(user):
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user


def _log_in(client, user, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def _ours(message, *, language: str) -> str:
    """The plain text, after checking the email is ours in `language` in every part."""
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'<html lang="{language}">' in html
    stock = STOCK_SWEDISH if language == "sv" else STOCK_ENGLISH
    for part in (message.subject, message.body, html):
        for phrase in stock:
            assert phrase.lower() not in part.lower(), (phrase, part)
    assert "Introsteg" in message.subject
    assert message.body.rstrip().endswith("Introsteg")
    assert not message.subject.startswith("[")  # allauth's "[site] " prefix
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    return message.body


def _link(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0).split("8000", 1)[-1]


def _delivered_through_the_outbox(count: int) -> None:
    rows = OutboxMessage.objects.filter(handler=HANDLER)
    assert rows.count() == count
    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.DELIVERED}


# --------------------------------------------------------------------------------------------
# A new password
# --------------------------------------------------------------------------------------------
def test_password_reset_in_swedish_with_a_link_that_works(client, sent, ny):
    _has_logged_in_before(ny)
    response, emails = sent(
        lambda: client.post(reverse("account_reset_password"), {"email": ny.email})
    )
    assert response.status_code == 302
    [message] = emails
    assert message.to == [ny.email]
    assert message.subject == "Välj ett nytt lösenord till Introsteg"
    body = _ours(message, language="sv")
    assert body.startswith(f"Hej {ny.get_short_name()}!")
    assert "Någon, förhoppningsvis du, bad om ett nytt lösenord" in body
    assert "Länken gäller i 7 dagar och kan användas en gång." in body
    _delivered_through_the_outbox(1)
    # The row holds no working link: the key is made again when the email is delivered.
    row = OutboxMessage.objects.get(handler=HANDLER)
    assert "/reset/key/" not in str(row.args) and "key" not in row.args

    # The link works, and the person is told their password was changed (they had one).
    response = client.get(_link(body), follow=True)
    form_path = response.redirect_chain[-1][0]
    response, emails = sent(
        lambda: client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    )
    assert response.status_code == 302
    ny.refresh_from_db()
    assert ny.check_password(NEW_PASSWORD)
    [notice] = emails
    assert notice.subject == "Ditt lösenord till Introsteg är bytt"
    body = _ours(notice, language="sv")
    assert "Lösenordet till ditt konto i Introsteg byttes den " in body
    assert "med en länk som skickades till din e-postadress" in body
    assert "Var det inte du? Välj ett nytt lösenord direkt" in body
    assert reverse("account_reset_password") in body


def test_password_reset_in_english_for_an_english_reader(client, sent, ny):
    _english(ny)
    # The page is Swedish; the email follows the reader's own language.
    _response, [message] = sent(
        lambda: client.post(reverse("account_reset_password"), {"email": ny.email})
    )
    assert message.subject == "Choose a new password for Introsteg"
    body = _ours(message, language="en")
    assert body.startswith(f"Hello {ny.get_short_name()}!")
    assert "Someone, hopefully you, asked for a new password" in body
    assert "The link is valid for 7 days and can be used once." in body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("sv", "Det finns inget konto i Introsteg med din e-postadress", "inget konto"),
        ("en", "There is no Introsteg account with your email address", "no account"),
    ],
)
def test_an_address_without_an_account_is_told_so_in_the_page_language(
    client, sent, home, language, subject, phrase
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    _response, [message] = sent(
        lambda: client.post(reverse("account_reset_password"), {"email": "okand@example.org"})
    )
    assert message.to == ["okand@example.org"]
    assert message.subject == subject
    body = _ours(message, language=language)
    assert phrase in body and "okand@example.org" in body
    assert reverse("account_reset_password") in body
    _delivered_through_the_outbox(1)


def test_an_invited_person_choosing_a_first_password_gets_no_notice_of_a_change(
    client, sent, kommunadmin, enhet_a
):
    from people.models import Role
    from people.services import invite_person

    _r, [invitation] = sent(
        lambda: invite_person(
            kommunadmin,
            email="ny.kollega@example.org",
            full_name="Ny Kollega",
            unit=enhet_a,
            role=Role.NEW_HIRE,
            start_date=timezone.localdate(),
        )
    )
    response = client.get(_link(invitation.body), follow=True)
    form_path = response.redirect_chain[-1][0]
    response, emails = sent(
        lambda: client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    )
    assert response.status_code == 302
    assert User.objects.get(email="ny.kollega@example.org").has_usable_password()
    assert emails == []


# --------------------------------------------------------------------------------------------
# Passwords changed and set while logged in
# --------------------------------------------------------------------------------------------
def test_a_changed_password_is_told_in_swedish(client, sent, ny):
    _log_in(client, ny)
    response, [message] = sent(
        lambda: client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    )
    assert response.status_code == 302
    assert message.to == [ny.email]
    assert message.subject == "Ditt lösenord till Introsteg är bytt"
    body = _ours(message, language="sv")
    assert "Lösenordet till ditt konto i Introsteg byttes den " in body
    assert " kl. " in body  # when, in our date format


def test_a_changed_password_is_told_in_english(client, sent, ny):
    _english(ny)
    _log_in(client, ny)
    _response, [message] = sent(
        lambda: client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    )
    assert message.subject == "Your Introsteg password has been changed"
    body = _ours(message, language="en")
    assert "The password of your Introsteg account was changed on " in body
    assert "Was it not you? Choose a new password at once" in body


def test_a_first_password_set_while_logged_in_is_told(client, sent, ny):
    # An account made by the municipality's identity provider has no password until the
    # person chooses one.
    ny.set_unusable_password()
    ny.save()
    client.force_login(ny)
    response, [message] = sent(
        lambda: client.post(
            reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
    )
    assert response.status_code == 302
    assert message.subject == "Ditt konto i Introsteg har fått ett lösenord"
    body = _ours(message, language="sv")
    assert "Nu kan du också logga in med e-postadress och lösenord." in body


# --------------------------------------------------------------------------------------------
# Email addresses
# --------------------------------------------------------------------------------------------
def test_a_new_address_is_confirmed_then_made_main_and_the_old_one_removed(client, sent, ny):
    old = ny.email
    new = "ny.adress@example.org"
    _log_in(client, ny)
    response, [confirmation] = sent(
        lambda: client.post(reverse("account_email"), {"action_add": "", "email": new})
    )
    assert response.status_code == 302
    assert confirmation.to == [new]
    assert confirmation.subject == "Bekräfta din e-postadress i Introsteg"
    body = _ours(confirmation, language="sv")
    assert f"Bekräfta att {new} är din e-postadress i Introsteg." in body
    assert "Vi använder den inte förrän den är bekräftad." in body
    # The confirmation link is made at delivery and works.
    response = client.post(_link(body))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=new).verified

    _response, [changed] = sent(
        lambda: client.post(reverse("account_email"), {"action_primary": "", "email": new})
    )
    assert changed.to == [old]  # the old address hears of it
    assert changed.subject == "Din e-postadress i Introsteg är ändrad"
    body = _ours(changed, language="sv")
    assert f"från {old} till {new}" in body

    _response, [removed] = sent(
        lambda: client.post(reverse("account_email"), {"action_remove": "", "email": old})
    )
    assert removed.to == [new]
    assert removed.subject == "En e-postadress är borttagen från ditt konto i Introsteg"
    assert f"E-postadressen {old} togs bort" in _ours(removed, language="sv")
    _delivered_through_the_outbox(3)


def test_a_confirmation_in_english(client, sent, ny):
    _english(ny)
    _log_in(client, ny)
    _response, [message] = sent(
        lambda: client.post(
            reverse("account_email"), {"action_add": "", "email": "ny.adress@example.org"}
        )
    )
    assert message.subject == "Confirm your email address in Introsteg"
    body = _ours(message, language="en")
    assert "Confirm that ny.adress@example.org is your email address in Introsteg." in body
    assert "Confirm the address here:" in body


def test_a_confirmation_for_an_address_confirmed_meanwhile_is_not_sent(client, sent, ny):
    _log_in(client, ny)

    def add_and_confirm_before_delivery():
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "ny.adress@example.org"}
        )
        EmailAddress.objects.filter(email="ny.adress@example.org").update(verified=True)
        return response

    _response, emails = sent(add_and_confirm_before_delivery)
    assert emails == []
    _delivered_through_the_outbox(1)


# --------------------------------------------------------------------------------------------
# Two-step verification
# --------------------------------------------------------------------------------------------
def _activate_totp(client, sent):
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = current_code(secret)
    response, emails = sent(lambda: client.post(reverse("mfa_activate_totp"), {"code": code}))
    assert response.status_code == 302, response.content.decode()[:2000]
    return emails


def test_two_step_verification_switched_on_new_codes_and_off_in_swedish(client, sent, ny):
    _log_in(client, ny)
    [activated] = _activate_totp(client, sent)
    assert Authenticator.objects.filter(user=ny, type=Authenticator.Type.TOTP).exists()
    assert activated.to == [ny.email]
    assert activated.subject == "Tvåstegsverifiering är på för ditt konto i Introsteg"
    body = _ours(activated, language="sv")
    assert "Tvåstegsverifiering slogs på för ditt konto i Introsteg den " in body
    assert "en kod från appen i din telefon" in body

    _response, [codes] = sent(lambda: client.post(reverse("mfa_generate_recovery_codes")))
    assert codes.subject == "Nya reservkoder för tvåstegsverifiering i Introsteg"
    assert "De gamla reservkoderna gäller inte längre." in _ours(codes, language="sv")

    _response, [deactivated] = sent(lambda: client.post(reverse("mfa_deactivate_totp")))
    assert not Authenticator.objects.filter(user=ny, type=Authenticator.Type.TOTP).exists()
    assert deactivated.subject == "Tvåstegsverifiering är avstängd för ditt konto i Introsteg"
    body = _ours(deactivated, language="sv")
    assert "Nu räcker lösenordet för att logga in." in body
    _delivered_through_the_outbox(3)


def test_two_step_verification_switched_on_in_english(client, sent, ny):
    _english(ny)
    _log_in(client, ny)
    [activated] = _activate_totp(client, sent)
    assert activated.subject == "Two-step verification is on for your Introsteg account"
    body = _ours(activated, language="en")
    assert "Two-step verification was turned on for your Introsteg account on " in body
    assert " at " in body  # when, in our English date format


# --------------------------------------------------------------------------------------------
# Every email allauth sends in our configuration has our templates
# --------------------------------------------------------------------------------------------
def test_every_email_we_send_for_allauth_has_our_subject_text_and_html():
    from django.template.loader import get_template

    from people.account_emails import TEMPLATES

    for template in TEMPLATES:
        for suffix in ("_subject.txt", "_message.txt", "_message.html"):
            origin = get_template(template + suffix).origin.name
            assert "site-packages" not in origin, origin
