from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default = True
    name = "sso"
    verbose_name = _("Inloggning via kommunens identitetstjänst")

    def ready(self):
        from sso import signals  # noqa: F401
