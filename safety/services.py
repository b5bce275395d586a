"""Writes for safety checks (säkerhetsbedömningar)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.dates import add_months
from mentoring.models import SupervisedCase
from people.models import Unit, User
from safety import selectors, tasks
from safety.models import SafetyCheck
from safety.rules import assess

NOT_YOUR_UNIT = _("Du kan bara göra en säkerhetsbedömning i en enhet där du arbetar.")
NOT_YOUR_CASE = _("Du kan bara göra en säkerhetsbedömning för ett öppet ärende som du har.")
PLANNED_IN_PAST = _("Bedömningen görs före mötet: välj dagens datum eller ett senare.")
PLANNED_TOO_FAR = _("Datumet ligger mer än ett år fram i tiden. Kontrollera årtalet.")
# A check is made for a visit in the coming weeks; a year ahead is a typing error.
MAX_MONTHS_AHEAD = 12


@transaction.atomic
def make_safety_check(
    actor: User,
    *,
    planned_on: datetime.date,
    location: str,
    known_threats: str,
    weapons: str,
    animals: str,
    earlier_incidents: str,
    decision_to_communicate: bool,
    who_knows: str,
    notes: str = "",
    unit: Unit | None = None,
    case: SupervisedCase | None = None,
) -> SafetyCheck:
    """Make a safety check (säkerhetsbedömning) before a planned visit or meeting; it ends in
    the one rule's recommendation. "Two together" or stricter in the person's first year tells
    their manager and mentor (by email through the outbox, once each)."""
    if case is not None:
        if case.holder_id != actor.pk or not case.is_open:
            raise PermissionDenied(NOT_YOUR_CASE)
        unit = case.unit
    if unit is None or unit.pk not in selectors.holder_unit_ids(actor):
        raise PermissionDenied(NOT_YOUR_UNIT)
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if planned_on and planned_on < today:
        errors["planned_on"] = [PLANNED_IN_PAST]
    elif planned_on and planned_on > add_months(today, MAX_MONTHS_AHEAD):
        errors["planned_on"] = [PLANNED_TOO_FAR]
    answers = {
        "location": location,
        "known_threats": known_threats,
        "weapons": weapons,
        "animals": animals,
        "earlier_incidents": earlier_incidents,
        "decision_to_communicate": bool(decision_to_communicate),
        "who_knows": who_knows,
    }
    check = SafetyCheck(
        person=actor,
        organisation_id=unit.organisation_id,
        unit=unit,
        case=case,
        planned_on=planned_on,
        notes=(notes or "").strip(),
        recommendation="",
        **answers,
    )
    try:
        check.full_clean(exclude=["recommendation"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    check.recommendation = assess(**answers).recommendation
    check.full_clean()
    check.save()
    if check.tells_manager_and_mentor and selectors.is_in_first_year(
        actor, organisation_id=unit.organisation_id, today=today
    ):
        for recipient in selectors.people_to_tell(check):
            outbox.enqueue(
                tasks.check_told_email,
                args={"check_id": check.pk, "user_id": recipient.pk},
                key=f"safety-check:{check.pk}:{recipient.pk}",
                recipient_id=recipient.pk,
                organisation_id=check.organisation_id,
            )
    return check
