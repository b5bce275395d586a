import datetime
import hashlib
import json
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from modelsearch import index
from setuptools import find_packages
from wagtail.models import Page, ReferenceIndex

from content.models import CoursePage, ModulePage
from demo import loader
from learning.models import Enrolment, QuizAttempt
from people.models import Membership, StaffStatus, User
from tests.seeded import seeded_for_the_module

DEMO_ACCOUNTS = [
    "ny@example.org",
    "socialsekreterare@example.org",
    "mentor@example.org",
    "chef@example.org",
    "redaktor@example.org",
    "admin@example.org",
]
# sha256 of the curriculum as JSON (sorted keys), first computed from content/demo_curriculum.py
# before its prose moved to demo/curriculum/: the move changed no title, text, question or
# answer. Changed since only by issue 19's true claims: module minutes that add up to the
# course hours, no högskolepoäng for the leadership course, the introduction's validity and a
# sentence in each course summary (tests/learning/test_certificates_demo.py); and the
# introduction's hours (8) once issue 22's module was added; and module 6 ("Hot och våld i
# arbetet"), rewritten for issue 22 so that it keeps otillåten påverkan and leaves the rest to
# module 9 (the test at the end of this file); and ten explanations that named the right
# option, rewritten to explain the topic instead (issue 19: a failed attempt shows them;
# test_certificates_demo.py keeps it so). Modules written after the move are left out of the
# fingerprint (ADDED_SINCE).
CURRICULUM_FINGERPRINT = "a4efc69dadc3569d436f5d99c901b97648cd538fff681225fb530a96620b27ab"
ADDED_SINCE = {"hot-och-vald-i-myndighetsutovning"}  # issue 22


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return [_without_ids(v) for v in value]
    return value


def test_the_demo_files_hold_the_curriculum_the_python_module_held():
    curriculum = loader.load_curriculum()
    assert [len(c["modules"]) for c in curriculum] == [9, 4]
    moved = [
        {**c, "modules": [m for m in c["modules"] if m["slug"] not in ADDED_SINCE]}
        for c in curriculum
    ]
    text = json.dumps(moved, ensure_ascii=False, sort_keys=True)
    assert hashlib.sha256(text.encode()).hexdigest() == CURRICULUM_FINGERPRINT
    # Four questions a module; module 9 asks four of a pool of six (issue 19's question pools).
    assert {
        len(m["questions"])
        for c in curriculum
        for m in c["modules"]
        if m["slug"] not in ADDED_SINCE
    } == {4}


