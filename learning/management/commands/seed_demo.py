"""Demo data: a county, two municipalities, the demo accounts and the national curriculum.

The curriculum's prose and the course runs' schedule are data files in the top-level demo/
folder (read by demo/loader.py), which the installed package does not include. Every date is
counted from the day the command runs, so the demo never goes stale.

Idempotent: running it twice creates nothing twice, and never overwrites pages an editor changed.
"""

import datetime
import json
import random
import uuid

from allauth.account.models import EmailAddress
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page, Site

from content.models import CatalogPage, CoursePage, HomePage, ModulePage
from demo.seed import SeedCommand, create_demo_user, indexed_once
from learning import services, signoffs, tallies
from learning.models import (
    CourseRun,
    Enrolment,
    ModuleProgress,
    OnboardingPlan,
    PlanCourse,
    PlanModule,
    RunEnrolment,
    RunSession,
)
from people.models import Organisation, Role, Unit, User
from people.services import add_membership

COUNTY = "Skåne län"
MUNICIPALITIES = {
    "Lunds kommun": ["Barn och unga – utredning", "Barn och unga – placering"],
    "Eslövs kommun": ["Barn och familj – myndighet"],
    "Höörs kommun": ["Individ- och familjeomsorg – barn och unga"],
    "Hörby kommun": ["Socialtjänst – barn och familj"],
}
# Days after the start date by which each introduction module should be done.
MODULE_DUE_DAYS = [7, 14, 21, 30, 45, 60, 75, 90, 90]
# (email, name, role, municipality, units) – units empty for municipality-wide roles.
ACCOUNTS = [
    (
        "ny@example.org",
        "Nora Nyström",
        Role.NEW_HIRE,
        "Lunds kommun",
        ["Barn och unga – utredning"],
    ),
    (
        "klar@example.org",
        "Klara Kvist",
        Role.NEW_HIRE,
        "Lunds kommun",
        ["Barn och unga – utredning"],
    ),
    (
        "socialsekreterare@example.org",
        "Samir Sandberg",
        Role.SOCIAL_SECRETARY,
        "Lunds kommun",
        ["Barn och unga – utredning"],
    ),
    (
        "mentor@example.org",
        "Maria Melin",
        Role.MENTOR,
        "Lunds kommun",
        ["Barn och unga – utredning"],
    ),
    (
        "chef@example.org",
        "Carl Christiansson",
        Role.MANAGER,
        "Lunds kommun",
        ["Barn och unga – utredning", "Barn och unga – placering"],
    ),
    ("redaktor@example.org", "Rebecka Rask", Role.EDITOR, "Lunds kommun", []),
    ("admin@example.org", "Anders Adolfsson", Role.MUNICIPAL_ADMIN, "Lunds kommun", []),
    ("kursledare@example.org", "Karin Kullberg", Role.COURSE_LEADER, "Lunds kommun", []),
]
# (email, name, role, start in days from today, active): a pending invitation and a leaver.
STAFF_STATES = [
    ("inbjuden@example.org", "Ines Ivarsson", Role.NEW_HIRE, 14, True),
    ("slutat@example.org", "Dan Dahlberg", Role.SOCIAL_SECRETARY, -700, False),
]
# Managers from neighbouring municipalities (outside the demo chef's units, so "Mitt team" is
# unchanged) who share the leadership course's first run with chef@example.org: nearly full.
RUN_PARTICIPANTS = [
    ("chef.eslov@example.org", "Elin Ekdahl", "Eslövs kommun", "Barn och familj – myndighet"),
    (
        "chef.hoor@example.org",
        "Hampus Holm",
        "Höörs kommun",
        "Individ- och familjeomsorg – barn och unga",
    ),
    ("chef.horby@example.org", "Hanna Hedlund", "Hörby kommun", "Socialtjänst – barn och familj"),
]
# Who fills the first run's last seat and then queue for one (reservlista): the run is full,
# so the course leader and Lund's admin have a waitlist to manage (move up, remove).
RUN_LAST_SEAT = ("chef.eslov2@example.org", "Erik Eriksson", "Barn och familj – myndighet")
RUN_WAITLIST = [
    ("chef.hoor2@example.org", "Hilda Hansson", "Individ- och familjeomsorg – barn och unga"),
    ("chef.horby2@example.org", "Hugo Håkansson", "Socialtjänst – barn och familj"),
]


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def module_body(blocks: list[tuple]) -> str:
    return json.dumps([_block(kind, value) for kind, value in blocks])


