"""Demo data for threats and violence, after seed_mentoring: the demo new hire's safety checks,
one on her own page that says "go as planned" and one before a home visit in her honour-related
case that says "two together" (which, in her first year, tells her manager and mentor); and two
incidents (händelser): one 16 days ago that her manager has debriefed and followed up and her
mentor has taken up in a debrief session, and one yesterday that waits for the debrief; and
the demo municipality's own routine (its link to KIA, its wording of one question).

Idempotent, and every date is counted from the day it runs."""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.seed import SeedCommand
from mentoring.models import SupervisedCase
from people.models import User
from safety import services
from safety.models import (
    Answer,
    Incident,
    IncidentKind,
    Location,
    SafetyCheck,
    SafetySettings,
    WhoKnows,
)

# A made-up address on a reserved domain: the demo municipality's intranet page for KIA.
DEMO_REPORTING_URL = "https://intranat.example.org/arbetsmiljo/rapportera-i-kia"

CLEAR = {
    "location": Location.OTHER,
    "known_threats": Answer.NO,
    "weapons": Answer.NO,
    "animals": Answer.NO,
    "earlier_incidents": Answer.NO,
    "decision_to_communicate": False,
    "who_knows": WhoKnows.COLLEAGUE,
}


class Command(SeedCommand):
    help = "Loads threats-and-violence demo data after seed_mentoring. Safe to run twice."
    after = "seed_mentoring"

    def load(self, **options) -> None:
        with transaction.atomic():
            self.seed_routine()
            self.seed()
            self.seed_incidents()
        self.stdout.write(self.style.SUCCESS("Hot och våld klart: se /sakerhet/."))

    def seed_routine(self) -> None:
        """The demo municipality's own reporting routine (a link to its KIA) and its own wording
        of one question, as its municipal admin sets them on /sakerhet/kommun/."""
        ny = User.objects.get(email="ny@example.org")
        organisation = ny.memberships.exclude(unit=None).first().organisation
        if SafetySettings.objects.filter(organisation=organisation).exists():
            return
        services.update_safety_settings(
            User.objects.get(email="admin@example.org"),
            organisation=organisation,
            reporting_url=DEMO_REPORTING_URL,
            reporting_text=(
                "Rapportera hot, våld och tillbud i KIA samma dag, även när inget allvarligt "
                "hände. Din chef får en kopia och kontaktar dig. Akut hot: ring 112."
            ),
            who_knows_question=(
                "Vem vet var du är? Enligt vår rutin skriver du besöket i den gemensamma "
                "kalendern och meddelar en kollega när du är tillbaka."
            ),
        )

    def seed(self) -> None:
        ny = User.objects.get(email="ny@example.org")
        if SafetyCheck.objects.filter(person=ny).exists():
            return
        today = timezone.localdate()
        unit = ny.memberships.exclude(unit=None).first().unit
        services.make_safety_check(
            ny,
            unit=unit,
            planned_on=today + datetime.timedelta(days=2),
            notes="Samtal med barnet på skolan tillsammans med elevhälsan.",
            **CLEAR,
        )
        honour_case = (
            SupervisedCase.objects.filter(holder=ny, case_type__honour_related=True)
            .exclude(stage="closed")
            .first()
        )
        services.make_safety_check(
            ny,
            case=honour_case,
            planned_on=today + datetime.timedelta(days=5),
            notes="Tolk behövs. Kolla med mentorn vem som följer med.",
            **{**CLEAR, "location": Location.HOME, "known_threats": Answer.UNKNOWN},
        )

    def seed_incidents(self) -> None:
        ny = User.objects.get(email="ny@example.org")
        if Incident.objects.filter(person=ny).exists():
            return
        chef = User.objects.get(email="chef@example.org")
        mentor = User.objects.get(email="mentor@example.org")
        unit = ny.memberships.exclude(unit=None).first().unit
        today = timezone.localdate()
        earlier = services.record_incident(
            ny,
            occurred_on=today - datetime.timedelta(days=16),
            kind=IncidentKind.THREAT_OF_VIOLENCE,
            reported_in_system=True,
            tell_mentor=True,
            unit=unit,
        )
        services.offer_debrief(chef, incident=earlier)
        # The demo mentorship began 9 days ago: the debrief in supervision came after that.
        services.log_debrief_session(
            mentor,
            incident=earlier,
            date=today - datetime.timedelta(days=8),
            duration_minutes=45,
            format="in_person",
            what_happened="Hot i telefon efter ett beslut om utredning.",
            how_you_are="Orolig de första dagarna, bättre nu.",
            support_needed="Att vara två vid nästa möte med familjen.",
            changes="Beslut i ärendet delges på kontoret.",
        )
        services.record_follow_up(chef, incident=earlier)

        # Dated as it would have happened: recorded the same day, the debrief offered the next
        # day, the follow-up two weeks on.
        # At noon of each local day: a datetime minus days is a day off across a change to
        # or from summer time late in the evening.
        def noon(days_ago: int) -> datetime.datetime:
            day = today - datetime.timedelta(days=days_ago)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

        Incident.objects.filter(pk=earlier.pk).update(
            created_at=noon(16), debrief_offered_at=noon(15), followed_up_at=noon(2)
        )
        services.record_incident(
            ny,
            occurred_on=today - datetime.timedelta(days=1),
            kind=IncidentKind.ONLINE_HARASSMENT,
            reported_in_system=False,
            tell_mentor=False,
            unit=unit,
        )
