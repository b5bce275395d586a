import hashlib
import logging
import sys
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from core.cache import UNREACHABLE as CACHE_UNREACHABLE
from people import permissions
from people.models import SubmittedForm

logger = logging.getLogger(__name__)

ALREADY_SUBMITTED = _("Formuläret var redan skickat, så inget sparades två gånger.")

MFA_NEEDED = _(
    "Din roll ger tillgång till uppgifter om ärenden och handledning. Aktivera "
    "tvåstegsverifiering med en autentiseringsapp innan du fortsätter."
)

MFA_CODE_NEEDED = _(
    "Din roll ger tillgång till uppgifter om ärenden och handledning. Ange koden från din "
    "autentiseringsapp innan du fortsätter."
)

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Swedish unless the person has chosen otherwise (profile, or the language cookie).

    The browser's Accept-Language is deliberately ignored: the service is Swedish first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = settings.LANGUAGE_CODE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in _LANGUAGES:
            language = user.preferred_language
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in _LANGUAGES:
            language = request.COOKIES[settings.LANGUAGE_COOKIE_NAME]
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The language cookie (set by the language switcher) changes the page.
        patch_vary_headers(response, ("Cookie",))
        return response


class SessionLifetimeMiddleware:
    """Log a person out after an absolute session lifetime, however active they are.

    Idle expiry: the session lives SESSION_COOKIE_AGE from its last save, and an active person's
    session is saved every few minutes. The absolute limit counts from the login, as a shared
    office computer needs.
    """

    KEY = "introsteg_login_at"
    SEEN_KEY = "introsteg_seen_at"
    # Renewing the idle timer costs a session write; once every few minutes is precise enough
    # and keeps ordinary page views free of writes.
    RENEW_AFTER = 300

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def start(cls, session) -> None:
        now = int(time.time())
        session[cls.KEY] = now
        session[cls.SEEN_KEY] = now

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.SEEN_KEY, 0) > self.RENEW_AFTER:
                request.session[self.SEEN_KEY] = now  # saving renews the idle expiry
        return self.get_response(request)


def server_error(request):
    """The 500 handler: a plain 503 page, rendered without the database, when the database is
    unreachable (each request opens its own connection, so the site recovers by itself once the
    database is back), and likewise when the shared cache is for a key that cannot fall back;
    otherwise the plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return database_unavailable(request)
    if isinstance(exception, CACHE_UNREACHABLE):
        # Only keys the site cannot do without reach here (rate limits, used two-step codes;
        # core.cache): the request fails closed, with a page that says to try again.
        return service_unavailable(request, "Shared cache (Redis) unavailable", cache_down=True)
    return HttpResponse(
        render_to_string("500.html"), status=500, content_type="text/html; charset=utf-8"
    )


def database_unavailable(request):
    return service_unavailable(request, "Database unavailable")


def service_unavailable(request, what: str, *, cache_down: bool = False):
    """The plain 503 page (no database, no cache), with Retry-After."""
    logger.error("%s while serving %s", what, request.path, exc_info=True)
    response = HttpResponse(
        render_to_string("503.html", {"cache_down": cache_down}),
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = "30"
    return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, with inline script allowed only where Wagtail's admin needs it."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_PREFIXES):
            parts.update = {
                **(parts.update or {}),
                "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
                "style-src": ["'unsafe-inline'"],
                "img-src": ["blob:"],
            }
        return parts


class MFARequiredMiddleware:
    """Mentors, first-line managers and municipal admins see case data and supervision records:
    until they have set up two-step verification (TOTP) and used it in this session, every page
    except the short list in people.permissions (set-up, login, logout, public pages) sends
    them to set it up or to enter their code. Fail closed: a new URL is protected without
    anyone remembering to list it.

    "Used in this session" is allauth's own record of the session's authentication steps, so
    a session logged in with the password alone (say, before the authenticator was added)
    does not count. The authenticator cannot be removed by these roles
    (people.adapters.MFAAdapter).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED or not request.user.is_authenticated:
            return None
        if request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in permissions.MFA_OPEN_URL_NAMES:
            return None
        if view_name == permissions.MFA_PAGE_VIEW_NAME:
            return None  # the page type decides (people.wagtail_hooks)
        if not permissions.mfa_pending(request):
            return None
        return mfa_redirect(request)


def mfa_redirect(request):
    """To the set-up page, or, with an authenticator, to the step that asks for its code; back
    to the page afterwards."""
    if permissions.has_mfa(request.user):
        messages.info(request, MFA_CODE_NEEDED)
        target = reverse("mfa_reauthenticate")
    else:
        messages.info(request, MFA_NEEDED)
        target = reverse("mfa_activate_totp")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class _AlreadySubmittedError(Exception):
    pass


class DuplicateSubmissionMiddleware:
    """A double-submitted form (two clicks, a resubmit after back) is acted on once.

    A POST is recorded under the rendering it came from, in the same database transaction as
    the view's work: the key commits with the work or not at all. A database that fails during
    the view (a 5xx) rolls both back, so the resubmission after recovery is acted on. A second
    POST from the same rendering gets a message and a redirect instead; if it arrives while the
    first is still running, the unique key makes its insert wait for the first transaction and
    then fail, so two simultaneous clicks still act once. A POST that did not succeed (no
    redirect: the form had errors) releases its key, so the corrected form can be sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        SubmittedForm.objects.create(key=key)
                except IntegrityError as error:
                    raise _AlreadySubmittedError from error
                # The view's exceptions arrive here as responses (Django converts them in
                # every middleware layer), so a failure is read from the status.
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                elif not 300 <= response.status_code < 400:
                    SubmittedForm.objects.filter(key=key).delete()
        except _AlreadySubmittedError:
            messages.info(request, ALREADY_SUBMITTED)
            return redirect(self._back(request))
        return response

    @staticmethod
    def _key(request) -> str | None:
        token = request.POST.get("csrfmiddlewaretoken") if request.method == "POST" else None
        if not token or request.path_info.startswith(settings.ADMIN_PREFIXES):
            return None
        who = request.user.pk if request.user.is_authenticated else request.session.session_key
        raw = f"{who}|{request.path_info}|{token}".encode()
        return hashlib.sha256(raw).hexdigest()

    @staticmethod
    def _back(request) -> str:
        referer = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return "/"
