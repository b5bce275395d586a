from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentorskap och handledning")

    def ready(self):
        from learning import calendar as learning_calendar
        from mentoring import calendar, waiting

        learning_calendar.register_events("mentoring.meetings", calendar.booked_meetings)
        waiting.register()
