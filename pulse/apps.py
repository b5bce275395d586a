from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PulseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pulse"
    verbose_name = _("Pulsenkät")

    def ready(self):
        from pulse import waiting

        waiting.register()
