"""Learning's part of "Väntar på mig" (people.waiting): modules overdue or due within two
weeks, read from the dashboard's own progress (the one place that decides "overdue")."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from learning import selectors
from people import permissions as people_permissions
from people import waiting

# "Due soon": two weeks is the rhythm of the first months' mentor meetings, so a module due
# before the next meeting shows up in time to be read.
DUE_SOON = datetime.timedelta(days=14)
MODULE_DUE = _("%(module)s (%(course)s)")
DUE_ON = _("klart senast %(date)s")


def module_items(user, hints) -> list[waiting.WaitingItem]:
    """Reuses the dashboard's courses when the landing page passes them (no query); otherwise
    reads them once through the same selector."""
    if not people_permissions.is_learner(user):
        return []
    courses = hints.get("courses")
    if courses is None:
        courses = selectors.dashboard_for(user)
    horizon = timezone.localdate() + DUE_SOON
    items = []
    for course in courses:
        for status in course.modules:
            if status.is_complete or status.due_date is None:
                continue
            if status.is_overdue or status.due_date <= horizon:
                items.append(
                    waiting.WaitingItem(
                        title=str(
                            MODULE_DUE
                            % {"module": status.module.title, "course": course.course.title}
                        ),
                        url=status.module.url or "",
                        detail=str(DUE_ON % {"date": format_date(status.due_date)}),
                        day=status.due_date,
                        is_urgent=status.is_overdue,
                    )
                )
    return sorted(items, key=lambda item: item.day)


def register() -> None:
    waiting.register(
        waiting.Provider("learning.modules", _("Moduler att bli klar med"), module_items, order=60)
    )
