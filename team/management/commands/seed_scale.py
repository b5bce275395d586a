"""A national-scale data set for the benchmarks (issue 10); prints one JSON line.

    python manage.py seed_scale --staff 30000

290 municipalities with their units, 30,000 staff (new hires, social secretaries, mentors and
first-line managers, one unit of 500 for "Mitt team"), the demo curriculum extended to about
400 modules, enrolments with about 3 million progress rows, certificates, mentorships with
supervision sessions, and supervised cases with reviews and entrustment decisions.

Bulk inserts only: COPY for the progress rows on PostgreSQL, bulk_create with large batches
for the rest, in one transaction: minutes, not hours. Accounts are under
@scale.introsteg.invalid with unusable passwords (the benchmark logs in by creating sessions).
A second run finds the data set and does nothing. Modules are inserted past Wagtail's page
API (valid treebeard paths, no revisions, not in the search index: run `update_index` to
search them). The seed is fixed, so two runs with the same --staff build the same data.
"""

import datetime
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from content.models import CatalogPage, CoursePage, ModulePage
from content.outline import forget_outlines
from learning import tallies
from learning.certificates import new_code
from learning.models import (
    Certificate,
    Enrolment,
    ModuleDeadline,
    ModuleProgress,
    OnboardingPlan,
)
from mentoring.management.commands.seed_mentoring import CASE_TYPES
from mentoring.models import (
    CaseReview,
    CaseStage,
    CaseType,
    CheckAnswer,
    EntrustmentDecision,
    MentorProfile,
    Mentorship,
    Specialisation,
    SupervisedCase,
    SupervisionSession,
)
from mentoring.selectors import default_frequency_days
from people.models import Membership, Organisation, Role, Unit, User

EMAIL_DOMAIN = "scale.introsteg.invalid"
MUNICIPALITIES = 290
BIG_UNIT = "Barn och unga – storenheten"
BIG_UNIT_MANAGER = f"chef.storenhet@{EMAIL_DOMAIN}"
UNIT_SIZE = 20  # team members per unit, plus one first-line manager
BATCH = 5000
# Extra self-paced courses, each with MODULES_PER_COURSE modules: 6 x 65 + the demo's 12 = 402.
EXTRA_COURSES = {
    "Fördjupning: utredning och bedömning": "fordjupning-utredning",
    "Fördjupning: samtal med barn och familj": "fordjupning-samtal",
    "Fördjupning: placering och uppföljning": "fordjupning-placering",
    "Fördjupning: våld i nära relationer": "fordjupning-vald",
    "Fördjupning: juridik i praktiken": "fordjupning-juridik",
    "Fördjupning: dokumentation och sekretess": "fordjupning-dokumentation",
}
MODULES_PER_COURSE = 65
COUNTIES = [
    "Stockholms län", "Uppsala län", "Södermanlands län", "Östergötlands län",
    "Jönköpings län", "Kronobergs län", "Kalmar län", "Gotlands län", "Blekinge län",
    "Skåne län", "Hallands län", "Västra Götalands län", "Värmlands län", "Örebro län",
    "Västmanlands län", "Dalarnas län", "Gävleborgs län", "Västernorrlands län",
    "Jämtlands län", "Västerbottens län", "Norrbottens län",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Johanna", "Linnea", "Elin",
    "Amira", "Fatima", "Leila", "Noor", "Sofia", "Ida", "Hanna", "Maja", "Julia", "Klara",
    "Erik", "Lars", "Karl", "Johan", "Anders", "Per", "Ali", "Omar", "Mikael", "Jonas",
    "Oskar", "Viktor", "Ahmed", "Daniel", "Fredrik", "Henrik", "Samir", "Emil", "Lukas", "Axel",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Ali", "Mohammed",
    "Hussein", "Nyström", "Holm", "Ek",
]  # fmt: skip


@dataclass
class Person:
    user_id: int
    organisation_id: int
    unit_id: int
    role: str
    start: datetime.date


