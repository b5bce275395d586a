"""factory_boy factories for people, pages and learning rows."""

import datetime
import json
import uuid

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from content.models import CoursePage, ModulePage
from learning.models import Enrolment
from people.models import Membership, Organisation, Role, Unit, User

PASSWORD = "ett-bra-testlosenord-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    county = "Skåne län"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Barn och unga {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Nummer{n}")
    # Hashed before the INSERT (a password given to the factory too): set_password after it
    # cost every person an UPDATE of the row just inserted, before add_membership.
    password = factory.Transformer(PASSWORD, transform=make_password)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    organisation = factory.LazyAttribute(lambda m: m.unit.organisation if m.unit else None)
    role = Role.NEW_HIRE
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))


def people_in(unit, role, users: list[User], *, start: datetime.date | None = None) -> list[User]:
    """Unsaved people (UserFactory.build_batch) saved as tests/mentoring/factories.py person()
    makes them: a verified email and a membership with `role` in `unit`, since a week unless
    `start` says otherwise. One INSERT a table, for data that only needs to be there (a query
    count at 50 rows): person() through add_membership costs 8 queries a person (a new hire 12;
    26 before session 35). Not made: add_membership's audit event and Wagtail groups (editors'
    and admins' only), nor the onboarding plan a new hire's membership schedules."""
    start = start or timezone.localdate() - datetime.timedelta(days=7)
    users = User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    Membership.objects.bulk_create(
        MembershipFactory.build(user=user, unit=unit, role=role, start_date=start) for user in users
    )
    return users


def stream(blocks):
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    )


def question(text="Vad gäller?", kind="single", choices=None, explanation="Därför."):
    choices = choices or [("Rätt", True), ("Fel", False), ("Också fel", False)]
    return (
        "question",
        {
            "kind": kind,
            "text": text,
            "choices": [
                {"type": "item", "value": {"text": t, "correct": c}, "id": str(uuid.uuid4())}
                for t, c in choices
            ],
            "explanation": explanation,
        },
    )


def add_course(catalog, *, title="Kurs", kind="self_paced", audience="new_hires") -> CoursePage:
    course = CoursePage(
        title=title,
        summary=f"Sammanfattning av {title}.",
        kind=kind,
        audience=audience,
        estimated_hours=4,
        learning_outcomes=stream([("outcome", "Kunna det viktiga")]),
    )
    catalog.add_child(instance=course)
    course.save_revision().publish()
    return course


def add_module(course, *, title="Modul", questions=None, pass_mark=70) -> ModulePage:
    module = ModulePage(
        title=title,
        intro="Ingress.",
        body=stream(
            [
                ("heading", "Rubrik"),
                ("paragraph", "<p>Brödtext om barnets bästa.</p>"),
                ("callout", {"kind": "vignette", "title": "Fall", "text": "<p>En flicka.</p>"}),
                ("reflection", f"Vad tar du med dig från {title}?"),
            ]
        ),
        knowledge_check=stream(questions if questions is not None else [question()]),
        pass_mark=pass_mark,
        estimated_minutes=15,
    )
    course.add_child(instance=module)
    module.save_revision().publish()
    return module


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    due_date = None


def right_answers(module) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_ids) for q in module.questions()}


def wrong_answers(module) -> dict[str, list[str]]:
    return {q.id: [next(c.id for c in q.choices if not c.correct)] for q in module.questions()}
