from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from content import admin_urls
from learning import views as learning_views
from people.views import health
from sso import oidc as sso_oidc

handler500 = "people.middleware.server_error"

# Django's admin (the beat schedule, superusers only) logs in through allauth like everything
# else, so rate limits and two-step verification apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("halsa/", health, name="health"),
    path("django-admin/", admin.site.urls),
    # One login for everyone: Wagtail's own login page would bypass allauth's rate limits and
    # two-step verification, so it forwards to ours (its password reset is switched off).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    # Wagtail's admin; its choosers answer 404 for an id that cannot be one (content/admin_urls).
    path("admin/", include(admin_urls)),
    path("dokument/", include(wagtaildocs_urls)),
    # allauth's OpenID Connect callback, but checking the ID token's signature (sso/oidc.py);
    # the same path and name as allauth's, listed first so it is the one that answers.
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        sso_oidc.callback,
        name="openid_connect_callback",
    ),
    path("accounts/", include("allauth.urls")),
    path("sso/", include("sso.urls")),
    # Provisioning from the municipality's directory; token-authenticated (sso/scim/).
    path("scim/v2/", include("sso.scim.urls")),
    path("min-introduktion/", include("learning.urls")),
    path("intyg/<str:code>/", learning_views.verify, name="verify"),
    path("", include("people.urls")),
    path("mentorskap/", include("mentoring.urls")),
    path("mitt-team/", include("team.urls")),
    path("sakerhet/", include("safety.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("puls/", include("pulse.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it answers every path not matched above.
urlpatterns += [path("", include(wagtail_urls))]
