"""The notice that an account was connected to the municipality's identity provider (allauth's
account_connected email, in our words: people.account_emails), after a real OIDC login."""

import pytest
from django.core import mail

from people.models import Role
from tests.people.test_allauth_emails import _ours
from tests.sso.conftest import sign_in, staff_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "sv",
            "Ditt konto i Introsteg är kopplat till kommunens inloggning",
            "till inloggning via {provider}. Nu kan du logga in med kommunens inloggning.",
        ),
        (
            "en",
            "Your Introsteg account is linked to your municipality's sign-in",
            "to signing in through {provider}. You can now sign in with your municipality's",
        ),
    ],
)
def test_an_account_connected_at_its_first_sso_login_is_told(
    client, idp_a, enhet_a, django_capture_on_commit_callbacks, language, subject, sentence
):
    invited = staff_member("inbjuden@kommun-a.se", Role.NEW_HIRE, unit=enhet_a)
    invited.preferred_language = language
    invited.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, idp_a, "invited")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [invited.email]
    assert message.subject == subject
    body = _ours(message, language=language)
    assert sentence.format(provider=idp_a.app.name) in " ".join(body.split())
    # Once connected, later logins tell nothing.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, idp_a, "invited")
    assert len(mail.outbox) == 1
