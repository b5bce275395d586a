"""Demo data for follow-up (uppföljning), after seed_safety: a second county (Norrbottens län)
with three municipalities, enough new hires in every unit that some figures show and some are
hidden by disclosure control (Höör, Hörby and Arjeplog are small), their mentorships,
supervision sessions, introductions, leavers (with the day they left) and incidents over the
last eight quarters, closed pulse rounds of the last two quarters, a county coordinator for
Skåne and a national follow-up account; then the facts are computed.

Idempotent, and every date is counted from the day it runs."""

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from content.models import CoursePage, ModulePage
from core.dates import add_months
from core.seeding import insert_checked
from demo.seed import SeedCommand, create_demo_user
from followup import services
from followup.indicators import current_quarter
from learning import tallies
from learning.models import Enrolment, ModuleProgress, OnboardingPlan
from mentoring.models import Mentorship, SupervisionSession
from people.models import (
    County,
    FollowUpAssignment,
    FollowUpLevel,
    Organisation,
    Role,
    Unit,
    User,
)
from people.services import add_membership
from pulse import services as pulse_services
from pulse.models import PulseAnswer, PulseRound
from safety.models import Incident, IncidentKind

NORTH = "Norrbottens län"
NORTH_MUNICIPALITIES = {
    "Luleå kommun": ["Barn och unga – utredning", "Familjehemsenheten"],
    "Kiruna kommun": ["Individ- och familjeomsorg"],
    "Arjeplogs kommun": ["Socialtjänst"],
}
# New hires per unit: the small ones (fewer than 5) are hidden, and so is a neighbour of each.
POPULATION = {
    "Barn och unga – utredning": 14,
    "Barn och unga – placering": 7,
    "Barn och familj – myndighet": 8,
    "Individ- och familjeomsorg – barn och unga": 3,
    "Socialtjänst – barn och familj": 2,
    "Familjehemsenheten": 6,
    "Individ- och familjeomsorg": 9,
    "Socialtjänst": 2,
}
# Pulse answers per unit and quarter (Lunds kommun has seed_pulse's): under 5 is hidden.
PULSE_ANSWERS = {
    "Barn och familj – myndighet": 6,
    "Individ- och familjeomsorg – barn och unga": 3,
    "Socialtjänst – barn och familj": 2,
    "Barn och unga – utredning": 8,
    "Familjehemsenheten": 5,
    "Individ- och familjeomsorg": 7,
    "Socialtjänst": 2,
}
PULSE_SCORES = [(3, 4, 4), (2, 3, 4), (4, 4, 5), (3, 5, 4), (2, 4, 3), (4, 3, 5), (3, 4, 2)]
PULSE_COMMENT = "Fler kollegor på plats skulle göra stor skillnad."
COORDINATOR = ("lanssamordnare@example.org", "Lisa Länssamordnare", "Skåne län")
NATIONAL = ("nationell@example.org", "Nils Nationell")


# The introduction course every hire is enrolled in, and its modules.
Introduction = tuple[CoursePage, list[ModulePage]]


