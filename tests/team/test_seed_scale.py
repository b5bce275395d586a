"""seed_scale (issue 10) on a small scale: it builds a valid data set, the pages work on it,
and a second run changes nothing (check_seed_scale, run on the seed tests/test_query_budgets.py
makes for its query counts). The full benchmark (benchmarks.pages) is not run here."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from content.models import CoursePage, ModulePage
from learning.models import Enrolment, ModuleProgress
from mentoring.models import Mentorship, SupervisedCase, SupervisionSession
from people.models import Membership, Role, User
from team.management.commands.seed_scale import BIG_UNIT, BIG_UNIT_MANAGER, EMAIL_DOMAIN

STAFF = 300


def seed_scale(staff: int = STAFF) -> dict:
    """Run seed_scale; returns the counts it prints."""
    out = StringIO()
    call_command("seed_scale", staff=staff, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


# The test that runs this, test_seed_scale_builds_a_valid_data_set_and_runs_once, is in
# tests/test_query_budgets.py (TestOnTheScaleData): it reads the seed that class's query-count
# tests run once for all three, instead of a seed of its own (~7 s in CI, the most of this file).
def check_seed_scale(client, counts: dict) -> None:
    """seed_scale(STAFF), whose `counts` these are, built a valid data set, the pages work on
    it, and a second run changes nothing."""
    assert counts["staff"] == User.objects.filter(email__endswith=EMAIL_DOMAIN).count() == 300
    assert counts["municipalities"] == 3
    assert counts["modules"] == ModulePage.objects.live().count() >= 400
    scale_progress = ModuleProgress.objects.filter(enrolment__user__email__endswith=EMAIL_DOMAIN)
    assert counts["progress_rows"] == scale_progress.count() > 300 * 60
    assert Enrolment.objects.filter(user__email__endswith=EMAIL_DOMAIN).count() > 600
    assert Mentorship.objects.exists() and SupervisionSession.objects.exists()
    assert SupervisedCase.objects.filter(holder__email__endswith=EMAIL_DOMAIN).exists()
    team = Membership.objects.filter(unit__name=BIG_UNIT).exclude(role=Role.MANAGER)
    assert team.count() == 75  # a quarter of the staff, up to 500
    # Modules were inserted past Wagtail's API: the treebeard tree must still be valid.
    assert all(not problems for problems in Page.find_problems())
    course = CoursePage.objects.get(slug="fordjupning-utredning")
    assert course.get_children().count() == course.numchild == 65

    learner = User.objects.filter(
        email__endswith=EMAIL_DOMAIN, memberships__role=Role.NEW_HIRE
    ).first()
    module = ModulePage.objects.filter(progress__enrolment__user=learner).first()
    client.force_login(learner)
    assert client.get(module.url).status_code == 200
    assert client.get(reverse("learning:dashboard")).status_code == 200
    client.force_login(User.objects.get(email=BIG_UNIT_MANAGER))
    response = client.get(reverse("team:overview"))
    assert len(response.context["team"].members) == 75

    out = StringIO()
    call_command("seed_scale", staff=STAFF, stdout=out)
    assert "finns redan" in out.getvalue()
    assert User.objects.filter(email__endswith=EMAIL_DOMAIN).count() == 300


def test_benchmark_code_imports_and_parses_its_options():
    from benchmarks import pages

    args = pages.parse_args(["--staff", "2000", "--duration", "5"])
    assert (args.staff, args.duration, args.users, args.rounds) == (2000, 5, 2, 5)
    assert pages.summarise([10.0, 20.0, 30.0, 40.0], 2.0) == {
        "rps": 2.0,
        "p50_ms": 30.0,
        "p95_ms": 40.0,
        "requests": 4,
    }
    assert pages.percentile([30.0, 10.0, 20.0, 40.0], 0.5) in (20.0, 30.0)
    assert pages.percentile(list(range(1, 101)), 0.95) == 95
    assert set(pages.PAGES) == {
        "learner_dashboard",
        "module_page",
        "team_500",
        "mentor_overview",
        "bare_wagtail",
        "plain_wagtail",
        "followup_county",
        "followup_national",
        "leaver_50",
    }
    env = pages.production_environment("staticfiles-bench")
    assert env["DEBUG"] == "False" and env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert len(env["SECRET_KEY"]) >= 50
