from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safety"
    verbose_name = _("Hot och våld")

    def ready(self):
        from safety import caseload

        caseload.register()
        from safety import waiting

        waiting.register()
