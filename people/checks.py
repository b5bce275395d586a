"""System checks for production settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that each web process keeps for itself (or not at all): with several processes, each
# counts failed logins and remembers used two-step codes on its own, so limits multiply and a
# code is accepted once per process.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) is not shared between web processes.",
            hint="Set CACHE_URL or REDIS_URL to a Redis server, e.g. redis://127.0.0.1:6379/1: "
            "login rate limits and used two-step verification codes must be counted in one "
            "place (README, Settings).",
            id="people.E001",
        )
    ]


# allauth features whose emails are not written in our words and would go out at once, in
# allauth's stock text and outside the outbox (people.account_emails writes the others). They
# are switched off; switching one on needs its email written first, so the site refuses to
# start until then.
FEATURES_WITHOUT_OUR_EMAILS = {
    "LOGIN_BY_CODE_ENABLED": "ACCOUNT_LOGIN_BY_CODE_ENABLED (account/email/login_code)",
    "PASSWORD_RESET_BY_CODE_ENABLED": (
        "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED (account/email/password_reset_code)"
    ),
    "EMAIL_VERIFICATION_BY_CODE_ENABLED": (
        "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED (account/email/email_confirmation_code)"
    ),
}
# Two-step methods whose notices are allauth's own (security keys).
OUR_MFA_TYPES = {"totp", "recovery_codes"}


@register(Tags.security)
def allauth_emails_in_our_words(app_configs, **kwargs):
    from allauth.account import app_settings as account_settings
    from allauth.mfa import app_settings as mfa_settings

    switched_on = [
        setting
        for attribute, setting in FEATURES_WITHOUT_OUR_EMAILS.items()
        if getattr(account_settings, attribute)
    ]
    switched_on += [
        f"MFA_SUPPORTED_TYPES: {kind}"
        for kind in sorted(set(mfa_settings.SUPPORTED_TYPES) - OUR_MFA_TYPES)
    ]
    return [
        Error(
            f"{setting} is switched on, but its emails are allauth's, not ours.",
            hint="Write its subject, text and HTML under templates/ in Swedish and English, "
            "send it through the outbox (people/account_emails.py, people/adapters.py) and add "
            "it to this check's exceptions; until then keep it off.",
            id="people.E002",
        )
        for setting in switched_on
    ]
