"""Safety's part of "Väntar på mig" (people.waiting): incidents in the manager's units whose
debrief (within 72 hours) or follow-up (after two weeks) is still to be done."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from people import permissions as people_permissions
from people import waiting
from safety.models import Incident

DEBRIEF_TO_OFFER = _("Erbjud avlastningssamtal till %(name)s")
FOLLOW_UP_DUE = _("Följ upp händelsen med %(name)s")
HAPPENED_ON = _("händelse %(date)s")


def incident_items(user, hints) -> list[waiting.WaitingItem]:
    """One query for a manager, none for anyone else."""
    unit_ids = people_permissions.managed_unit_ids(user)
    if not unit_ids:
        return []
    now = timezone.now()
    items = []
    incidents = Incident.objects.filter(unit_id__in=unit_ids, followed_up_at__isnull=True)
    for incident in incidents.select_related("person").order_by("created_at", "pk"):
        name = incident.person.get_full_name()
        if incident.needs_debrief:
            title, due = DEBRIEF_TO_OFFER, incident.debrief_due
        elif incident.follow_up_due <= now:
            title, due = FOLLOW_UP_DUE, incident.follow_up_due
        else:
            continue
        items.append(
            waiting.WaitingItem(
                title=str(title % {"name": name}),
                url=reverse("safety:incident", args=[incident.pk]),
                detail=str(HAPPENED_ON % {"date": format_date(incident.occurred_on)}),
                day=timezone.localdate(due),
                is_urgent=due < now,
            )
        )
    return items


def register() -> None:
    waiting.register(
        waiting.Provider("safety.incidents", _("Händelser att följa upp"), incident_items, order=50)
    )
