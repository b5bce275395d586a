"""Demo data for mentoring, on top of seed_demo: two mentor profiles, an active mentorship
between mentor@example.org and ny@example.org with two logged sessions and an agenda item;
case types for both municipalities; supervised cases for ny@ and socialsekreterare@ with
reviews, a signed decision-stage review, entrustment decisions and two open alerts; and the
lifecycle's states (a booked meeting, an ended mentorship with its successor, a pending
request for another mentor).

Every date is counted from the day the command runs, and so is the year in the cases'
references (BoU-<year opened>-014), so the demo never goes stale.

Idempotent: running it twice creates nothing twice. No client names, no personal numbers.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.seed import SeedCommand
from mentoring import services
from mentoring.models import (
    CaseStage,
    CaseType,
    CheckAnswer,
    EndReason,
    MentorChangeRequest,
    MentoringSettings,
    Mentorship,
    RiskLevel,
    SessionTopic,
    Specialisation,
    SupervisedCase,
    SupervisionSession,
)
from people.models import Organisation, Unit, User

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
            "Ärendehandledning kring ärende {BoU-014} (pseudonym). Vi gick igenom hur "
            "barnets egen berättelse kan återges ordagrant och skiljas från bedömningen."
        ),
        "agreed_actions": "Maria skickar mallen för samtal med barn. Nora provar den i veckan.",
        "reflection": "",
    },
]


# (name, risk level, honour-related, specialisation code)
CASE_TYPES = [
    ("Förhandsbedömning", RiskLevel.LOW, False, "forhandsbedomning"),
    ("Barnavårdsutredning", RiskLevel.MEDIUM, False, "barnavardsutredning"),
    ("Placering i familjehem/HVB", RiskLevel.HIGH, False, "placering-familjehem-hvb"),
    ("Ansökan om vård enligt LVU", RiskLevel.HIGH, False, "lvu"),
    ("Omedelbart omhändertagande enligt 6 § LVU", RiskLevel.CRITICAL, False, "lvu"),
    ("Riskbedömning vid hedersrelaterat våld", RiskLevel.HIGH, True, "hedersrelaterat-vald"),
]
YES, NO, NA = CheckAnswer.YES, CheckAnswer.NO, CheckAnswer.NOT_APPLICABLE


def review(days_ago, by, level, checks, *, sign=False, notes=""):
    """A review step: (days ago, reviewer, observed level, (alone, view, risk, honour))."""
    return ("review", (days_ago, by, level, checks, sign, notes))


# Pseudonymous references only, in the municipality's own format (BoU-<year opened>-<number>);
# no client data anywhere.
# Each case runs its steps in order: move to a stage, record a review, decide the holder's
# entrustment level from the last review, close.
CASES = [
    {
        "number": "014",
        "holder": "ny@example.org",
        "type": "Förhandsbedömning",
        "opened": 8,
        "supervisor": "mentor@example.org",
        "steps": [
            ("stage", CaseStage.INVESTIGATION),
            review(
                3,
                "mentor@example.org",
                2,
                (YES, NO, YES, NA),
                notes="Vi gick igenom hur anmälan ska bedömas och vilka uppgifter som behövs.",
            ),
        ],
    },
    {
        "number": "021",
        "holder": "ny@example.org",
        "type": "Placering i familjehem/HVB",
        "opened": 9,
        "supervisor": "mentor@example.org",
        "steps": [
            ("stage", CaseStage.INVESTIGATION),
            review(
                5,
                "mentor@example.org",
                2,
                (YES, YES, YES, NA),
                notes="Genomgång av utredningsplanen och hur barnets röst ska komma fram.",
            ),
            ("stage", CaseStage.DECISION),
            review(
                2,
                "mentor@example.org",
                2,
                (YES, YES, YES, NA),
                sign=True,
                notes="Förslaget till beslut är väl underbyggt. Nora föredrar det för chefen.",
            ),
            ("decide", "mentor@example.org"),
            ("stage", CaseStage.FOLLOW_UP),
        ],
    },
    {
        "number": "027",
        "holder": "ny@example.org",
        "type": "Riskbedömning vid hedersrelaterat våld",
        "opened": 7,
        "supervisor": None,
        "steps": [
            ("stage", CaseStage.INVESTIGATION),
            review(
                4,
                "chef@example.org",
                1,
                (NO, NO, YES, NO),
                notes="Den särskilda riskbedömningen görs före nästa steg. Stöd är bokat.",
            ),
        ],
    },
    {
        "number": "030",
        "holder": "ny@example.org",
        "type": "Barnavårdsutredning",
        "opened": 1,
        "supervisor": "socialsekreterare@example.org",
        "steps": [],
    },
    {
        "number": "002",
        "holder": "socialsekreterare@example.org",
        "type": "Ansökan om vård enligt LVU",
        "opened": 40,
        "supervisor": "mentor@example.org",
        "steps": [
            ("stage", CaseStage.INVESTIGATION),
            review(
                20,
                "mentor@example.org",
                3,
                (YES, YES, YES, NA),
                notes="Genomgång av underlaget inför ansökan.",
            ),
        ],
    },
    {
        "number": "005",
        "holder": "socialsekreterare@example.org",
        "type": "Barnavårdsutredning",
        "opened": 30,
        "supervisor": "mentor@example.org",
        "steps": [("stage", CaseStage.INVESTIGATION), ("stage", CaseStage.DECISION)],
    },
    {
        "number": "009",
        "holder": "socialsekreterare@example.org",
        "type": "Förhandsbedömning",
        "opened": 25,
        "supervisor": "mentor@example.org",
        "steps": [("stage", CaseStage.INVESTIGATION), ("close", 12)],
    },
]
# (person, decided by, case type, level): decisions not resting on a demo review.
DECISIONS = [
    ("mentor@example.org", "chef@example.org", None, 5),
    ("socialsekreterare@example.org", "chef@example.org", "Förhandsbedömning", 4),
    ("socialsekreterare@example.org", "chef@example.org", "Barnavårdsutredning", 4),
    ("socialsekreterare@example.org", "chef@example.org", "Placering i familjehem/HVB", 3),
]


class Command(SeedCommand):
    help = "Loads mentoring demo data after seed_demo. Safe to run twice."
    after = "seed_demo"

    def load(self, **options) -> None:
        with transaction.atomic():
            self.seed()
            self.seed_cases()
            self.seed_lifecycle()
        self.stdout.write(
            self.style.SUCCESS("Mentorskap klart: mentor@example.org har ny@example.org som adept.")
        )
        self.stdout.write(self.style.SUCCESS("Ärenden klara: se /mentorskap/arenden/."))

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
        references = {f"{{BoU-{c['number']}}}": case_reference(c, today) for c in CASES}
        for data in SESSIONS:
            notes = data["notes"]
            for placeholder, reference in references.items():
                notes = notes.replace(placeholder, reference)
            session = services.log_session(
                mentor,
                mentorship=mentorship,
                kind=data["kind"],
                date=today - datetime.timedelta(days=data["days_ago"]),
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                topics=SessionTopic.objects.filter(code__in=data["topics"]),
                notes=notes,
                agreed_actions=data["agreed_actions"],
            )
            if data["reflection"]:
                services.confirm_session(mentee, session=session, reflection=data["reflection"])

    def seed_lifecycle(self) -> None:
        """Issue 18's states: ny@ and mentor@ have booked their next meeting; klar@ changed
        mentor a month ago (from socialsekreterare@ to mentor@), so an ended mentorship with
        its successor is in her history; ny@ has asked privately for another mentor (the
        admin and chef@ see it waiting, mentor@ never does)."""
        today = timezone.localdate()
        emails = ["ny@example.org", "mentor@example.org", "klar@example.org"]
        emails += ["socialsekreterare@example.org", "admin@example.org"]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        mentor, admin = users["mentor@example.org"], users["admin@example.org"]
        current = Mentorship.objects.get(
            mentor=mentor, mentee=users["ny@example.org"], status=Mentorship.Status.ACTIVE
        )
        if not current.has_booked_meeting:
            services.book_meeting(
                mentor,
                mentorship=current,
                date=today + datetime.timedelta(days=6),
                time=datetime.time(13, 0),
                place="Stadshuset, rum Ekan (plan 2)",
            )
        if not MentorChangeRequest.objects.filter(mentorship=current).exists():
            services.request_mentor_change(
                users["ny@example.org"],
                mentorship=current,
                reason="Vi har svårt att hitta tider som passar oss båda.",
            )
        klar = users["klar@example.org"]
        if Mentorship.objects.filter(mentee=klar).exists():
            return
        organisation = klar.memberships.first().organisation
        first = Mentorship(
            mentor=users["socialsekreterare@example.org"],
            mentee=klar,
            organisation=organisation,
            status=Mentorship.Status.ENDED,
            start_date=today - datetime.timedelta(days=120),
            end_date=today - datetime.timedelta(days=30),
            end_reason=EndReason.CHANGE_OF_MENTOR,
            end_note="Samir har gått över till vuxenenheten.",
            ended_by=admin,
        )
        first.full_clean()
        first.save()
        successor = Mentorship(
            mentor=mentor,
            mentee=klar,
            organisation=organisation,
            status=Mentorship.Status.ACTIVE,
            start_date=first.end_date,
            replaces=first,
        )
        successor.full_clean()
        successor.save()

    def seed_case_types(self) -> dict[str, CaseType]:
        specialisations = {s.code: s for s in Specialisation.objects.all()}
        lund = {}
        for organisation in Organisation.objects.filter(name__in=["Lunds kommun", "Eslövs kommun"]):
            for name, risk, honour, code in CASE_TYPES:
                case_type, _created = CaseType.objects.get_or_create(
                    organisation=organisation,
                    name=name,
                    defaults={
                        "risk_level": risk,
                        "honour_related": honour,
                        "specialisation": specialisations.get(code),
                    },
                )
                if organisation.name == "Lunds kommun":
                    lund[name] = case_type
        return lund

    def seed_cases(self) -> None:
        case_types = self.seed_case_types()
        # The year in a reference is the year the seed first ran, so look for the number.
        first = CASES[0]
        if SupervisedCase.objects.filter(
            holder__email=first["holder"], reference__endswith=f"-{first['number']}"
        ).exists():
            return
        emails = {c["holder"] for c in CASES} | {p for p, *_rest in DECISIONS}
        emails |= {"chef@example.org", "mentor@example.org", "socialsekreterare@example.org"}
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        unit = Unit.objects.get(name="Barn och unga – utredning", organisation__name="Lunds kommun")
        for person, decided_by, type_name, level in DECISIONS:
            for case_type in [case_types[type_name]] if type_name else case_types.values():
                services.decide_entrustment(
                    users[decided_by], person=users[person], case_type=case_type, level=level
                )
        today = timezone.localdate()
        for data in CASES:
            self.seed_case(data, users=users, unit=unit, case_types=case_types, today=today)

    def seed_case(self, data, *, users, unit, case_types, today) -> None:
        holder = users[data["holder"]]
        case = services.open_case(
            holder,
            unit=unit,
            reference=case_reference(data, today),
            case_type=case_types[data["type"]],
            opened_on=today - datetime.timedelta(days=data["opened"]),
            supervisor=users.get(data["supervisor"]),
        )
        last_review = None
        for kind, value in data["steps"]:
            if kind == "stage":
                case = services.change_case_stage(
                    holder, case=case, stage=value, supervisor=case.supervisor
                )
            elif kind == "review":
                days_ago, by, level, (alone, view, risk, honour), sign, notes = value
                last_review = services.record_case_review(
                    users[by],
                    case=case,
                    date=today - datetime.timedelta(days=days_ago),
                    observed_level=level,
                    child_spoken_alone=alone,
                    child_view_documented=view,
                    risk_assessment_made=risk,
                    honour_risk_assessment_made=honour,
                    notes=notes,
                    sign_off=sign,
                )
            elif kind == "decide":
                services.decide_entrustment(
                    users[value],
                    person=holder,
                    case_type=case.case_type,
                    level=last_review.observed_level,
                    reviews=[last_review],
                )
            elif kind == "close":
                services.close_case(
                    holder, case=case, closed_on=today - datetime.timedelta(days=value)
                )


def case_reference(case: dict, today: datetime.date) -> str:
    opened = today - datetime.timedelta(days=case["opened"])
    return f"BoU-{opened.year}-{case['number']}"
