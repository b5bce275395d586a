from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Lärande")

    def ready(self):
        from learning import signals, waiting  # noqa: F401

        waiting.register()