def shuffled(choices: list[tuple[str, bool]], *, seed: str) -> list[tuple[str, bool]]:
    """The same order on every run, but the right answer is not always the first one."""
    choices = list(choices)
    random.Random(seed).shuffle(choices)
    return choices


def knowledge_check(questions: list[dict]) -> str:
    return json.dumps(
        [
            _block(
                "question",
                {
                    "kind": q["kind"],
                    "text": q["text"],
                    "choices": [
                        _block("item", {"text": text, "correct": correct})
                        for text, correct in shuffled(q["choices"], seed=q["text"])
                    ],
                    "explanation": q["explanation"],
                },
            )
            for q in questions
        ]
    )


class Command(SeedCommand):
    help = "Loads demo data (municipalities, demo accounts, courses). Safe to run twice."

    def load(self, *, password, **options) -> None:
        try:
            from demo import loader
        except ImportError as error:
            # Not installed in production: PyYAML is a dev dependency.
            raise CommandError(
                f"seed_demo läser katalogen demo/ i projektets källkod med PyYAML: {error}"
            ) from error
        today = timezone.localdate()
        with transaction.atomic():
            units = self.seed_organisations()
            users = self.seed_accounts(units, password)
            self.seed_staff_states(units, password)
            courses = self.seed_pages(loader.load_curriculum())
            self.seed_plan(courses[0])
            self.seed_learning(users, courses)
            self.seed_runs(units, users, courses[1], password, loader.load_course_runs(today))
        self.stdout.write(self.style.SUCCESS("Demodata klar. Logga in på http://127.0.0.1:8000/"))
        self.stdout.write(f"Lösenord för alla demokonton: {password}")
        for email, _name, role, municipality, _units in ACCOUNTS:
            self.stdout.write(f"  {email:32} {role.label} ({municipality})")

    def seed_organisations(self) -> dict[str, Unit]:
        units = {}
        for name, unit_names in MUNICIPALITIES.items():
            organisation, _ = Organisation.objects.get_or_create(
                name=name, defaults={"county": COUNTY}
            )
            for unit_name in unit_names:
                units[unit_name], _ = Unit.objects.get_or_create(
                    organisation=organisation, name=unit_name
                )
        return units

    def seed_accounts(self, units: dict[str, Unit], password: str) -> dict[str, User]:
        today = timezone.localdate()
        users = {}
        for email, name, role, municipality, unit_names in ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = create_demo_user(email=email, full_name=name, password=password)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
            start = today - datetime.timedelta(days=10 if role == Role.NEW_HIRE else 900)
            organisation = Organisation.objects.get(name=municipality)
            if unit_names:
                for unit_name in unit_names:
                    add_membership(
                        None, user=user, role=role, unit=units[unit_name], start_date=start
                    )
            else:
                add_membership(
                    None, user=user, role=role, organisation=organisation, start_date=start
                )
            users[email] = user
        return users

    def seed_staff_states(self, units: dict[str, Unit], password: str) -> None:
        """The staff list's other states (Personal): a new hire invited for a start in two
        weeks who has not yet chosen a password, and a social secretary who left last month
        (deactivated, records kept, can be reactivated)."""
        today = timezone.localdate()
        unit = units["Barn och unga – placering"]
        for email, name, role, start, active in STAFF_STATES:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = create_demo_user(email=email, full_name=name, password=password)
                if role == Role.NEW_HIRE:
                    user.set_unusable_password()
                user.is_active = active
                user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"primary": True, "verified": active}
            )
            add_membership(
                None,
                user=user,
                role=role,
                unit=unit,
                start_date=today + datetime.timedelta(days=start),
            )

    def seed_pages(self, curriculum: list[dict]) -> list[CoursePage]:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(
                title="Introsteg",
                slug="introsteg",
                intro=(
                    "<p>Den nationella yrkesintroduktionen för socialsekreterare: kurser, "
                    "kunskapskontroller, mentorskap och handledning – så att ingen ny "
                    "socialsekreterare står ensam med de svåraste besluten.</p>"
                ),
            )
            publish_child(root, home)
            welcome = Page.objects.filter(depth=2, content_type__model="page").first()
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "port": 80,
                    "site_name": "Introsteg",
                    "root_page": home,
                },
            )
            if welcome is not None:
                welcome.delete()
        # The catalogue, courses and modules indexed once each, when all are made (demo.seed).
        # The home page is indexed on its saves: its title weight was set while Wagtail's
        # welcome page was in the search index, and the welcome page's delete must reach the
        # reference index's handler, which indexed_once() holds back.
        with indexed_once() as made:
            catalog = CatalogPage.objects.child_of(home).first()
            if catalog is None:
                catalog = CatalogPage(
                    title="Kurser",
                    slug="kurser",
                    intro="<p>Alla kurser i Introsteg. Välj målgrupp för att hitta rätt.</p>",
                )
                made.append(publish_child(home, catalog))
            courses = []
            for data in curriculum:
                course = CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).first()
                if course is None:
                    course = CoursePage(
                        title=data["title"],
                        slug=data["slug"],
                        summary=data["summary"],
                        audience=data["audience"],
                        kind=data["kind"],
                        estimated_hours=data["estimated_hours"],
                        credits=data.get("credits"),
                        certificate_validity_months=data.get("certificate_validity_months"),
                        min_attendance_percent=data.get("min_attendance_percent", 80),
                        learning_outcomes=json.dumps(
                            [_block("outcome", text) for text in data["learning_outcomes"]]
                        ),
                    )
                    made.append(publish_child(catalog, course))
                # The modules already there in one query, not one a module.
                there = set(ModulePage.objects.child_of(course).values_list("slug", flat=True))
                for module_data in data["modules"]:
                    if module_data["slug"] in there:
                        continue
                    module = ModulePage(
                        title=module_data["title"],
                        slug=module_data["slug"],
                        intro=module_data["intro"],
                        estimated_minutes=module_data["estimated_minutes"],
                        body=module_body(module_data["body"]),
                        knowledge_check=knowledge_check(module_data["questions"]),
                        pass_mark=module_data["pass_mark"],
                        questions_per_attempt=module_data.get("questions_per_attempt"),
                    )
                    made.append(publish_child(course, module))
                courses.append(course)
        return courses

    def seed_plan(self, intro: CoursePage) -> None:
        """The national default onboarding plan: the introduction course within 90 days."""
        plan, created = OnboardingPlan.objects.get_or_create(
            organisation=None, defaults={"name": "Nationell standardplan för nyanställda"}
        )
        if not created:
            return
        PlanCourse.objects.create(plan=plan, course=intro, due_days=90, sort_order=0)
        for order, (module, days) in enumerate(zip(intro.modules(), MODULE_DUE_DAYS, strict=False)):
            PlanModule.objects.create(plan=plan, module=module, due_days=days, sort_order=order)

    def seed_learning(self, users: dict[str, User], courses: list[CoursePage]) -> None:
        intro, leadership = courses[0], courses[1]
        admin = users["admin@example.org"]
        today = timezone.localdate()
        new_hire = users["ny@example.org"]
        services.enrol_in_course(
            admin, learner=new_hire, course=intro, due_date=today + datetime.timedelta(days=80)
        )
        first = intro.modules().first()
        if first is not None:
            pass_module(new_hire, first)
        # Klara has done every module and waits for the manager's sign-off on Mitt team;
        # Samir's certificate from his introduction has expired, Maria's is valid.
        manager = users["chef@example.org"]
        waiting = users["klar@example.org"]
        services.enrol_in_course(admin, learner=waiting, course=intro)
        for module in intro.modules():
            pass_module(waiting, module)
        signed_off_in_the_past(
            manager, users["socialsekreterare@example.org"], intro, admin=admin, days_ago=800
        )
        signed_off_in_the_past(
            manager, users["mentor@example.org"], intro, admin=admin, days_ago=400
        )
        services.enrol_in_course(
            admin,
            learner=users["chef@example.org"],
            course=leadership,
            due_date=today + datetime.timedelta(days=180),
        )

    def seed_runs(
        self,
        units: dict[str, Unit],
        users: dict[str, User],
        leadership: CoursePage,
        password,
        schedule: list[dict],
    ) -> None:
        """Two runs of the leadership course starting a few weeks from today (demo/
        course_runs.yaml): the first in Lund, arranged by Lund, full with two on the waitlist;
        the second online. The demo course leader leads both."""
        leader = users["kursledare@example.org"]
        admin = users["admin@example.org"]
        runs = []
        for data in schedule:
            # Found again by place and link, not by name or dates: those follow the day the
            # seed runs, and a second run another day must not add two more runs.
            run, created = CourseRun.objects.get_or_create(
                course=leadership,
                place=data["place"],
                online_url=data["online_url"],
                defaults={
                    "name": data["name"],
                    "start_date": data["start_date"],
                    "end_date": data["end_date"],
                    "enrolment_deadline": data["enrolment_deadline"],
                    "seats": data["seats"],
                },
            )
            if created:
                for order, (day, start, end, place) in enumerate(data["sessions"]):
                    session = RunSession(
                        run=run,
                        date=day,
                        start_time=start,
                        end_time=end,
                        place=place,
                        sort_order=order,
                    )
                    session.full_clean()
                    session.save()
            run.leaders.add(leader)
            runs.append(run)
        participants = [users["chef@example.org"]]
        start = timezone.localdate() - datetime.timedelta(days=700)

        def manager_of(email, name, unit_name):
            manager = User.objects.filter(email=email).first()
            if manager is None:
                manager = create_demo_user(email=email, full_name=name, password=password)
            EmailAddress.objects.update_or_create(
                user=manager, email=email, defaults={"primary": True, "verified": True}
            )
            add_membership(
                None, user=manager, role=Role.MANAGER, unit=units[unit_name], start_date=start
            )
            return manager

        for email, name, _municipality, unit_name in RUN_PARTICIPANTS:
            participants.append(manager_of(email, name, unit_name))
        participants.append(manager_of(*RUN_LAST_SEAT))
        first = runs[0]
        # Lund arranges its own run: its municipal admin manages it with the course leader.
        first.organiser = units["Barn och unga – utredning"].organisation
        first.save(update_fields=["organiser"])
        for manager in participants:
            RunEnrolment.objects.get_or_create(
                run=first,
                user=manager,
                defaults={"status": RunEnrolment.Status.ENROLLED},
            )
            services.enrol_in_course(admin, learner=manager, course=leadership)
        for data in RUN_WAITLIST:
            manager = manager_of(*data)
            if not RunEnrolment.objects.filter(run=first, user=manager).exists():
                last = first.enrolments.aggregate(last=Max("waitlist_position"))["last"] or 0
                RunEnrolment.objects.create(
                    run=first,
                    user=manager,
                    status=RunEnrolment.Status.WAITLISTED,
                    waitlist_position=last + 1,
                )


