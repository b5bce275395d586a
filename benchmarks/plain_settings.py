"""A plain Wagtail site for the page benchmark's second baseline (issue 23): the same database,
page tree and page types, served without our middleware or site chrome (no session, user,
navigation, language choice, messages, two-step check), so the figures show what the chrome
costs apart from what the learning features cost.

    DJANGO_SETTINGS_MODULE=benchmarks.plain_settings gunicorn config.wsgi:application

Only for the benchmark; nothing in production imports it."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.plain_urls"
# What Wagtail's own serve view needs and nothing of ours. allauth stays installed (the models
# and URLs import it) and refuses to start without its middleware, which for a page that is
# found only sets an attribute and a context.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The page body without base.html's chrome (benchmarks/plain_templates/).
        "DIRS": [BASE_DIR / "benchmarks" / "plain_templates"],  # noqa: F405
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