def test_the_installed_package_leaves_the_demo_data_out():
    base = Path(django_settings.BASE_DIR)
    pyproject = tomllib.loads((base / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = find_packages(where=base, include=include)
    assert "learning" in packages
    assert not [p for p in packages if p.split(".")[0] == "demo" or "demo_curriculum" in p]
    assert not (base / "content" / "demo_curriculum.py").exists()


def _module_file(tmp_path, body, front="title: T\nintro: I\nestimated_minutes: 5\n"):
    path = tmp_path / "01-modul.md"
    path.write_text(f"---\n{front}pass_mark: 70\nquestions: []\n---\n{body}")
    return path


def test_a_module_file_reads_as_blocks(tmp_path):
    body = (
        "## Rubrik\n\n<p>Ett.</p>\n<ul>\n<li>Två</li>\n</ul>\n\n"
        "::: warning Se upp\n<p>Tre.</p>\n<p>Fyra.</p>\n:::\n\n::: reflection\nFem?\n:::\n"
    )
    module = loader.load_module(_module_file(tmp_path, body))
    assert module["slug"] == "modul"
    assert module["body"] == [
        ("heading", "Rubrik"),
        ("paragraph", "<p>Ett.</p><ul><li>Två</li></ul>"),
        ("callout", {"kind": "warning", "title": "Se upp", "text": "<p>Tre.</p><p>Fyra.</p>"}),
        ("reflection", "Fem?"),
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("::: reflection\nNever closed\n", "never closed"),
        ("::: danger Rubrik\n<p>x</p>\n:::\n", "expected '::: reflection'"),
        ("::: vignette\n<p>No title</p>\n:::\n", "expected '::: reflection'"),
    ],
)
def test_a_malformed_module_file_names_itself(tmp_path, body, error):
    with pytest.raises(loader.DemoDataError, match=error) as raised:
        loader.load_module(_module_file(tmp_path, body))
    assert "01-modul.md" in str(raised.value)


def test_unquoted_session_times_are_refused(tmp_path):
    path = tmp_path / "runs.yaml"
    text = loader.RUNS_FILE.read_text().replace('"13:00"', "13:00")
    path.write_text(text)
    with pytest.raises(loader.DemoDataError, match="in quotes"):
        loader.load_course_runs(datetime.date(2026, 11, 29), path=path)


def test_the_course_runs_are_open_and_ahead_whatever_day_the_seed_runs():
    day = datetime.date(2026, 11, 27)  # the old absolute deadline
    for offset in range(366 * 4):
        today = day + datetime.timedelta(days=offset)
        lund, online = loader.load_course_runs(today)
        for run in (lund, online):
            assert today + datetime.timedelta(days=7) <= run["enrolment_deadline"], today
            assert run["enrolment_deadline"] < run["start_date"] <= run["end_date"], today
            dates = [session[0] for session in run["sessions"]]
            assert dates == sorted(dates) and dates[0] == run["start_date"], today
            assert dates[-1] == run["end_date"], today
            assert {d.weekday() for d in dates} == {2}, today  # Wednesdays
        assert lund["start_date"] < online["start_date"], today
        assert lund["name"].endswith(", Lund") and online["name"].endswith(", på distans")
    # Seeded on the day the old data was written for, the names are the ones it had.
    lund, online = loader.load_course_runs(datetime.date(2026, 11, 29))
    assert (lund["name"], online["name"]) == ("Vintern 2026–2027, Lund", "Våren 2027, på distans")


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    # Before the seeded tests below (file order): their module-wide seed would be there.
    assert not User.objects.exists()
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


COUNTED = (User, Membership, CoursePage, ModulePage, Enrolment, QuizAttempt)


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker):
    """`seed_demo` run twice, once for the module (the tests only read): the counts after the
    first run, to show the second added nothing."""

    def seed():
        call_command("seed_demo", "--password", "demo-losen-123")
        first = {model: model.objects.count() for model in COUNTED}
        call_command("seed_demo", "--password", "demo-losen-123")
        return first

    with seeded_for_the_module(django_db_blocker, seed) as first:
        yield first


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_loads_the_curriculum(client, settings, seeded_twice):
    settings.DEBUG = True
    counts = [m.objects.count() for m in COUNTED]
    assert counts == [seeded_twice[m] for m in COUNTED]
    assert all(counts), counts
    intro = CoursePage.objects.get(slug="yrkesintroduktion-barn-och-unga")
    leadership = CoursePage.objects.get(slug="ledarskap-forsta-linjens-chefer")
    assert intro.modules().count() == 9
    assert leadership.modules().count() == 4
    for module in ModulePage.objects.all():
        assert module.questions(), module.title
        assert module.reflection_prompts(), module.title
    # Each page carries its file's text, block for block.
    for data in loader.load_curriculum():
        course = CoursePage.objects.get(slug=data["slug"])
        assert (course.title, course.summary) == (data["title"], data["summary"])
        for module, module_data in zip(course.modules(), data["modules"], strict=True):
            module = module.specific
            assert (module.slug, module.title, module.intro) == (
                module_data["slug"],
                module_data["title"],
                module_data["intro"],
            )
            blocks = _without_ids(list(module.body.raw_data))
            assert blocks == [{"type": k, "value": v} for k, v in _without_ids(module_data["body"])]
            questions = _without_ids(list(module.knowledge_check.raw_data))
            assert [q["value"]["text"] for q in questions] == [
                q["text"] for q in module_data["questions"]
            ]
            assert [len(q["value"]["choices"]) for q in questions] == [
                len(q["choices"]) for q in module_data["questions"]
            ]
    first = intro.modules().first().specific
    assert first.title == "Socialtjänstlagen och LVU – ramarna för arbetet"
    assert first.body[1].value.source.startswith("<p>Socialtjänstlagen är en ramlag.")
    for email in DEMO_ACCOUNTS:
        assert client.login(username=email, password="demo-losen-123"), email