def _midday(day: datetime.date) -> datetime.datetime:
    # A time in the middle of the local day: the day stays the same across a summer-time change.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class Command(SeedCommand):
    help = "Loads follow-up demo data after seed_pulse (which runs seed_safety). Safe to run twice."
    after = "seed_pulse"

    def load(self, *, password, **options) -> None:
        with transaction.atomic():
            self.seed_north()
            services.link_counties()
            self.seed_accounts(password)
            intro = self.introduction()
            for unit in Unit.objects.filter(name__in=POPULATION).select_related("organisation"):
                self.seed_unit(unit, password, intro)
                self.seed_cohort_a_year_back(unit, password, intro)
            self.seed_pulse()
        written = services.refresh_quarter_facts()
        self.stdout.write(
            self.style.SUCCESS(f"Uppföljning klar ({written} kvartalsuppgifter): se /uppfoljning/.")
        )

    def introduction(self) -> Introduction | None:
        """The national plan's first course and its modules, read once for every hire (read
        per unit and per hire they were ~120 of the seed's queries)."""
        plan = OnboardingPlan.objects.filter(organisation=None).first()
        first = plan.courses.select_related("course").first() if plan else None
        if first is None:
            return None
        return first.course, list(first.course.modules())

    def seed_north(self) -> None:
        for name, units in NORTH_MUNICIPALITIES.items():
            organisation, _created = Organisation.objects.get_or_create(
                name=name, defaults={"county": NORTH}
            )
            for unit in units:
                Unit.objects.get_or_create(organisation=organisation, name=unit)

    def _user(self, email: str, name: str, password: str) -> tuple[User, bool]:
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user, False
        user = create_demo_user(email=email, full_name=name, password=password)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user, True

    def seed_accounts(self, password: str) -> None:
        email, name, county = COORDINATOR
        user, _created = self._user(email, name, password)
        FollowUpAssignment.objects.get_or_create(
            user=user, level=FollowUpLevel.COUNTY, county=County.objects.get(name=county)
        )
        email, name = NATIONAL
        user, _created = self._user(email, name, password)
        FollowUpAssignment.objects.get_or_create(user=user, level=FollowUpLevel.NATIONAL)

    def seed_unit(self, unit: Unit, password: str, intro: Introduction | None) -> None:
        """New hires spread over the last quarters (most in the last whole one), two of three
        with a mentor (one in five of those later than four weeks), fortnightly sessions with
        every third missed, an introduction course, one leaver in four a year on, and an
        incident every other quarter."""
        today = timezone.localdate()
        slug = f"{unit.organisation_id}-{unit.pk}"
        mentor, created = self._user(
            f"uppfoljning-mentor-{slug}@example.org", f"Mentor {unit.name}", password
        )
        if not created:
            return
        add_membership(
            None,
            user=mentor,
            role=Role.MENTOR,
            unit=unit,
            start_date=today.replace(year=today.year - 8),
        )
        previous = current_quarter().shifted(-1)
        for number in range(POPULATION[unit.name]):
            quarters_back = 1 if number % 3 != 2 else 2 + number % 5
            start = previous.shifted(1 - quarters_back).start + datetime.timedelta(
                days=5 + (number * 7) % 60
            )
            hire, _created = self._user(
                f"uppfoljning-{slug}-{number}@example.org",
                f"Nyanställd {number + 1} ({unit.name})",
                password,
            )
            add_membership(None, user=hire, role=Role.NEW_HIRE, unit=unit, start_date=start)
            if intro is not None:
                self._introduction(hire, *intro, start=start, number=number, today=today)
            if number % 3 != 1:
                self._mentorship(mentor, hire, unit, start=start, number=number, today=today)
            self._leaver(hire, start=start, months={0: 8, 3: 13}.get(number % 4), today=today)
            if number % 2 == 0:
                occurred = min(start + datetime.timedelta(days=40), today)
                # History, not today's work: an incident weeks back had its debrief and its
                # follow-up (the managers' "Väntar på mig" shows the demo's own waiting one).
                handled = today - occurred >= datetime.timedelta(days=14)
                at = timezone.make_aware(datetime.datetime.combine(occurred, datetime.time(12)))
                Incident.objects.create(
                    person=hire,
                    organisation=unit.organisation,
                    unit=unit,
                    occurred_on=occurred,
                    kind=IncidentKind.VERBAL_THREAT,
                    debrief_offered_at=at + datetime.timedelta(days=1) if handled else None,
                    followed_up_at=at + datetime.timedelta(days=14) if handled else None,
                )

    def _leaver(self, hire, *, start, months: int | None, today) -> None:
        """A leaver `months` after the start date, once a year has passed, on the day the
        staff lifecycle would have recorded (eight months: not retained; thirteen: retained,
        they stayed the year)."""
        if months is None or add_months(start, 12) > today:
            return
        ended = add_months(start, months)
        if ended >= today:
            return
        hire.is_active = False
        hire.employment_ended_on = ended
        hire.save(update_fields=["is_active", "employment_ended_on"])

    def seed_cohort_a_year_back(
        self, unit: Unit, password: str, intro: Introduction | None
    ) -> None:
        """New hires (half as many as the unit's recent ones) who started in the quarter a year
        before the last whole one, the cohort of its retention figure: one in three left after
        eight months, one in three after thirteen, the rest are still here."""
        today = timezone.localdate()
        slug = f"{unit.organisation_id}-{unit.pk}"
        year_back = current_quarter().shifted(-5)
        for number in range(max(POPULATION[unit.name] // 2, 1)):
            # Within the quarter's first 45 days, so thirteen months on is still last quarter.
            start = year_back.start + datetime.timedelta(days=5 + (number * 11) % 40)
            hire, created = self._user(
                f"uppfoljning-{slug}-tidigare-{number}@example.org",
                f"Tidigare nyanställd {number + 1} ({unit.name})",
                password,
            )
            if not created:
                continue
            add_membership(None, user=hire, role=Role.NEW_HIRE, unit=unit, start_date=start)
            if intro is not None:
                self._introduction(hire, *intro, start=start, number=number, today=today)
            self._leaver(hire, start=start, months={0: 8, 1: 13}.get(number % 3), today=today)

    def seed_pulse(self) -> None:
        """Closed quarterly pulse rounds of the last two whole quarters in the follow-up's
        municipalities (Lund has seed_pulse's own): small units (Höör, Hörby, Arjeplog) are
        hidden, and a neighbour with them, where the large ones show. A few comments, which
        stay in the municipality's own results page."""
        now = timezone.now()
        units = Unit.objects.filter(name__in=PULSE_ANSWERS).select_related("organisation")
        by_organisation: dict = {}
        for unit in units:
            by_organisation.setdefault(unit.organisation, []).append(unit)
        for back in (1, 2):
            period = current_quarter().shifted(-back).start
            for organisation, its_units in by_organisation.items():
                _round, created = PulseRound.objects.get_or_create(
                    organisation=organisation,
                    kind=PulseRound.Kind.QUARTERLY,
                    period_start=period,
                    defaults={
                        "opens_on": period,
                        "closes_on": period + datetime.timedelta(days=pulse_services.ROUND_DAYS),
                        "closed_at": now,
                    },
                )
                if not created:
                    continue
                answers = []
                for unit in its_units:
                    for number in range(PULSE_ANSWERS[unit.name]):
                        workload, support, stay = PULSE_SCORES[(number + back) % len(PULSE_SCORES)]
                        answer = PulseAnswer(
                            organisation=organisation,
                            unit=unit,
                            period_start=period,
                            workload=workload,
                            support=support,
                            stay=stay,
                            comment=PULSE_COMMENT if number == 0 else "",
                        )
                        answers.append(answer)
                insert_checked(PulseAnswer, answers, known=["organisation", "unit"])

    def _introduction(self, hire, intro, modules, *, start, number: int, today) -> None:
        """The introduction from the start day, its modules done one after another: finished
        ones all of them (the later ones after the course's due day, so they were overdue a
        while), unfinished ones some, the rest overdue since the due day. Mitt team's weekly
        "Försenade moduler" history reads these dates (enrolled, due, done), so they are the
        start's, not the day the seed ran: with every enrolment made today, each earlier week
        showed 0."""
        due = start + datetime.timedelta(days=90)
        done = start + datetime.timedelta(days=70 + (number % 4) * 15)
        finished = number % 3 != 1 and done < today
        dates = {
            "due_date": due,
            "enrolled_at": _midday(start),
            "status": Enrolment.Status.COMPLETED if finished else Enrolment.Status.ACTIVE,
            "completed_at": _midday(done) if finished else None,
        }
        enrolment, created = Enrolment.objects.get_or_create(
            user=hire, course=intro, defaults=dates
        )
        if not created:
            # The onboarding plan enrolled a hire with an earlier start when the seed gave
            # them their role, today: that enrolment gets the start's dates instead.
            if enrolment.progress.exists() or timezone.localdate(enrolment.enrolled_at) < today:
                return
            Enrolment.objects.filter(pk=enrolment.pk).update(**dates)
            # update() sends no signal: the stored module counts follow the new due date.
            tallies.rebuild(enrolments=[enrolment.pk])
        if not modules:
            return
        # Unfinished: none, a third or two thirds of the modules done, spread over 70 days.
        last = done if finished else start + datetime.timedelta(days=70)
        count = len(modules) if finished else len(modules) * (number % 3) // 3
        spacing = (last - start).days / len(modules)
        rows = []
        for index, module in enumerate(modules[:count]):
            day = min(start + datetime.timedelta(days=round(spacing * (index + 1))), today)
            if day >= today:
                break
            progress = ModuleProgress(
                enrolment=enrolment,
                module=module,
                started_at=_midday(start),
                completed_at=_midday(day),
                best_score=100,
                latest_score=100,
            )
            rows.append(progress)
        # One INSERT for the enrolment's rows (one save() each cost ~9 queries a row, 6,100 of
        # the seed's 19,700); it sends no post_save, so the stored module counts are rebuilt
        # here, once for the enrolment.
        insert_checked(ModuleProgress, rows, known=["enrolment", "module"])
        if rows:
            tallies.rebuild(enrolments=[enrolment.pk])

    def _mentorship(self, mentor, hire, unit, *, start, number: int, today) -> None:
        begun = start + datetime.timedelta(days=40 if number % 5 == 4 else 10)
        if begun > today:
            return
        mentorship = Mentorship.objects.create(
            mentor=mentor,
            mentee=hire,
            organisation=unit.organisation,
            status=Mentorship.Status.ACTIVE,
            start_date=begun,
            planned_frequency_days=14,
        )
        day, held, sessions = begun, 0, []
        while day < today:
            if held % 3 != 2:
                sessions.append(
                    SupervisionSession(mentorship=mentorship, date=day, duration_minutes=60)
                )
            held += 1
            day += datetime.timedelta(days=14)
        # One INSERT, the rows as create() made them one by one (no save() of its own, no
        # signal handlers), in the same order.
        SupervisionSession.objects.bulk_create(sessions)
