"""allauth's refusals on the two-step pages in our words and our one term, tvåstegsverifiering /
two-step verification (issue 17); the sweep of every page found "Du kan inte inaktivera
tvåfaktorsautentisering." on the page a mentor opens to turn the app off."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from people.adapters import MFAAdapter
from tests.people.test_allauth_pages import _body, _get, _password_just_typed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("sv", "Din roll kräver tvåstegsverifiering, så du kan inte stänga av den."),
        ("en", "Your role requires two-step verification, so you cannot turn it off."),
    ],
)
def test_a_mentor_is_told_why_the_app_stays(client, mentor, lang, refusal):
    TOTP.activate(mentor, generate_totp_secret())
    RecoveryCodes.activate(mentor)
    _password_just_typed(client, mentor, lang)
    main = _body(_get(client, "mfa_deactivate_totp", lang))
    assert refusal in main


@pytest.mark.parametrize(("lang", "term"), [("sv", "tvåstegsverifiering"), ("en", "two-step")])
def test_every_refusal_uses_our_term(lang, term):
    from django.utils import translation

    with translation.override(lang):
        texts = {key: str(text) for key, text in MFAAdapter.error_messages.items()}
    del texts["incorrect_code"]  # names no method
    for key, text in texts.items():
        assert term in text, (key, text)
        assert "faktor" not in text and "factor" not in text, (key, text)