def _index_rows(page) -> tuple[list, list]:
    # The columns this database's search backend has (PostgreSQL's title_text, SQLite's FTS);
    # not title_norm, a title's weight against the average title, which the next page moves.
    entry = page.index_entries.model
    skip = ("id", "title_norm")
    columns = [f.attname for f in entry._meta.concrete_fields if f.attname not in skip]
    entries = page.index_entries.values_list(*columns)
    references = ReferenceIndex.get_references_for_object(page).values_list(
        "to_content_type", "to_object_id", "model_path", "content_path"
    )
    return sorted(entries), sorted(references)


@pytest.mark.django_db
def test_the_seeded_pages_are_in_the_search_and_reference_indexes(seeded_twice):
    """seed_demo indexes its pages once, after making them (demo.seed.indexed_once), not on
    each save: each is found by Wagtail search, and indexing it again, as a save by an editor
    would, changes none of its search or reference index rows."""
    pages = [p.specific for p in Page.objects.filter(depth__gte=2).order_by("path")]
    assert len(pages) == 2 + 2 + 13  # home, catalogue, courses, modules
    for page in pages:
        word = max(page.title.split(), key=len)
        assert page in type(page).objects.live().search(word), (word, page.slug)
    indexed = {page.pk: _index_rows(page) for page in pages}
    assert all(entries for entries, _references in indexed.values())
    for page in pages:
        index.insert_or_update_object(page)
        ReferenceIndex.create_or_update_for_object(page)
    assert {page.pk: _index_rows(page) for page in pages} == indexed


@pytest.mark.django_db
def test_every_demo_account_sees_a_page_for_its_role(client, settings, seeded_twice):
    settings.DEBUG = True
    for email in DEMO_ACCOUNTS:
        client.post("/accounts/login/", {"login": email, "password": "demo-losen-123"})
        response = client.get("/start/", follow=True)
        assert response.status_code == 200, email
        client.post("/accounts/logout/")
    client.force_login(User.objects.get(email="ny@example.org"))
    body = client.get("/min-introduktion/").content.decode()
    assert "1 av 9 moduler klara" in body


@pytest.mark.django_db
def test_the_demo_has_a_pending_invitation_and_a_deactivated_person(client, settings, seeded_twice):
    """The staff list's states (Personal): a pending invitation and a deactivated person, with
    start dates counted from today. (Was tests/people/test_staff_seed.py, a seed_demo run of
    its own, ~3 s of CPU, for what this module's seed already holds.)"""
    settings.DEBUG = True
    today = timezone.localdate()
    invited = User.objects.get(email="inbjuden@example.org")
    gone = User.objects.get(email="slutat@example.org")
    assert invited.staff_status == StaffStatus.INVITED
    assert gone.staff_status == StaffStatus.DEACTIVATED
    assert invited.memberships.get().start_date == today + datetime.timedelta(days=14)
    assert gone.memberships.get().start_date == today - datetime.timedelta(days=700)
    client.force_login(User.objects.get(email="admin@example.org"))
    staff = reverse("people:staff")
    assert invited.full_name in client.get(staff, {"status": "inbjuden"}).content.decode()
    assert gone.full_name in client.get(staff, {"status": "avaktiverad"}).content.decode()
    # The leaver can come back: reactivating restores her login with the same password.
    client.post(reverse("people:reactivate", args=[gone.pk]))
    assert type(client)().login(email=gone.email, password="demo-losen-123")


def _sentences(module) -> set[str]:
    """Every sentence of the module's text (headings, paragraphs, callouts), without tags."""
    text = json.dumps(module["body"], ensure_ascii=False)
    text = re.sub(r"<[^>]+>", " ", text.replace("\\n", " "))
    return {
        " ".join(sentence.split())
        for sentence in re.split(r"(?<=[.!?])\s+", text)
        if len(sentence.split()) >= 8
    }


def test_the_two_modules_on_threats_do_not_repeat_each_other_and_link_each_other():
    (introduction, _leadership) = loader.load_curriculum()
    modules = {m["slug"]: m for m in introduction["modules"]}
    outside = modules["hot-och-vald-i-arbetet"]
    decisions = modules["hot-och-vald-i-myndighetsutovning"]
    assert not _sentences(outside) & _sentences(decisions)
    assert '"../hot-och-vald-i-myndighetsutovning/"' in json.dumps(outside["body"]).replace(
        "\\", ""
    )
    assert '"../hot-och-vald-i-arbetet/"' in json.dumps(decisions["body"]).replace("\\", "")
