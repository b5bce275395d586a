"""Demo data for the pulse survey (pulsenkät), after seed_safety: in the demo municipality,
the closed quarterly rounds of the two quarters before this one, with answers enough to show
in the quarter before last (7 and 6 answers) and, last quarter, a unit too small to show (3
answers), which also hides the other unit (its figures would be the total minus the small
one's); and this quarter's round, opened yesterday, for everyone in the units, so that the
demo new hire (ny@example.org) sees an open pulse on "Min introduktion".

Idempotent, and every date is counted from the day it runs."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.seeding import insert_checked
from demo.seed import SeedCommand
from people.models import UNIT_ROLES, Membership, Unit, User
from pulse import services
from pulse.models import PulseAnswer, PulseRound, quarter_start
from pulse.selectors import last_quarters

MUNICIPALITY = "Lunds kommun"
LARGE, SMALL = "Barn och unga – utredning", "Barn och unga – placering"
# (workload, support, stay, comment) per answer; the comments are the kind a unit writes.
ANSWERS = [
    (2, 4, 4, "Många nya ärenden på kort tid, men mentorn har alltid tid."),
    (3, 4, 5, ""),
    (2, 3, 3, "Svårt att hinna dokumentera."),
    (4, 5, 5, ""),
    (3, 4, 4, "Bra introduktion, tydlig plan."),
    (2, 2, 2, "Skulle behöva mer handledning i placeringsärenden."),
    (3, 4, 4, ""),
    (4, 4, 5, ""),
    (3, 3, 4, "Arbetsbelastningen har blivit bättre."),
]
PLAN = {1: {LARGE: 9, SMALL: 3}, 2: {LARGE: 7, SMALL: 6}}  # quarters back: answers per unit


class Command(SeedCommand):
    help = "Loads pulse survey demo data after seed_safety. Safe to run twice."
    after = "seed_safety"

    def load(self, **options) -> None:
        with transaction.atomic():
            self.seed_closed_rounds()
            self.seed_open_round()
        self.stdout.write(self.style.SUCCESS("Pulsenkät klar: se /puls/resultat/."))

    def seed_closed_rounds(self) -> None:
        today = timezone.localdate()
        quarters = last_quarters(today, 3)
        units = {unit.name: unit for unit in Unit.objects.filter(organisation__name=MUNICIPALITY)}
        organisation = units[LARGE].organisation
        now = timezone.now()
        for back, per_unit in PLAN.items():
            period = quarters[back]
            _round, created = PulseRound.objects.get_or_create(
                organisation=organisation,
                kind=PulseRound.Kind.QUARTERLY,
                period_start=period,
                defaults={
                    "opens_on": period,
                    "closes_on": period + datetime.timedelta(days=services.ROUND_DAYS),
                    "closed_at": now,
                },
            )
            if not created:
                continue
            answers = []
            for unit_name, count in per_unit.items():
                for workload, support, stay, comment in ANSWERS[:count]:
                    answer = PulseAnswer(
                        organisation=organisation,
                        unit=units[unit_name],
                        period_start=period,
                        workload=workload,
                        support=support,
                        stay=stay,
                        comment=comment,
                    )
                    answers.append(answer)
            insert_checked(PulseAnswer, answers, known=["organisation", "unit"])

    def seed_open_round(self) -> None:
        ny = User.objects.get(email="ny@example.org")
        if ny.pulse_invitations.exists():
            return
        organisation = ny.memberships.exclude(unit=None).first().organisation
        today = timezone.localdate()
        # Yesterday, unless that was last quarter (whose round is closed above).
        opened = max(today - datetime.timedelta(days=1), quarter_start(today))
        staff = {}
        for user_id, unit_id in (
            Membership.objects.filter(
                organisation=organisation,
                unit__isnull=False,
                role__in=UNIT_ROLES,
                user__is_active=True,
            )
            .order_by("user_id", "pk")
            .values_list("user_id", "unit_id")
        ):
            staff.setdefault(user_id, (unit_id, None))
        services.open_round(
            organisation_id=organisation.pk,
            kind=PulseRound.Kind.QUARTERLY,
            invitees=staff,
            today=opened,
        )
