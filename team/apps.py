from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "team"
    verbose_name = _("Mitt team")

    def ready(self):
        # The leaver's open work in mentoring and learning, for people's registry.
        from team import leaver

        leaver.register()