def signed_off_in_the_past(
    manager: User, learner: User, course: CoursePage, *, admin: User, days_ago: int
) -> None:
    """The learner did the introduction and the manager signed it off `days_ago` days ago:
    enrolled and modules done before that day, so every date on the certificate agrees."""
    enrolment = services.enrol_in_course(admin, learner=learner, course=course)
    if enrolment.status == Enrolment.Status.COMPLETED:
        return
    # The day first, then a time in the afternoon of it: `now - days_ago` late in the evening
    # can be the next day in Stockholm when the clocks differ across a summer-time change.
    signed_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    signed_at = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(14, 0)))
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=signed_at - datetime.timedelta(days=90)
    )
    for module in course.modules():
        pass_module(learner, module)
    ModuleProgress.objects.filter(enrolment=enrolment).update(
        started_at=signed_at - datetime.timedelta(days=60),
        completed_at=signed_at - datetime.timedelta(days=14),
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        modules_completed_at=signed_at - datetime.timedelta(days=14)
    )
    # update() sends no signal: the stored module counts follow the completion dates.
    tallies.rebuild(enrolments=[enrolment.pk])
    enrolment.refresh_from_db()
    signoffs.sign_off_introduction(
        manager,
        enrolment=enrolment,
        conversation_date=signed_on,
        comment="Avslutande samtal hållet; introduktionen är genomförd.",
        now=signed_at,
    )


def publish_child(parent: Page, page: Page) -> Page:
    """A new page through Wagtail's own path, as an editor's "Publish" makes it: add_child()
    (which validates it), a revision, published. The revision is saved with clean=False:
    add_child has just run the same full_clean() (ModulePage.clean parses the question pool),
    ~100 of seed_demo's queries."""
    parent.add_child(instance=page)
    page.save_revision(clean=False).publish()
    return page


def pass_module(learner: User, module: ModulePage) -> None:
    """Pass a module's knowledge check with the right answers, unless already complete."""
    if ModuleProgress.objects.filter(
        enrolment__user=learner, module=module, completed_at__isnull=False
    ).exists():
        return
    answers = {q.id: sorted(q.correct_ids) for q in module.questions()}
    services.submit_knowledge_check(learner, module=module, answers=answers)
