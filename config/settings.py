"""Introsteg settings. Everything comes from the environment; defaults are safe for development.

Production differs only in environment values (see README.md, "Inställningar").
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --------------------------------------------------------------------------------------------
# Core
# --------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Ours
    "core",
    "people",
    "content",
    "learning",
    "mentoring",
    "team",
    "safety",
    "followup",
    "sso",
    "pulse",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.PeopleUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_celery_beat",
    "csp",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "people.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.SessionLifetimeMiddleware",
    "people.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "people.middleware.MFARequiredMiddleware",
    "people.middleware.DuplicateSubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.admin_access.EditorsOnlyAdminMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After CommonMiddleware (the host is checked): the request's site from the outline cache.
    "content.middleware.CachedSiteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.roles",
            ],
            # The one date filter (|datum) in every template without a {% load %}.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

# --------------------------------------------------------------------------------------------
# Database (SQLite file by default; PostgreSQL when DATABASE_URL says so)
# --------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections to PostgreSQL: a new backend per request (fork, authentication, cold
# catalogue caches) cost more than a page (benchmarks/README.md); checked before reuse, so a
# database that went away is noticed at the next request. Opening an SQLite file costs nothing.
_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if _SQLITE else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side prepared statements for the SQL compiled once per process (core.compiled,
# "Väntar på mig"): PostgreSQL plans each once per connection instead of on every request
# (Mina adepter's block at 30,000 staff: 2.3 -> 1.0 ms at best, benchmarks/README.md).
# Django's own queries bind on the client and are never prepared whatever this says. Turn it
# off behind a pooler that cannot keep prepared statements: PgBouncer in transaction mode
# before 1.22, or without max_prepared_statements (README.md, "Running with PostgreSQL").
if not _SQLITE and env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # psycopg's own default; Django sets None (off). Only a cursor that binds on the server
    # (core.compiled's) prepares anything.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------------------------
# Cache (local memory by default; Redis whenever CACHE_URL or REDIS_URL is set)
# --------------------------------------------------------------------------------------------
# Shared by every web process in production: login rate limits, used two-step codes (a code is
# accepted once) and course outlines live here, and a process-local cache lets each process
# count and remember on its own. `manage.py check --deploy` fails without it (people/checks.py).
# One URL names it; django-environ turns redis:// into Django's built-in RedisCache (it would pick
# django-redis if that were installed; tests/config/test_shared_cache.py pins the backend). The
# keys that copy the database fall back to it when Redis is unreachable (core/cache.py).
CACHES = {
    "default": env.cache_url_config(
        env.str("CACHE_URL", default="")
        or env.str("REDIS_URL", default="")
        or "locmemcache://introsteg"
    )
}
# Redis through core.cache.SharedRedisCache (Django's RedisCache with one declared list of keys
# that may fall back to the database while Redis is unreachable; the rest fail closed, 503).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.SharedRedisCache"

# --------------------------------------------------------------------------------------------
# Accounts: email login, invitation only (django-allauth)
# --------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# people's adapter, plus single logout through the municipality's identity provider.
ACCOUNT_ADAPTER = "sso.adapters.MunicipalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Introsteg] "
# Tell people by email when their password, address, two-step verification or municipal
# sign-in changes (in our words: people.account_emails), so a change they did not make shows.
ACCOUNT_EMAIL_NOTIFICATIONS = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "people:start"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# An invitation link stays valid for a week (allauth's reset keys use Django's token timeout).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=7 * 24 * 3600)

# --------------------------------------------------------------------------------------------
# Email (console in development; e.g. smtp+tls://user:pass@host:587 in production)
# --------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(EMAIL_CONFIG.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(EMAIL_CONFIG.get("EMAIL_USE_SSL"))
# A mail server that hangs must not hold a worker for ever; the outbox retries later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A dotted backend class overrides EMAIL_URL (tests use a file backend shared by processes).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Introsteg <noreply@introsteg.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Receives accessibility reports from visitors who name no municipality (people/accessibility/).
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="")

# --------------------------------------------------------------------------------------------
# Celery (unset broker = tasks run eagerly in-process)
# --------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task whose worker died is handed out again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TIMEZONE = "Europe/Stockholm"
# JSON only: a task's arguments are ids and short strings, and pickle would run code from
# whoever can write to the broker.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# A task that hangs (a mail server that never answers) is warned at the soft limit and killed at
# the hard one, so it cannot hold a worker process for ever (cookiecutter-django's defaults).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# The schedule lives in the database (django-celery-beat), editable at /django-admin/; the
# default entries are created by learning's migrations.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --------------------------------------------------------------------------------------------
# Outbox (core.outbox): emails and follow-up work after a commit, retried until delivered
# --------------------------------------------------------------------------------------------
# The first retry after a failure (seconds), doubling up to the maximum wait between tries.
OUTBOX_RETRY_FIRST = env.int("OUTBOX_RETRY_FIRST", default=60)
OUTBOX_RETRY_MAX = env.int("OUTBOX_RETRY_MAX", default=3600)
# Retried for at least this long (seconds) before the municipal admin sees it as failed.
OUTBOX_GIVE_UP_AFTER = env.int("OUTBOX_GIVE_UP_AFTER", default=24 * 3600)
# Delivered rows are kept this many days (to recognise a duplicate), failed ones until resent.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
OUTBOX_KEEP_FAILED_DAYS = env.int("OUTBOX_KEEP_FAILED_DAYS", default=90)

# --------------------------------------------------------------------------------------------
# Language and time
# --------------------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
# The language switcher's cookie; people.middleware.PreferredLanguageMiddleware reads it for
# visitors who are not logged in (a logged-in person's profile language wins).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --------------------------------------------------------------------------------------------
# Static and media files
# --------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --------------------------------------------------------------------------------------------
# Wagtail
# --------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Introsteg"
# One login page for everyone (allauth: email verification, and later MFA and rate limits).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No Gravatar: it would send a hash of every editor's email address to a third party (and the
# CSP blocks it anyway); Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
# A course can exist in Swedish and English (editors use "Translate" in the admin); learners
# get the version in their language when there is one, else the Swedish original.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "mp4", "webm", "vtt", "txt"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --------------------------------------------------------------------------------------------
# Security (tightened when DEBUG is off)
# --------------------------------------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Idle expiry: SESSION_COOKIE_AGE after the last activity (renewed every few minutes by
# people.middleware.SessionLifetimeMiddleware); absolute expiry counts from the login.
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers check /halsa/ over plain HTTP on the internal network; a redirect is no answer.
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's preview panel frames itself with its own same-origin override.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline script and nothing from other origins on our
# pages. Wagtail's admin still needs inline script (wagtail/wagtail#1288), so /admin/ gets a
# relaxed script-src from people.middleware.ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Wagtail's and Django's admins: the relaxed CSP above, two-step verification below, and no
# double-submit check (people.middleware).
ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Two-step verification (allauth.mfa: TOTP app and recovery codes). Required for mentors,
# managers and municipal admins: until they have set it up and used it in the session, every
# page except a short list (people.permissions.MFA_OPEN_URL_NAMES) is refused. Optional for
# everyone else. Off by default in development so the demo needs no phone; on whenever DEBUG
# is off.
MFA_ADAPTER = "people.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Introsteg"
# Our wording and what the pages decide from (people/mfa_forms.py); allauth's views are kept.
MFA_FORMS = {
    "activate_totp": "people.mfa_forms.ActivateTOTPForm",
    "generate_recovery_codes": "people.mfa_forms.GenerateRecoveryCodesForm",
}
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)

# Plausible dates where people type one (core/dates.py): a start date at most this many years
# back or ahead, a case opened at most this many years ago.
DATE_BOUNDS_START_YEARS_BACK = env.int("DATE_BOUNDS_START_YEARS_BACK", default=2)
DATE_BOUNDS_START_YEARS_AHEAD = env.int("DATE_BOUNDS_START_YEARS_AHEAD", default=1)
DATE_BOUNDS_CASE_YEARS_BACK = env.int("DATE_BOUNDS_CASE_YEARS_BACK", default=5)

# Single sign-on through a municipality's own identity provider (sso/, README "Inloggning via
# kommunens identitetstjänst"): allauth's OpenID Connect and SAML providers, one SocialApp per
# municipality, kept in step by sso.services. The adapter decides which account a login
# reaches and refuses every account outside the identity provider's municipality.
SOCIALACCOUNT_ADAPTER = "sso.adapters.MunicipalSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
# The identity provider vouches for the addresses of the domains its municipality registered
# (sso.models.EmailDomain); a confirmation email would add nothing.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# Matching by email is ours (sso.adapters), limited to the identity provider's municipality.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
# Starting a login is a POST from our own page (/sso/<kommun>/), never a GET from a link.
SOCIALACCOUNT_LOGIN_ON_GET = False
# allauth's SAML provider, which also keeps the asserted authentication context (second factor).
SOCIALACCOUNT_PROVIDERS = {"saml": {"provider_class": "sso.saml_provider.MunicipalSAMLProvider"}}

# Rate limits (django-allauth): failed logins per account and per address, password resets.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "signup": "5/m/ip",
}

# Behind a reverse proxy every request comes from the proxy's address, so the per-address
# limits above would count everyone together. allauth then reads the client's address from
# X-Forwarded-For, taking the entry the outermost of TRUSTED_PROXY_COUNT proxies added (the
# entries before it can be forged by the client), or from a header the proxy sets
# (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Off by default: the header is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Wagtail logs every page save and background task at INFO; that is noise here.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
