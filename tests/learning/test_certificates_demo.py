"""Claims in the demo curriculum are true (issue 19): each course's estimated hours are its
modules' estimated minutes added up, and no course claims more higher-education credits
(högskolepoäng) than its hours could earn; the demo data has a person waiting for the
manager's sign-off and an expired certificate, dated from today."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content.models import CoursePage, ModulePage
from demo import loader
from learning.models import Certificate, Enrolment
from people.models import User

# 1.5 hp is one full-time week of study, some 40 hours (högskoleförordningen 6 kap. 2 §
# gives 60 hp a year): a claimed credit needs about 26.7 hours of work behind it.
HOURS_PER_CREDIT = Decimal(40) / Decimal("1.5")


@pytest.mark.parametrize("course", loader.load_curriculum(), ids=lambda c: c["slug"])
def test_the_modules_estimated_hours_add_up_to_the_courses(course):
    minutes = sum(module["estimated_minutes"] for module in course["modules"])
    assert minutes == course["estimated_hours"] * 60, (
        f"{course['slug']}: the modules take {minutes} minutes, the course says "
        f"{course['estimated_hours']} hours"
    )


@pytest.mark.parametrize("course", loader.load_curriculum(), ids=lambda c: c["slug"])
def test_no_course_claims_credits_its_hours_cannot_earn(course):
    credits = Decimal(str(course.get("credits") or 0))
    assert credits * HOURS_PER_CREDIT <= course["estimated_hours"], (
        f"{course['slug']}: {credits} hp needs some {credits * HOURS_PER_CREDIT:.0f} hours of "
        f"work, the course says {course['estimated_hours']}"
    )


@pytest.mark.parametrize("course", loader.load_curriculum(), ids=lambda c: c["slug"])
def test_no_explanation_gives_the_right_option_away(course):
    """A failed attempt shows each wrong question's explanation (förklaring); the editor's
    help text asks it to explain the topic without revealing the right option, and the demo
    curriculum keeps to that, or failing once and copying would pass the check again."""
    for module in course["modules"]:
        for question in module.get("questions", []):
            explanation = question["explanation"].casefold()
            given_away = [
                text
                for text, correct in question["choices"]
                if correct and text.casefold().rstrip(".") in explanation
            ]
            assert not given_away, f"{module['slug']}: {question['text']} – {given_away}"


def test_the_demo_has_a_question_pool():
    """An editor writes more questions than a check asks (issue 19): at least one demo module
    draws its questions from a larger pool, so the demo shows attempts that differ."""
    pools = [
        module["slug"]
        for course in loader.load_curriculum()
        for module in course["modules"]
        if module.get("questions_per_attempt")
        and module["questions_per_attempt"] < len(module["questions"])
    ]
    assert pools


@pytest.fixture(params=[datetime.time(23, 45), datetime.time(0, 15)], ids=["evening", "night"])
def at_the_edges_of_the_day(request):
    """Today, late in the evening and just after midnight in Stockholm: where a date taken from
    "now minus N days" turns into the next or the previous day when summer time differs between
    the two (CI failed at 23:03 local time on a seed that did that)."""
    instant = datetime.datetime.combine(timezone.localdate(), request.param)
    with time_machine.travel(timezone.make_aware(instant), tick=True):
        yield


@pytest.mark.django_db
def test_the_demo_has_one_waiting_for_sign_off_and_an_expired_certificate(
    client, settings, at_the_edges_of_the_day
):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-losen-123")
    today = timezone.localdate()
    leadership = CoursePage.objects.get(slug="ledarskap-forsta-linjens-chefer")
    page = client.get(leadership.url).content.decode()
    assert "högskolepoäng" not in page and "ca 4 timmar" in page

    pooled = ModulePage.objects.filter(questions_per_attempt__isnull=False)
    assert pooled.exists()
    assert all(m.questions_per_attempt < len(m.questions()) for m in pooled)
    waiting = Enrolment.objects.get(user__email="klar@example.org")
    assert waiting.status == Enrolment.Status.ACTIVE and waiting.modules_completed_at
    assert not Certificate.objects.filter(user__email="klar@example.org").exists()
    expired = Certificate.objects.get(user__email="socialsekreterare@example.org")
    assert expired.expires_on < today and expired.is_expired
    valid = Certificate.objects.get(user__email="mentor@example.org")
    assert valid.is_valid() and valid.expires_on > today
    assert valid.signed_off_by_name == "Carl Christiansson"

    chef = User.objects.get(email="chef@example.org")
    client.force_login(chef)
    body = client.get(reverse("team:overview")).content.decode()
    assert "Klara Kvist" in body
    assert reverse("team:sign_off", args=[waiting.pk]) in body
    # Seeded again, nothing is signed off or issued twice.
    count = Certificate.objects.count()
    call_command("seed_demo", "--password", "demo-losen-123")
    assert Certificate.objects.count() == count
    assert expired.completed_on == today - datetime.timedelta(days=800)
