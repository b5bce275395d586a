import pytest
from django.core.management import CommandError, call_command

from content.models import CoursePage, ModulePage
from learning.models import Enrolment, QuizAttempt
from people.models import Membership, User

DEMO_ACCOUNTS = [
    "ny@example.org",
    "socialsekreterare@example.org",
    "mentor@example.org",
    "chef@example.org",
    "redaktor@example.org",
    "admin@example.org",
]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_loads_the_curriculum(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-losen-123")
    counts = [
        m.objects.count()
        for m in (User, Membership, CoursePage, ModulePage, Enrolment, QuizAttempt)
    ]
    call_command("seed_demo", "--password", "demo-losen-123")
    assert counts == [
        m.objects.count()
        for m in (User, Membership, CoursePage, ModulePage, Enrolment, QuizAttempt)
    ]
    intro = CoursePage.objects.get(slug="yrkesintroduktion-barn-och-unga")
    leadership = CoursePage.objects.get(slug="ledarskap-forsta-linjens-chefer")
    assert intro.modules().count() >= 8
    assert leadership.modules().count() >= 4
    for module in ModulePage.objects.all():
        assert module.questions(), module.title
        assert module.reflection_prompts(), module.title
    for email in DEMO_ACCOUNTS:
        assert client.login(username=email, password="demo-losen-123"), email


@pytest.mark.django_db
def test_every_demo_account_sees_a_page_for_its_role(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-losen-123")
    for email in DEMO_ACCOUNTS:
        client.post("/accounts/login/", {"login": email, "password": "demo-losen-123"})
        response = client.get("/start/", follow=True)
        assert response.status_code == 200, email
        client.post("/accounts/logout/")
    client.force_login(User.objects.get(email="ny@example.org"))
    body = client.get("/min-introduktion/").content.decode()
    assert "1 av 8 moduler klara" in body


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
