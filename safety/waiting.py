"""Safety's part of "Väntar på mig" (people.waiting): incidents in the manager's units whose
debrief (within 72 hours) or follow-up (after two weeks) is still to be done."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from people import permissions as people_permissions
from people import waiting
from people.models import Role
from safety.models import Incident

DEBRIEF_TO_OFFER = _("Erbjud avlastningssamtal till %(name)s")
FOLLOW_UP_DUE = _("Följ upp händelsen med %(name)s")
HAPPENED_ON = _("händelse %(date)s")


def incident_parts(context) -> list[waiting.Part]:
    """Incidents not yet followed up in the units the user leads (read by the database from
    the memberships, not from the cached roles that only decide whether to ask)."""
    incidents = Incident.objects.filter(
        unit_id__in=people_permissions.managed_unit_ids_query(context.user),
        followed_up_at__isnull=True,
    )
    return [
        waiting.Part(
            incidents,
            kind="incident",
            columns={
                "id": "pk",
                "at": "created_at",
                "at2": "debrief_offered_at",
                "day": "occurred_on",
                "name": waiting.name_of("person_id"),
            },
        )
    ]


def incident_items(rows, context) -> list[waiting.WaitingItem]:
    now = context.now
    items = []
    for row in sorted(rows, key=lambda row: (row["w_at"], row["w_id"])):
        # The model's own rules (needs_debrief, the due dates), on an instance of the row.
        incident = Incident(
            pk=row["w_id"],
            created_at=row["w_at"],
            debrief_offered_at=row["w_at2"],
            occurred_on=row["w_day"],
        )
        if incident.needs_debrief:
            title, due = DEBRIEF_TO_OFFER, incident.debrief_due
        elif incident.follow_up_due <= now:
            title, due = FOLLOW_UP_DUE, incident.follow_up_due
        else:
            continue
        items.append(
            waiting.WaitingItem(
                title=str(title % {"name": row["w_name"]}),
                url=reverse("safety:incident", args=[incident.pk]),
                detail=str(HAPPENED_ON % {"date": format_date(incident.occurred_on)}),
                day=timezone.localdate(due),
                is_urgent=due < now,
            )
        )
    return items


def register() -> None:
    waiting.register(
        waiting.Provider(
            "safety.incidents",
            _("Händelser att följa upp"),
            parts=incident_parts,
            render=incident_items,
            order=50,
            roles=frozenset({Role.MANAGER}),
        )
    )