def scale_data_exists() -> bool:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()


def copy_rows(model, fields: list[str], rows) -> int:
    """Insert many rows fast: PostgreSQL's COPY (no per-row parsing or planning), else
    bulk_create in large batches. Returns the number of rows."""
    count = 0
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(name).attname for name in fields]  # enrolment_id
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(names, row, strict=True))))
            if len(batch) == BATCH:
                count += len(model.objects.bulk_create(batch))
                batch = []
        return count + len(model.objects.bulk_create(batch))
    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Command(BaseCommand):
    help = "Builds the national-scale benchmark data set with bulk inserts; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=30_000)

    def handle(self, *args, staff, **options):
        if staff < 40:
            raise CommandError("--staff måste vara minst 40.")
        if scale_data_exists():
            self.stdout.write(f"Skaldata finns redan (@{EMAIL_DOMAIN}); inget görs.")
            return
        started = time.perf_counter()
        if not CoursePage.objects.live().exists():
            call_command("seed_demo", force=True, stdout=self.stderr)
        self.rng = random.Random(10)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Check foreign keys row by row instead of queueing millions of deferred checks
                # for the commit (Django creates them DEFERRABLE INITIALLY DEFERRED).
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            modules = self.seed_curriculum()
            people = self.seed_people(staff)
            self.seed_learning(people, modules)
            self.seed_mentoring(people)
            self.seed_cases(people)
            if connection.vendor == "postgresql":
                # Statistics for the rows this transaction inserted (ANALYZE counts its own
                # transaction's rows), before the one query that reads them all: with the empty
                # tables' statistics the planner probed the progress rows per (enrolment,
                # module) pair through the module index, and the tally rebuild had not ended
                # after 13 minutes (2026-11-30, a fresh machine); with them it takes seconds.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            # Bulk inserts send no signals: the stored module counts once, for everyone.
            self.counts["module_tallies"] = tallies.rebuild_all()
        forget_outlines()  # the courses' pages were bulk-inserted, without Wagtail's signals
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
        self.counts["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(self.counts))

    # --- Curriculum ---------------------------------------------------------------------------

    def seed_curriculum(self) -> dict[str, list[ModulePage]]:
        """The demo courses plus large self-paced courses, their modules bulk-inserted."""
        catalog = CatalogPage.objects.live().first()
        demo = list(CoursePage.objects.live().child_of(catalog).order_by("path"))
        if len(demo) < 2:
            raise CommandError("Kör seed_demo först: skaldata bygger på democurriculumet.")
        template = demo[0].modules().first()
        for title, slug in EXTRA_COURSES.items():
            if CoursePage.objects.child_of(catalog).filter(slug=slug).exists():
                continue
            course = CoursePage(
                title=title,
                slug=slug,
                summary=f"{title}: fördjupningskurs för socialsekreterare.",
                estimated_hours=30,
                learning_outcomes=json.dumps(
                    [{"type": "outcome", "value": "Fördjupa yrkeskunnandet", "id": "o1"}]
                ),
            )
            catalog.add_child(instance=course)
            course.save_revision().publish()
            self.bulk_modules(course, template)
        courses = list(CoursePage.objects.live().child_of(catalog).order_by("path"))
        result = {"intro": [], "leadership": [], "extra": []}
        for course in courses:
            key = "extra" if course.title in EXTRA_COURSES else ""
            if course.pk == demo[0].pk:
                key = "intro"
            elif course.pk == demo[1].pk:
                key = "leadership"
            if key:
                result[key].append((course, list(course.modules())))
        self.counts["modules"] = ModulePage.objects.live().count()
        return result

    def bulk_modules(self, course: CoursePage, template: ModulePage) -> None:
        """MODULES_PER_COURSE modules under a new course: Page rows in one bulk insert with
        treebeard paths computed the way add_child would, then the ModulePage rows."""
        content_type = ContentType.objects.get_for_model(ModulePage)
        now = timezone.now()
        depth = course.depth + 1
        pages = []
        for number in range(1, MODULES_PER_COURSE + 1):
            slug = f"modul-{number}"
            title = f"{course.title.removeprefix('Fördjupning: ').capitalize()} – del {number}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    path=Page._get_path(course.path, depth, number),
                    depth=depth,
                    numchild=0,
                    url_path=f"{course.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    locale_id=course.locale_id,
                )
            )
        Page.objects.bulk_create(pages)
        for page in pages:
            # raw=True writes only ModulePage's own table: the Page row exists already.
            ModulePage(
                page_ptr=page,
                intro=template.intro,
                body=template.body.raw_data,
                estimated_minutes=template.estimated_minutes,
                knowledge_check=template.knowledge_check.raw_data,
                pass_mark=template.pass_mark,
            ).save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=course.pk).update(numchild=MODULES_PER_COURSE)

    # --- People -------------------------------------------------------------------------------

    def seed_people(self, staff: int) -> list[Person]:
        """Municipalities of uneven size (a few cities, many small towns), units of about 20
        with a manager each, and one unit of 500 (fewer for small --staff)."""
        rng = self.rng
        count = min(MUNICIPALITIES, max(2, staff // 100))
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Skalkommun {n:03d}", county=COUNTIES[n % len(COUNTIES)])
            for n in range(1, count + 1)
        )
        big = min(500, staff // 4)
        rest = staff - big - 1
        weights = [1 / (n + 1) ** 0.7 for n in range(count)]
        sizes = [max(3, int(rest * w / sum(weights))) for w in weights]
        sizes[0] += rest - sum(sizes)
        units, plan = [], []  # plan: (unit index, team size)
        units.append(Unit(organisation=organisations[0], name=BIG_UNIT))
        plan.append((0, big))
        for organisation, size in zip(organisations, sizes, strict=True):
            unit_count = max(1, round(size / (UNIT_SIZE + 1)))
            team = size - unit_count
            for number in range(unit_count):
                units.append(Unit(organisation=organisation, name=f"Enhet {number + 1}"))
                plan.append((len(units) - 1, team // unit_count + (number < team % unit_count)))
        Unit.objects.bulk_create(units, batch_size=BATCH)

        rows = []  # (unit, role, start)
        for index, team in plan:
            unit = units[index]
            rows.append((unit, Role.MANAGER, self.start_date(Role.MANAGER)))
            for _n in range(team):
                role = rng.choices(
                    [Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR], weights=[20, 65, 15]
                )[0]
                rows.append((unit, role, self.start_date(role)))
        users = [
            User(
                email=BIG_UNIT_MANAGER if n == 0 else f"person{n}@{EMAIL_DOMAIN}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password="!",  # unusable: these accounts never log in with a password
            )
            for n in range(len(rows))
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        Membership.objects.bulk_create(
            (
                Membership(
                    user=user, organisation_id=unit.organisation_id, unit=unit, role=role,
                    start_date=start,
                )
                for user, (unit, role, start) in zip(users, rows, strict=True)
            ),
            batch_size=BATCH,
        )  # fmt: skip
        self.counts.update(municipalities=count, units=len(units), staff=len(users))
        self.counts["big_unit_staff"] = big
        return [
            Person(user.pk, unit.organisation_id, unit.pk, role, start)
            for user, (unit, role, start) in zip(users, rows, strict=True)
        ]

    def start_date(self, role: str) -> datetime.date:
        days = {
            Role.NEW_HIRE: (5, 360),
            Role.SOCIAL_SECRETARY: (400, 7000),
            Role.MENTOR: (1100, 9000),
            Role.MANAGER: (700, 7000),
        }[role]
        return self.today - datetime.timedelta(days=self.rng.randint(*days))

    # --- Learning -----------------------------------------------------------------------------

    def seed_learning(self, people: list[Person], courses: dict) -> None:
        """Enrolments: new hires in the introduction (with the plan's module deadlines) and
        two in-depth courses; colleagues have finished the introduction and are far into
        their in-depth courses; managers take the leadership course and one more."""
        rng = self.rng
        (intro, intro_modules), (leadership, leadership_modules) = (
            courses["intro"][0],
            courses["leadership"][0],
        )
        plan = OnboardingPlan.objects.filter(organisation=None).first()
        module_days = {m.module_id: m.due_days for m in plan.modules.all()} if plan else {}
        # (person, course, modules, share of modules done)
        wanted = []
        for person in people:
            extra = rng.sample(courses["extra"], 2)
            if person.role == Role.NEW_HIRE:
                elapsed = (self.today - person.start).days
                wanted.append((person, intro, intro_modules, min(1, elapsed / 90 * rng.random())))
                wanted += [(person, c, m, rng.uniform(0, 0.35)) for c, m in extra]
            elif person.role == Role.MANAGER:
                wanted.append((person, leadership, leadership_modules, rng.random()))
                wanted.append((person, *extra[0], rng.uniform(0.2, 0.9)))
            else:
                low = 0.8 if person.role == Role.MENTOR else 0.7
                wanted.append((person, intro, intro_modules, 1))
                wanted += [(person, c, m, rng.uniform(low, 1)) for c, m in extra]
        enrolments, progress = [], []
        # Completion times and scores draw from their own generator: the number drawn follows the
        # number of modules, and a module added to the curriculum must not reshuffle the mentorships
        # and cases drawn after this (tests/test_query_budgets.py picks mentors by their load).
        times_rng = random.Random(11)
        for person, course, modules, share in wanted:
            enrolled = at(max(person.start, self.today - datetime.timedelta(days=700)))
            done = round(share * len(modules))
            span = max(1, (timezone.now() - enrolled).days)
            times = sorted(
                enrolled + datetime.timedelta(days=times_rng.uniform(0, span)) for _ in range(done)
            )
            enrolment = Enrolment(
                user_id=person.user_id,
                course=course,
                enrolled_at=enrolled,
                due_date=person.start + datetime.timedelta(days=90)
                if course is intro and person.role == Role.NEW_HIRE
                else None,
            )
            if done == len(modules):
                enrolment.status = Enrolment.Status.COMPLETED
                enrolment.completed_at = times[-1] if times else enrolled
            enrolments.append(enrolment)
            progress.append((modules, times))
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)

        # has_knowledge_check parses the StreamField: ask once per module, not per row.
        checks = {m.pk: m.has_knowledge_check for _c, ms in self.all_courses(courses) for m in ms}

        def progress_rows():
            for enrolment, (modules, times) in zip(enrolments, progress, strict=True):
                for module, done_at in zip(modules, times, strict=False):
                    score = times_rng.randint(70, 100) if checks[module.pk] else None
                    yield (enrolment.pk, module.pk, done_at, done_at, score)
                if len(times) < len(modules):  # the module they are reading now
                    yield (enrolment.pk, modules[len(times)].pk, timezone.now(), None, None)

        self.counts["progress_rows"] = copy_rows(
            ModuleProgress,
            ["enrolment", "module", "started_at", "completed_at", "best_score"],
            progress_rows(),
        )
        deadlines = (
            (e.pk, module.pk, e.due_date - datetime.timedelta(days=90 - module_days[module.pk]))
            for e in enrolments
            if e.course_id == intro.pk and e.due_date
            for module in intro_modules
            if module.pk in module_days
        )
        self.counts["deadlines"] = copy_rows(
            ModuleDeadline, ["enrolment", "module", "due_date"], deadlines
        )
        titles = {c.pk: c.title for c, _m in self.all_courses(courses)}
        certificates = [
            Certificate(
                enrolment=e,
                user_id=e.user_id,
                course_id=e.course_id,
                course_title=titles[e.course_id],
                hours=30,
                code=new_code(),
                issued_at=e.completed_at,
            )
            for e in enrolments
            if e.status == Enrolment.Status.COMPLETED
        ]
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)
        self.counts.update(enrolments=len(enrolments), certificates=len(certificates))

    @staticmethod
    def all_courses(courses: dict):
        return [*courses["intro"], *courses["leadership"], *courses["extra"]]

    # --- Mentoring ----------------------------------------------------------------------------

    def seed_mentoring(self, people: list[Person]) -> None:
        """Mentor profiles; each new hire with a mentor from their own unit (else their
        municipality) while capacity lasts, the first mentor of the big unit with a full list
        of 10; supervision sessions in the first year's rhythm."""
        rng = self.rng
        mentors = [p for p in people if p.role == Role.MENTOR]
        specialisations = list(Specialisation.objects.all())
        capacity = {}
        profiles = []
        for number, mentor in enumerate(mentors):
            capacity[mentor.user_id] = 10 if number == 0 else rng.randint(2, 6)
            profiles.append(
                MentorProfile(
                    user_id=mentor.user_id,
                    years_experience=(self.today - mentor.start).days // 365,
                    capacity=capacity[mentor.user_id],
                )
            )
        MentorProfile.objects.bulk_create(profiles, batch_size=BATCH)
        through = MentorProfile.specialisations.through
        through.objects.bulk_create(
            (
                through(mentorprofile_id=profile.pk, specialisation_id=s.pk)
                for profile in profiles
                for s in rng.sample(specialisations, min(2, len(specialisations)))
            ),
            batch_size=BATCH,
        )
        by_unit, by_organisation = defaultdict(list), defaultdict(list)
        for mentor in mentors:
            by_unit[mentor.unit_id].append(mentor)
            by_organisation[mentor.organisation_id].append(mentor)
        mentorships = []
        for mentee in (p for p in people if p.role == Role.NEW_HIRE):
            pool = by_unit[mentee.unit_id] + by_organisation[mentee.organisation_id]
            mentor = next((m for m in pool if capacity[m.user_id] > 0), None)
            if mentor is None or rng.random() < 0.05:  # a few still wait for matching
                continue
            capacity[mentor.user_id] -= 1
            proposed = rng.random() < 0.05
            mentorships.append(
                Mentorship(
                    mentor_id=mentor.user_id,
                    mentee_id=mentee.user_id,
                    organisation_id=mentee.organisation_id,
                    status=Mentorship.Status.PROPOSED if proposed else Mentorship.Status.ACTIVE,
                    start_date=None if proposed else mentee.start + datetime.timedelta(days=3),
                    created_at=at(mentee.start),
                )
            )
        Mentorship.objects.bulk_create(mentorships, batch_size=BATCH)
        starts = {p.user_id: p.start for p in people}
        sessions = []
        for mentorship in mentorships:
            day = mentorship.start_date
            while day is not None:
                day += datetime.timedelta(
                    days=default_frequency_days(starts[mentorship.mentee_id], day)
                    + rng.randint(-2, 5)
                )
                if day >= self.today:
                    break
                sessions.append(
                    SupervisionSession(
                        mentorship=mentorship,
                        kind=rng.choice(SupervisionSession.Kind.values),
                        date=day,
                        duration_minutes=rng.choice([30, 45, 60, 90]),
                        notes="Vi gick igenom veckans ärenden och planerade nästa steg.",
                        logged_by_id=mentorship.mentor_id,
                        confirmed_at=at(day, 16) if rng.random() < 0.8 else None,
                        created_at=at(day, 15),
                    )
                )
        SupervisionSession.objects.bulk_create(sessions, batch_size=BATCH)
        self.counts.update(mentorships=len(mentorships), sessions=len(sessions))

    # --- Supervised cases ---------------------------------------------------------------------

    def seed_cases(self, people: list[Person]) -> None:
        """Case types per municipality; open and closed cases for new hires and social
        secretaries, nearly all with a named supervisor; high-risk cases reviewed about every
        ten days (a few have slipped past 14 days, which "Mitt team" alerts on); experienced
        staff with entrustment level 4 for the high-risk case types."""
        rng = self.rng
        specialisations = {s.code: s.pk for s in Specialisation.objects.all()}
        organisation_ids = sorted({p.organisation_id for p in people})
        types = [
            CaseType(
                organisation_id=organisation_id,
                name=name,
                risk_level=risk,
                honour_related=honour,
                specialisation_id=specialisations.get(code),
            )
            for organisation_id in organisation_ids
            for name, risk, honour, code in CASE_TYPES
        ]
        CaseType.objects.bulk_create(types, batch_size=BATCH)
        types_of = defaultdict(list)
        for case_type in types:
            types_of[case_type.organisation_id].append(case_type)
        supervisors = defaultdict(list)
        managers = {}
        for person in people:
            if person.role == Role.MENTOR:
                supervisors[person.unit_id].append(person.user_id)
            elif person.role == Role.MANAGER:
                managers[person.unit_id] = person.user_id
        open_stages = [s for s in CaseStage.values if s != CaseStage.CLOSED]
        cases, decisions = [], []
        for person in people:
            if person.role not in (Role.NEW_HIRE, Role.SOCIAL_SECRETARY):
                continue
            new = person.role == Role.NEW_HIRE
            open_count = rng.randint(0, 4) if new else rng.randint(3, 10)
            closed_count = 0 if new else rng.randint(0, 4)
            pool = supervisors[person.unit_id]
            for index in range(open_count + closed_count):
                opened = max(
                    person.start, self.today - datetime.timedelta(days=rng.randint(1, 400))
                )
                closed = index >= open_count
                cases.append(
                    SupervisedCase(
                        organisation_id=person.organisation_id,
                        unit_id=person.unit_id,
                        holder_id=person.user_id,
                        reference=f"BoU-{opened.year}-{len(cases) + 1:06d}",
                        case_type=rng.choice(types_of[person.organisation_id]),
                        stage=CaseStage.CLOSED if closed else rng.choice(open_stages),
                        supervisor_id=rng.choice(pool) if pool and rng.random() < 0.98 else None,
                        opened_on=opened,
                        closed_on=min(self.today, opened + datetime.timedelta(days=60))
                        if closed
                        else None,
                        created_by_id=person.user_id,
                        created_at=at(opened),
                    )
                )
            if not new and person.unit_id in managers:
                decisions += [
                    EntrustmentDecision(
                        person_id=person.user_id,
                        case_type=case_type,
                        level=4,
                        decided_by_id=managers[person.unit_id],
                        decided_on=person.start + datetime.timedelta(days=365),
                    )
                    for case_type in types_of[person.organisation_id]
                    if case_type.is_high_risk
                ]
        SupervisedCase.objects.bulk_create(cases, batch_size=BATCH)
        EntrustmentDecision.objects.bulk_create(decisions, batch_size=BATCH)
        reviews = []
        for case in cases:
            if not case.supervisor_id or not case.case_type.is_high_risk:
                continue
            last = case.closed_on or self.today
            # 9 in 10 were reviewed in the last 14 days; the rest have slipped.
            last -= datetime.timedelta(days=rng.randint(0, 13) if rng.random() < 0.9 else 20)
            for number in range(3):
                day = last - datetime.timedelta(days=10 * number)
                if day < case.opened_on:
                    break
                reviews.append(
                    CaseReview(
                        case=case,
                        date=day,
                        supervisor_id=case.supervisor_id,
                        stage=CaseStage.INVESTIGATION,
                        observed_level=rng.randint(2, 4),
                        child_spoken_alone=rng.choice(CheckAnswer.values),
                        child_view_documented=rng.choice(CheckAnswer.values),
                        risk_assessment_made=CheckAnswer.YES,
                        created_at=at(day),
                    )
                )
        CaseReview.objects.bulk_create(reviews, batch_size=BATCH)
        self.counts.update(cases=len(cases), reviews=len(reviews), decisions=len(decisions))
