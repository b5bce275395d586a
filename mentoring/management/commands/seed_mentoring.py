"""Demo data for mentoring, on top of seed_demo: two mentor profiles, an active mentorship
between mentor@example.org and ny@example.org with two logged sessions and an agenda item.

Idempotent: running it twice creates nothing twice. No client names, no personal numbers.
"""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    MentoringSettings,
    Mentorship,
    SessionTopic,
    Specialisation,
    SupervisionSession,
)
from people.models import Organisation, User

GOALS = (
    "Känna mig trygg i att leda en barnavårdsutredning från förhandsbedömning till beslut.\n"
    "Öva på samtal med barn och på att dokumentera barnets berättelse sakligt.\n"
    "Veta när och hur jag ska ta upp ett ärende med min chef, särskilt vid oro för "
    "hedersrelaterat våld."
)
PROFILES = {
    "mentor@example.org": {
        "years_experience": 14,
        "capacity": 2,
        "specialisations": ["lvu", "samtal-med-barn", "hedersrelaterat-vald"],
        "languages": ["sv", "en"],
        "accepts_other_municipalities": True,
    },
    "socialsekreterare@example.org": {
        "years_experience": 5,
        "capacity": 2,
        "specialisations": ["forhandsbedomning", "barnavardsutredning"],
        "languages": ["sv", "ar"],
        "accepts_other_municipalities": False,
    },
}
SESSIONS = [
    {
        "days_ago": 8,
        "kind": SupervisionSession.Kind.MENTORING,
        "format": SupervisionSession.Format.IN_PERSON,
        "duration_minutes": 60,
        "topics": ["arbetsmiljo", "arendeplanering"],
        "notes": (
            "Första samtalet. Vi gick igenom hur introduktionen är upplagd och hur Nora "
            "planerar sin vecka. Hon vill komma igång med egna förhandsbedömningar."
        ),
        "agreed_actions": "Nora läser modulen om förhandsbedömning före nästa samtal.",
        "reflection": "Skönt att få prata om hur man prioriterar när allt känns brådskande.",
    },
    {
        "days_ago": 2,
        "kind": SupervisionSession.Kind.CASE,
        "format": SupervisionSession.Format.VIDEO,
        "duration_minutes": 45,
        "topics": ["dokumentation", "samtal-med-barn"],
        "notes": (
            "Ärendehandledning kring ärende BoU-2026-014 (pseudonym). Vi gick igenom hur "
            "barnets egen berättelse kan återges ordagrant och skiljas från bedömningen."
        ),
        "agreed_actions": "Maria skickar mallen för samtal med barn. Nora provar den i veckan.",
        "reflection": "",
    },
]


class Command(BaseCommand):
    help = "Loads mentoring demo data after seed_demo. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="introsteg-demo")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_mentoring skapar demodata: kör inte med DEBUG av utan --force."
            )
        call_command("seed_demo", password=password, force=force, stdout=self.stdout)
        with transaction.atomic():
            self.seed()
        self.stdout.write(
            self.style.SUCCESS("Mentorskap klart: mentor@example.org har ny@example.org som adept.")
        )

    def seed(self) -> None:
        users = {u.email: u for u in User.objects.filter(email__in=[*PROFILES, "ny@example.org"])}
        for organisation in Organisation.objects.filter(name__in=["Lunds kommun", "Eslövs kommun"]):
            MentoringSettings.objects.get_or_create(organisation=organisation)
        for email, data in PROFILES.items():
            user = users[email]
            services.save_mentor_profile(
                user,
                user=user,
                years_experience=data["years_experience"],
                capacity=data["capacity"],
                specialisations=Specialisation.objects.filter(code__in=data["specialisations"]),
                languages=data["languages"],
                accepts_other_municipalities=data["accepts_other_municipalities"],
            )
        mentor, mentee = users["mentor@example.org"], users["ny@example.org"]
        services.save_mentee_needs(
            mentee,
            mentee=mentee,
            wishes="Jag vill gärna prata om hedersrelaterade ärenden och om samtal med barn.",
            specialisations=Specialisation.objects.filter(
                code__in=["hedersrelaterat-vald", "samtal-med-barn"]
            ),
        )
        today = timezone.localdate()
        mentorship = Mentorship.objects.filter(mentor=mentor, mentee=mentee).first()
        if mentorship is None:
            now = timezone.now()
            mentorship = Mentorship(
                mentor=mentor,
                mentee=mentee,
                organisation=mentee.memberships.first().organisation,
                status=Mentorship.Status.ACTIVE,
                goals=GOALS,
                start_date=today - datetime.timedelta(days=9),
                mentor_accepted_at=now,
                mentee_accepted_at=now,
            )
            mentorship.full_clean()
            mentorship.save()
        if mentorship.sessions.exists():
            return
        for data in SESSIONS:
            session = services.log_session(
                mentor,
                mentorship=mentorship,
                kind=data["kind"],
                date=today - datetime.timedelta(days=data["days_ago"]),
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                topics=SessionTopic.objects.filter(code__in=data["topics"]),
                notes=data["notes"],
                agreed_actions=data["agreed_actions"],
            )
            if data["reflection"]:
                services.confirm_session(mentee, session=session, reflection=data["reflection"])
