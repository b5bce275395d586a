from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = _("Personer och organisationer")

    def ready(self):
        # staff registers open work; chrome connects the signals that clear its cache
        from people import checks, chrome, signals, staff  # noqa: F401


class PeopleUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our User's fields (see people/wagtail_users.py)."""

    user_viewset = "people.wagtail_users.UserViewSet"
